/// Finds a wire dateline at the start of an article's body: "WASHINGTON, March 2 - ",
/// "COMMACK, N.Y., Feb 26 -", "LONDON (Reuters) - ", "NEW YORK, March 3 (Reuters) -- ",
/// "PARIS (AP) — ".
///
/// Grammar: a place in capitals (words of upper-case letters, '.', '\'', '&', joined by
/// spaces or hyphens: "ST. LOUIS", "WINSTON-SALEM", "SÃO PAULO"), then up to three
/// comma-separated parts, each a date (a month name or abbreviation and a day: "March 2",
/// "Feb. 26") or a capitalised place ("N.Y.", "West Germany"), then an optional agency in
/// brackets ("(Reuters)"), then a dash ("-", "--", "–" or "—") with the spaces around it.
/// A dateline needs a date or an agency, so "US - China talks" is not one. A place that is
/// not in capitals is accepted only right before an agency ("Paris (AFP) - ").
enum Dateline {
    /// A dateline found at the start of a line.
    struct Match: Equatable {
        /// End of the dateline's own text (before the dash).
        var valueEnd: Int
        /// Where the body text resumes (after the dash and spaces).
        var bodyStart: Int
    }

    private static let months: [String] = [
        "jan", "january", "feb", "february", "mar", "march", "apr", "april", "may", "jun", "june", "jul", "july",
        "aug", "august", "sep", "sept", "september", "oct", "october", "nov", "november", "dec", "december",
    ]

    /// Matches a dateline at the start of `line` (one paragraph, no newline).
    static func match(_ line: UnsafeBufferPointer<UInt8>) -> Match? {
        let n = line.count
        var i = 0
        // Place in capitals.
        var letters = 0
        while i < n {
            let b = line[i]
            if b &- 0x41 < 26 || b >= 0x80 {
                if b >= 0x80 {
                    // Non-ASCII letters are accepted only inside a word already started.
                    guard letters > 0 else { return nil }
                    let (scalar, length) = UTF8Bytes.decode(line, at: i)
                    guard isUpperNonASCII(scalar) else { return nil }
                    i += length
                } else {
                    i += 1
                }
                letters += 1
            } else if (b == 0x2E || b == 0x27 || b == 0x26) && letters > 0 {
                i += 1
            } else if (b == 0x20 || b == 0x2D) && letters > 0 && i + 1 < n && line[i + 1] &- 0x41 < 26 {
                // A space or hyphen inside the place, followed by another capital.
                i += 1
            } else {
                break
            }
        }
        if letters < 2 || (i < n && line[i] &- 0x61 < 26) {
            // Not a place in capitals; "Paris (AFP) - " has a capitalised one, allowed
            // only before an agency.
            return capitalisedPlaceBeforeAgency(line)
        }
        var valueEnd = i
        var hasDate = false
        var hasAgency = false
        var parts = 0
        // Comma-separated parts.
        while parts < 3 && i + 2 < n && line[i] == 0x2C && line[i + 1] == 0x20 {
            let partStart = i + 2
            var j = partStart
            while j < n && line[j] != 0x2C && line[j] != 0x28 && !isDash(line, j) { j += 1 }
            var partEnd = j
            while partEnd > partStart && line[partEnd - 1] == 0x20 { partEnd -= 1 }
            guard partEnd > partStart else { return nil }
            let part = UnsafeBufferPointer(rebasing: line[partStart..<partEnd])
            if isDate(part) {
                hasDate = true
            } else if !isPlace(part) {
                return nil
            }
            parts += 1
            i = partEnd
            valueEnd = partEnd
        }
        // Agency.
        var k = i
        while k < n && line[k] == 0x20 { k += 1 }
        if k < n && line[k] == 0x28 {
            var j = k + 1
            while j < n && j - k < 32 && line[j] != 0x29 { j += 1 }
            guard j < n, line[j] == 0x29, j > k + 1, line[k + 1] &- 0x41 < 26 else { return nil }
            hasAgency = true
            i = j + 1
            valueEnd = i
        }
        guard hasDate || hasAgency else { return nil }
        // Dash.
        while i < n && line[i] == 0x20 { i += 1 }
        guard i < n, isDash(line, i) else { return nil }
        i += dashLength(line, i)
        if i < n && line[i] == 0x2D { i += 1 }  // "--"
        guard i < n, line[i] == 0x20 else { return nil }
        while i < n && line[i] == 0x20 { i += 1 }
        guard i < n else { return nil }
        return Match(valueEnd: valueEnd, bodyStart: i)
    }

    /// "Paris (AFP) - ", "Hong Kong (Reuters) -": one to three capitalised words, an agency.
    private static func capitalisedPlaceBeforeAgency(_ line: UnsafeBufferPointer<UInt8>) -> Match? {
        let n = line.count
        var i = 0
        var words = 0
        while i < n && words < 3 {
            guard line[i] &- 0x41 < 26 else { return nil }
            i += 1
            while i < n && ((line[i] | 0x20) &- 0x61 < 26 || line[i] == 0x2E || line[i] == 0x2D || line[i] >= 0x80) {
                i += 1
            }
            words += 1
            guard i + 1 < n, line[i] == 0x20 else { return nil }
            if line[i + 1] == 0x28 { break }
            i += 1
        }
        guard i + 1 < n, line[i] == 0x20, line[i + 1] == 0x28 else { return nil }
        var j = i + 2
        while j < n && j - i < 32 && line[j] != 0x29 { j += 1 }
        guard j < n, line[j] == 0x29, line[i + 2] &- 0x41 < 26 else { return nil }
        var k = j + 1
        while k < n && line[k] == 0x20 { k += 1 }
        guard k < n, isDash(line, k) else { return nil }
        k += dashLength(line, k)
        if k < n && line[k] == 0x2D { k += 1 }
        guard k < n, line[k] == 0x20 else { return nil }
        while k < n && line[k] == 0x20 { k += 1 }
        guard k < n else { return nil }
        return Match(valueEnd: j + 1, bodyStart: k)
    }

    @inline(__always)
    private static func isDash(_ line: UnsafeBufferPointer<UInt8>, _ i: Int) -> Bool {
        if line[i] == 0x2D { return i + 1 >= line.count || line[i + 1] == 0x20 || line[i + 1] == 0x2D }
        return i + 2 < line.count && line[i] == 0xE2 && line[i + 1] == 0x80
            && (line[i + 2] == 0x93 || line[i + 2] == 0x94)
    }

    @inline(__always)
    private static func dashLength(_ line: UnsafeBufferPointer<UInt8>, _ i: Int) -> Int {
        line[i] == 0x2D ? 1 : 3
    }

    private static func isUpperNonASCII(_ scalar: UInt32) -> Bool {
        // Latin-1 capitals (À...Þ except ×) and Latin Extended-A capitals (even code points).
        (scalar >= 0xC0 && scalar <= 0xDE && scalar != 0xD7) || (scalar >= 0x100 && scalar <= 0x17F && scalar % 2 == 0)
    }

    /// "March 2", "Feb. 26", "Feb 26".
    private static func isDate(_ part: UnsafeBufferPointer<UInt8>) -> Bool {
        var i = 0
        while i < part.count && (part[i] | 0x20) &- 0x61 < 26 { i += 1 }
        guard i >= 3 else { return false }
        let word = String(decoding: part[0..<i].map(UTF8Bytes.lower), as: UTF8.self)
        guard months.contains(word) else { return false }
        if i < part.count && part[i] == 0x2E { i += 1 }
        guard i < part.count, part[i] == 0x20 else { return false }
        i += 1
        let digitsStart = i
        while i < part.count && part[i] &- 0x30 < 10 { i += 1 }
        return i == part.count && i - digitsStart >= 1 && i - digitsStart <= 2
    }

    /// "N.Y.", "Calif.", "West Germany": one to four words, each starting with a capital.
    private static func isPlace(_ part: UnsafeBufferPointer<UInt8>) -> Bool {
        var words = 0
        var atWordStart = true
        for b in part {
            if b == 0x20 {
                atWordStart = true
                continue
            }
            if atWordStart {
                guard b &- 0x41 < 26 else { return false }
                words += 1
                atWordStart = false
            } else if !((b | 0x20) &- 0x61 < 26 || b == 0x2E || b == 0x27 || b == 0x2D || b >= 0x80) {
                return false
            }
        }
        return words >= 1 && words <= 4
    }
}
