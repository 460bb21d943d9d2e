/// Finds personal data in UTF-8 text: e-mail addresses, IP addresses (v4 and v6) and phone
/// numbers, as DataTrove's PIIFormatter and Dolma's PII tagger do, tuned for news text,
/// where numbers abound: a span must have the exact shape of its kind, so that dates
/// (`12.03.1987`), times (`10:30:00`), scores, prices, ranges (`1986-87`) and table rows
/// are not taken for one.
///
/// - E-mail: a local part of ASCII letters, digits and `._%+-`, `@`, then a domain of two
///   or more labels (letters, digits, inner hyphens) whose last label is 2 to 24 letters.
/// - IPv4: four dot-separated numbers from 0 to 255, not inside a longer dotted number.
///   IPv6: eight colon-separated groups of 1 to 4 hex digits, or fewer with one `::`.
/// - Phone: an international number (`+` and 8 to 15 digits in groups separated by
///   single spaces, dots or hyphens, a group possibly in brackets: `+44 20 7946 0958`,
///   `+1 (212) 555-0100`), or a North American one (`(212) 555-0100`, `212-555-0100`,
///   `212.555.0100`, `212 555-0100`, optionally after `1-`), whose area code and exchange
///   start with 2-9.
///   Other national formats are too close to the numbers in news text to find safely.
enum PIIScanner {
    enum Kind: Int, Sendable, CaseIterable {
        case email, ip, phone

        var name: String {
            switch self {
            case .email: "email"
            case .ip: "ip"
            case .phone: "phone"
            }
        }
    }

    struct Match: Equatable, Sendable {
        var start: Int
        var end: Int
        var kind: Kind
    }

    /// Every match of the `kinds` asked for, sorted and non-overlapping (byte offsets).
    ///
    /// One pass over the bytes: an e-mail is looked for at each `@`, a phone number or an
    /// IP address only where a word starts (most bytes are inside words and cost one
    /// table lookup).
    static func scan(_ text: UnsafeBufferPointer<UInt8>, kinds: Set<Kind>) -> [Match] {
        var matches: [Match] = []
        let wantEmail = kinds.contains(.email)
        let wantIP = kinds.contains(.ip)
        let wantPhone = kinds.contains(.phone)
        let n = text.count
        var i = 0
        while i < n {
            let b = text[i]
            let kind = byteKind[Int(b)]
            if kind == 0 {
                i += 1
                continue
            }
            if b == UInt8(ascii: "@") {
                if wantEmail, let m = email(text, at: i) {
                    // The local part was read backwards: drop what an earlier match took.
                    if let last = matches.last, last.end > m.start { matches.removeLast() }
                    matches.append(m)
                    i = m.end
                    continue
                }
                i += 1
                continue
            }
            // Inside a word (or a number): nothing starts here.
            if i > 0, byteKind[Int(text[i - 1])] & 4 != 0 {
                i += 1
                continue
            }
            if wantPhone, kind & 2 != 0, startsToken(text, i) || (i > 0 && text[i - 1] == UInt8(ascii: ":")),
                let end = phone(text, at: i)
            {
                matches.append(Match(start: i, end: end, kind: .phone))
                i = end
                continue
            }
            if wantIP, kind & 1 != 0, startsToken(text, i), let end = ipv4(text, at: i) ?? ipv6(text, at: i) {
                matches.append(Match(start: i, end: end, kind: .ip))
                i = end
                continue
            }
            i += 1
        }
        return matches
    }

    /// Per byte: 1 may start an IP address (hex digit, `:`), 2 a phone number (digit, `+`,
    /// `(`), 4 is a word byte (letters, digits, `_`, non-ASCII), 8 is `@`.
    static let byteKind: [UInt8] = (0..<256).map { v in
        let b = UInt8(v)
        var k: UInt8 = 0
        if isHex(b) || b == UInt8(ascii: ":") { k |= 1 }
        if isDigit(b) || b == UInt8(ascii: "+") || b == UInt8(ascii: "(") { k |= 2 }
        if isWordByte(b) { k |= 4 }
        if b == UInt8(ascii: "@") { k |= 8 }
        return k
    }

    // MARK: Bytes

    @inline(__always) static func isDigit(_ b: UInt8) -> Bool { b >= 0x30 && b <= 0x39 }
    @inline(__always) static func isLetter(_ b: UInt8) -> Bool { (b | 0x20) >= 0x61 && (b | 0x20) <= 0x7A }
    @inline(__always) static func isHex(_ b: UInt8) -> Bool { isDigit(b) || ((b | 0x20) >= 0x61 && (b | 0x20) <= 0x66) }
    @inline(__always) static func isWordByte(_ b: UInt8) -> Bool { isDigit(b) || isLetter(b) || b >= 0x80 || b == 0x5F }

    /// Whether a match may start at `i`: not inside a word, a number or a dotted or
    /// coloned sequence.
    static func startsToken(_ text: UnsafeBufferPointer<UInt8>, _ i: Int) -> Bool {
        guard i > 0 else { return true }
        let p = text[i - 1]
        if isWordByte(p) { return false }
        if p == UInt8(ascii: ".") || p == UInt8(ascii: ":") || p == UInt8(ascii: "-") || p == UInt8(ascii: "+")
            || p == UInt8(ascii: "/") || p == UInt8(ascii: "@")
        {
            // "v1.2.3.4", "x:fe80::1", "-10.0.0.1", "a/10.0.0.1": part of something longer.
            return false
        }
        return true
    }

    /// Whether a match may end before `j`: what follows does not continue it.
    static func endsToken(_ text: UnsafeBufferPointer<UInt8>, _ j: Int) -> Bool {
        guard j < text.count else { return true }
        let b = text[j]
        if isWordByte(b) || b == UInt8(ascii: "@") { return false }
        // "10.0.0.1.5", "555-0100-22": the sequence goes on; a final full stop does not.
        if (b == UInt8(ascii: ".") || b == UInt8(ascii: "-") || b == UInt8(ascii: ":")), j + 1 < text.count,
            isWordByte(text[j + 1])
        {
            return false
        }
        return true
    }

    // MARK: E-mail

    @inline(__always) static func isLocalByte(_ b: UInt8) -> Bool {
        isDigit(b) || isLetter(b) || b == UInt8(ascii: ".") || b == UInt8(ascii: "_") || b == UInt8(ascii: "%")
            || b == UInt8(ascii: "+") || b == UInt8(ascii: "-")
    }

    static func email(_ text: UnsafeBufferPointer<UInt8>, at: Int) -> Match? {
        var start = at
        while start > 0, isLocalByte(text[start - 1]) { start -= 1 }
        while start < at, !isDigit(text[start]) && !isLetter(text[start]) { start += 1 }  // ".x@", "-x@"
        // (A local part may end in dots: "franz371...@gmail.com", as mail archives shorten them.)
        guard start < at, start == 0 || !(text[start - 1] >= 0x80) else { return nil }
        // The domain: labels of letters, digits and inner hyphens.
        var j = at + 1
        var labels = 0
        var lastLabelStart = j
        var lastLabelLetters = true
        var end = at + 1
        while j < text.count {
            let labelStart = j
            var letters = true
            while j < text.count, isDigit(text[j]) || isLetter(text[j]) || text[j] == UInt8(ascii: "-") {
                if !isLetter(text[j]) { letters = false }
                j += 1
            }
            let length = j - labelStart
            guard length > 0, length <= 63, text[labelStart] != UInt8(ascii: "-"), text[j - 1] != UInt8(ascii: "-")
            else { break }
            labels += 1
            lastLabelStart = labelStart
            lastLabelLetters = letters
            end = j
            guard j + 1 < text.count, text[j] == UInt8(ascii: "."), isDigit(text[j + 1]) || isLetter(text[j + 1])
            else { break }
            j += 1
        }
        let tld = end - lastLabelStart
        guard labels >= 2, lastLabelLetters, tld >= 2, tld <= 24 else { return nil }
        guard end >= text.count || !(text[end] >= 0x80 || text[end] == UInt8(ascii: "@")) else { return nil }
        return Match(start: start, end: end, kind: .email)
    }

    // MARK: IP addresses

    static func ipv4(_ text: UnsafeBufferPointer<UInt8>, at i: Int) -> Int? {
        var j = i
        for part in 0..<4 {
            var value = 0
            let start = j
            while j < text.count, isDigit(text[j]), j - start < 3 {
                value = value * 10 + Int(text[j] - 0x30)
                j += 1
            }
            let length = j - start
            guard length > 0, value <= 255, !(length > 1 && text[start] == 0x30) else { return nil }
            if part < 3 {
                guard j < text.count, text[j] == UInt8(ascii: ".") else { return nil }
                j += 1
            }
        }
        return endsToken(text, j) ? j : nil
    }

    static func ipv6(_ text: UnsafeBufferPointer<UInt8>, at i: Int) -> Int? {
        var j = i
        var groups = 0
        var compressed = false
        var colons = 0
        var end = i
        if j + 1 < text.count, text[j] == UInt8(ascii: ":"), text[j + 1] == UInt8(ascii: ":") {
            compressed = true
            colons = 2
            j += 2
            end = j
        } else if text[j] == UInt8(ascii: ":") {
            return nil
        }
        while j < text.count {
            let start = j
            while j < text.count, isHex(text[j]), j - start < 5 { j += 1 }
            let length = j - start
            if length == 0 { break }
            guard length <= 4 else { return nil }
            groups += 1
            end = j
            guard j < text.count, text[j] == UInt8(ascii: ":") else { break }
            if j + 1 < text.count, text[j + 1] == UInt8(ascii: ":") {
                guard !compressed else { return nil }
                compressed = true
                colons += 2
                j += 2
                end = j
            } else {
                colons += 1
                j += 1
            }
        }
        guard compressed ? groups <= 7 && colons >= 2 : groups == 8 else { return nil }
        // "::" alone, or a trailing ":" (end is after the last group or after "::").
        guard groups >= 1 else { return nil }
        return endsToken(text, end) ? end : nil
    }

    // MARK: Phone numbers

    static func phone(_ text: UnsafeBufferPointer<UInt8>, at i: Int) -> Int? {
        if text[i] == UInt8(ascii: "+") { return international(text, at: i) }
        return northAmerican(text, at: i)
    }

    /// `+CC` then groups of digits separated by one space, dot or hyphen (a group may be
    /// in brackets): 8 to 15 digits in all.
    static func international(_ text: UnsafeBufferPointer<UInt8>, at i: Int) -> Int? {
        var j = i + 1
        guard j < text.count, isDigit(text[j]) else { return nil }
        var digits = 0
        var groups = 0
        var end = j
        while j < text.count {
            var bracket = false
            if text[j] == UInt8(ascii: "("), groups > 0 {
                bracket = true
                j += 1
            }
            let start = j
            while j < text.count, isDigit(text[j]) { j += 1 }
            let length = j - start
            if length == 0 || length > 5 { break }
            if bracket {
                guard j < text.count, text[j] == UInt8(ascii: ")") else { break }
                j += 1
            }
            digits += length
            groups += 1
            end = j
            guard j + 1 < text.count else { break }
            let s = text[j]
            guard s == UInt8(ascii: " ") || s == UInt8(ascii: "-") || s == UInt8(ascii: "."),
                isDigit(text[j + 1]) || text[j + 1] == UInt8(ascii: "(")
            else { break }
            j += 1
        }
        guard digits >= 8, digits <= 15, groups >= 2 || digits >= 10 else { return nil }
        return endsToken(text, end) ? end : nil
    }

    /// `(212) 555-0100`, `212-555-0100`, `212.555.0100`, `212 555-0100`, each optionally after
    /// `1-`, `1 ` or `1.`.
    static func northAmerican(_ text: UnsafeBufferPointer<UInt8>, at i: Int) -> Int? {
        var j = i
        func digits(_ count: Int) -> Bool {
            guard j + count <= text.count else { return false }
            for k in j..<j + count where !isDigit(text[k]) { return false }
            j += count
            return true
        }
        // Optional country code 1 and a separator.
        if text[j] == UInt8(ascii: "1"), j + 1 < text.count,
            text[j + 1] == UInt8(ascii: "-") || text[j + 1] == UInt8(ascii: " ") || text[j + 1] == UInt8(ascii: "."),
            j + 2 < text.count, text[j + 2] == UInt8(ascii: "(") || isDigit(text[j + 2])
        {
            j += 2
        }
        let separator: UInt8
        if text[j] == UInt8(ascii: "(") {
            j += 1
            let area = j
            guard digits(3), text[area] >= 0x32, j < text.count, text[j] == UInt8(ascii: ")") else { return nil }
            j += 1
            if j < text.count, text[j] == UInt8(ascii: " ") { j += 1 }
            separator = UInt8(ascii: "-")
        } else {
            let area = j
            guard digits(3), text[area] >= 0x32, j < text.count else { return nil }
            // "212-555-0100", "212.555.0100", and "212 555-0100" (not "212 555 0100": table rows).
            separator = text[j] == UInt8(ascii: " ") ? UInt8(ascii: "-") : text[j]
            guard text[j] == UInt8(ascii: " ") || separator == UInt8(ascii: "-") || separator == UInt8(ascii: ".")
            else { return nil }
            j += 1
        }
        let exchange = j
        guard digits(3), text[exchange] >= 0x32, j < text.count, text[j] == separator else { return nil }
        j += 1
        guard digits(4) else { return nil }
        return endsToken(text, j) ? j : nil
    }
}
