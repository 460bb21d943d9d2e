/// Decodes HTML character references and, in documents that are HTML, strips tags.
///
/// Entities: every HTML5 named reference written with its final ';' (`&amp;`, `&nbsp;`,
/// `&eacute;`, `&rsquo;`…) and numeric references (`&#8217;`, `&#x2019;`, with or without
/// ';'; 0x80...0x9F are read as Windows-1252, as browsers do), and `&amp`, `&lt`, `&gt`,
/// `&quot`, `&nbsp`, `&copy`, `&reg` without ';' when no letter, digit or '=' follows. A
/// doubly escaped reference
/// (`&amp;quot;`) is decoded in full. Anything else with '&' stays as written ("AT&T").
///
/// Tags are stripped only when the document is confidently HTML (``looksLikeHTML(_:)``):
/// wire copy such as Reuters' uses angle brackets for tickers ("<AXP>", "<Sedio N.V.>"),
/// which must survive. In an HTML document, known elements (any case) and lower-case
/// custom elements are removed; block elements (p, div, br, li, h1-h6, tr, blockquote…)
/// become paragraph breaks, table cells a space, inline elements nothing; the content of
/// script, style, noscript, template, svg, math, iframe and head is dropped (and of nav,
/// aside, footer and form with `dropBoilerplate`); comments,
/// doctypes and processing instructions are removed; source line breaks are spaces
/// (except inside pre) in documents laid out as HTML, since there only the tags make
/// paragraphs, and stay line breaks in plain text that merely holds a few tags.
enum HTMLCleaner {
    /// What one cleaning did.
    struct Result: Equatable {
        var changed = false
        var entities = 0
        var tags = 0
    }

    private enum Kind: UInt8 {
        case inline, block, cell, skipContent, pre
    }

    /// Named entities: name -> UTF-8 bytes.
    static let entities: [String: [UInt8]] = {
        var table: [String: [UInt8]] = [:]
        table.reserveCapacity(2200)
        for line in HTMLEntities.table.split(separator: "\n") {
            let parts = line.split(separator: " ")
            guard parts.count >= 2 else { continue }
            var bytes: [UInt8] = []
            for hex in parts.dropFirst() {
                if let value = UInt32(hex, radix: 16) { UTF8Bytes.append(value, to: &bytes) }
            }
            table[String(parts[0])] = bytes
        }
        return table
    }()

    private static let legacyWithoutSemicolon: [String: [UInt8]] = [
        "amp": Array("&".utf8), "lt": Array("<".utf8), "gt": Array(">".utf8), "quot": Array("\"".utf8),
        "nbsp": Array("\u{00A0}".utf8), "copy": Array("©".utf8), "reg": Array("®".utf8),
    ]

    private static let elements: [String: Kind] = {
        var table: [String: Kind] = [:]
        let block = """
            address article aside blockquote body caption center dd details dialog dir div dl dt \
            fieldset figcaption figure footer form frame frameset h1 h2 h3 h4 h5 h6 header hgroup hr \
            html legend li main menu nav ol p section summary table tbody tfoot thead title tr ul br \
            option optgroup textarea noframes
            """
        let inline = """
            a abbr acronym b bdi bdo big blink cite code data del dfn em font i img input ins kbd \
            label mark nobr q rp rt ruby s samp small span strike strong sub sup time tt u var wbr \
            button select source picture video audio track embed meta link base col colgroup area \
            map canvas output progress meter slot param marquee
            """
        for name in block.split(separator: " ") { table[String(name)] = .block }
        for name in inline.split(separator: " ") { table[String(name)] = .inline }
        for name in ["td", "th"] { table[name] = .cell }
        for name in ["script", "style", "noscript", "template", "svg", "math", "iframe", "head", "object"] {
            table[name] = .skipContent
        }
        table["pre"] = .pre
        return table
    }()

    /// Page furniture rather than text: menus, sidebars, page footers, search and comment
    /// forms (dropped with `dropBoilerplate`, as trafilatura and jusText do).
    static let boilerplate: Set<String> = ["nav", "aside", "footer", "form"]

    /// Whether the text is confidently HTML: it has a comment or doctype, a `<br>`, a
    /// closing tag of a known element, a known element with attributes, or a known
    /// element written in lower case. Upper-case tags without attributes alone ("<AXP>",
    /// "<P>", which are also ticker symbols) do not count.
    static func looksLikeHTML(_ p: UnsafeBufferPointer<UInt8>) -> Bool {
        let n = p.count
        var i = UTF8Bytes.find(0x3C, in: p, from: 0)
        while i < n {
            defer { i = UTF8Bytes.find(0x3C, in: p, from: i + 1) }
            if i + 3 < n && p[i + 1] == 0x21
                && (p[i + 2] == 0x2D && p[i + 3] == 0x2D || UTF8Bytes.lower(p[i + 2]) == 0x64)
            {
                return true  // <!-- or <!doctype
            }
            if let tag = parseTag(p, at: i), tag.kind != nil {
                if tag.closing || tag.hasAttributes || tag.lowercase || tag.name == "br" { return true }
            }
        }
        return false
    }

    /// Whether the text is laid out as HTML source (see ``clean(_:html:entities:into:)``).
    static func sourceLineBreaksAreSpaces(_ p: UnsafeBufferPointer<UInt8>) -> Bool {
        var start = 0
        while start < p.count && (p[start] == 0x20 || p[start] == 0x0A || p[start] == 0x0D || p[start] == 0x09) {
            start += 1
        }
        if start < p.count && p[start] == 0x3C { return true }
        var newlines = 0
        var i = UTF8Bytes.find(0x0A, in: p, from: 0)
        while i < p.count {
            newlines += 1
            i = UTF8Bytes.find(0x0A, in: p, from: i + 1)
        }
        var blocks = 0
        i = UTF8Bytes.find(0x3C, in: p, from: 0)
        while i < p.count && blocks * 2 < newlines {
            if let tag = parseTag(p, at: i), tag.kind == .block || tag.kind == .cell { blocks += 1 }
            i = UTF8Bytes.find(0x3C, in: p, from: i + 1)
        }
        return blocks * 2 >= newlines
    }

    private struct Tag {
        var name: String
        var kind: Kind?
        var closing: Bool
        var hasAttributes: Bool
        var lowercase: Bool
        var end: Int
    }

    /// Parses `<name ...>` or `</name>` at `i`.
    private static func parseTag(_ p: UnsafeBufferPointer<UInt8>, at i: Int) -> Tag? {
        let n = p.count
        var j = i + 1
        var closing = false
        if j < n && p[j] == 0x2F {
            closing = true
            j += 1
        }
        let nameStart = j
        guard j < n, (p[j] | 0x20) &- 0x61 < 26 else { return nil }
        var lowercase = true
        while j < n && j - nameStart < 32 {
            let b = p[j]
            if UTF8Bytes.isAlnum(b) || b == 0x2D || b == 0x3A {
                if b &- 0x41 < 26 { lowercase = false }
                j += 1
            } else {
                break
            }
        }
        guard j < n else { return nil }
        let after = p[j]
        guard after == 0x3E || after == 0x2F || after == 0x20 || after == 0x0A || after == 0x09 || after == 0x0D else {
            return nil
        }
        var nameBytes = [UInt8](UnsafeBufferPointer(rebasing: p[nameStart..<j]))
        for k in nameBytes.indices { nameBytes[k] = UTF8Bytes.lower(nameBytes[k]) }
        let name = String(decoding: nameBytes, as: UTF8.self)
        // Scan to '>' honouring quoted attribute values.
        var hasAttributes = false
        var k = j
        var quote: UInt8 = 0
        while k < n {
            let b = p[k]
            if quote != 0 {
                if b == quote { quote = 0 }
            } else if b == 0x3E {
                break
            } else if b == 0x3D {
                hasAttributes = true
                var q = k + 1
                while q < n && (p[q] == 0x20 || p[q] == 0x0A || p[q] == 0x09) { q += 1 }
                if q < n && (p[q] == 0x22 || p[q] == 0x27) {
                    quote = p[q]
                    k = q
                }
            } else if b == 0x3C {
                return nil  // a new '<' before '>': not a tag
            }
            k += 1
        }
        guard k < n else { return nil }
        return Tag(
            name: name, kind: elements[name], closing: closing, hasAttributes: hasAttributes,
            lowercase: lowercase, end: k + 1)
    }

    /// Decodes entities and, when `html` is true, strips tags. Output in `buffer` when
    /// `changed`.
    ///
    /// In HTML, source line breaks are spaces; but plain text with a few tags ("one<br>"
    /// in a one-paragraph-a-line article) keeps its lines. Line breaks become spaces when
    /// the text starts with a tag, or has at least one block tag for every two of them.
    static func clean(
        _ p: UnsafeBufferPointer<UInt8>, html: Bool, entities decodeEntities: Bool, dropBoilerplate: Bool = false,
        into buffer: inout [UInt8]
    ) -> Result {
        var writer = LazyWriter(input: p, reusing: buffer)
        buffer = []
        let newlinesAreSpaces = html && sourceLineBreaksAreSpaces(p)
        var result = Result()
        let n = p.count
        if !html {
            // Entities only: jump from '&' to '&'.
            guard decodeEntities else { return result }
            var i = UTF8Bytes.find(0x26, in: p, from: 0)
            while i < n {
                if let (end, bytes) = entity(p, at: i) {
                    writer.replace(i, end, with: bytes)
                    result.entities += 1
                    i = UTF8Bytes.find(0x26, in: p, from: end)
                } else {
                    i = UTF8Bytes.find(0x26, in: p, from: i + 1)
                }
            }
            result.changed = writer.finish()
            buffer = writer.out
            return result
        }
        var i = 0
        var inPre = 0
        while i < n {
            let b = p[i]
            if b == 0x26 {
                if decodeEntities, let (end, bytes) = entity(p, at: i) {
                    writer.replace(i, end, with: bytes)
                    result.entities += 1
                    i = end
                } else {
                    i += 1
                }
                continue
            }
            guard html else {
                i += 1
                continue
            }
            if (b == 0x0A || b == 0x0D) && inPre == 0 && newlinesAreSpaces {
                writer.replace(i, i + 1, with: 0x20)
                i += 1
                continue
            }
            guard b == 0x3C, i + 1 < n else {
                i += 1
                continue
            }
            let next = p[i + 1]
            if next == 0x21 || next == 0x3F {
                // Comment, CDATA, doctype or processing instruction.
                if startsWith(p, at: i, "<!--") {
                    let close = find(p, "-->", from: i + 4) ?? n
                    writer.remove(i, min(n, close + 3))
                    i = min(n, close + 3)
                } else if startsWith(p, at: i, "<![CDATA[") {
                    let close = find(p, "]]>", from: i + 9) ?? n
                    writer.replace(i, min(n, close + 3), with: UnsafeBufferPointer(rebasing: p[(i + 9)..<close]))
                    i = min(n, close + 3)
                } else if let close = find(p, ">", from: i + 2) {
                    writer.remove(i, close + 1)
                    i = close + 1
                } else {
                    i += 1
                    continue
                }
                result.tags += 1
                continue
            }
            guard let tag = parseTag(p, at: i), tag.kind != nil || tag.lowercase else {
                i += 1
                continue
            }
            result.tags += 1
            var kind = tag.kind ?? .inline
            if dropBoilerplate && kind == .block && Self.boilerplate.contains(tag.name) { kind = .skipContent }
            switch kind {
            case .inline:
                writer.remove(i, tag.end)
                i = tag.end
            case .block:
                writer.replace(i, tag.end, with: 0x0A)
                i = tag.end
            case .cell:
                writer.replace(i, tag.end, with: 0x20)
                i = tag.end
            case .pre:
                inPre = tag.closing ? max(0, inPre - 1) : inPre + 1
                writer.replace(i, tag.end, with: 0x0A)
                i = tag.end
            case .skipContent:
                if tag.closing {
                    writer.remove(i, tag.end)
                    i = tag.end
                } else if let close = findClosingTag(p, name: tag.name, from: tag.end) {
                    writer.replace(i, close, with: 0x0A)
                    i = close
                } else {
                    writer.remove(i, tag.end)
                    i = tag.end
                }
            }
        }
        result.changed = writer.finish()
        buffer = writer.out
        return result
    }

    /// Decodes the character reference at `i` ('&'); returns its end and bytes.
    static func entity(_ p: UnsafeBufferPointer<UInt8>, at i: Int) -> (Int, [UInt8])? {
        reference(p, bodyAt: i + 1, requireSemicolon: false)
    }

    /// Decodes a reference whose body ("amp;", "#8217;") starts at `start`.
    private static func reference(_ p: UnsafeBufferPointer<UInt8>, bodyAt start: Int, requireSemicolon: Bool)
        -> (Int, [UInt8])?
    {
        let n = p.count
        var j = start
        guard j < n else { return nil }
        if p[j] == 0x23 {
            j += 1
            var hex = false
            if j < n && (p[j] | 0x20) == 0x78 {
                hex = true
                j += 1
            }
            let digitsStart = j
            var value: UInt32 = 0
            while j < n && j - digitsStart < 8 {
                let b = p[j]
                if b &- 0x30 < 10 {
                    value = value * (hex ? 16 : 10) + UInt32(b - 0x30)
                } else if hex && (b | 0x20) &- 0x61 < 6 {
                    value = value * 16 + UInt32((b | 0x20) - 0x61 + 10)
                } else {
                    break
                }
                j += 1
            }
            guard j > digitsStart else { return nil }
            if j < n && p[j] == 0x3B {
                j += 1
            } else if requireSemicolon {
                return nil
            }
            var scalar = value
            if scalar >= 0x80 && scalar < 0xA0 { scalar = TextDecoding.windows1252Scalar(UInt8(scalar)) }
            var bytes: [UInt8] = []
            if scalar != 0 && scalar <= 0x10FFFF && !(0xD800...0xDFFF).contains(scalar) {
                UTF8Bytes.append(scalar, to: &bytes)
            }
            return (j, bytes)
        }
        let nameStart = j
        while j < n && j - nameStart < 32 && UTF8Bytes.isAlnum(p[j]) { j += 1 }
        guard j > nameStart else { return nil }
        let name = String(decoding: UnsafeBufferPointer(rebasing: p[nameStart..<j]), as: UTF8.self)
        guard j < n, p[j] == 0x3B else {
            // A few references are often written without ';' ("&nbsp ", "&amp "): decoded
            // only when followed by neither a letter, a digit nor '='.
            guard !requireSemicolon, j == n || p[j] != 0x3D, let bytes = legacyWithoutSemicolon[name] else {
                return nil
            }
            return (j, bytes)
        }
        guard let bytes = entities[name] else { return nil }
        if name == "amp", let (end, inner) = reference(p, bodyAt: j + 1, requireSemicolon: true) {
            // "&amp;quot;": escaped twice.
            return (end, inner)
        }
        return (j + 1, bytes)
    }

    private static func startsWith(_ p: UnsafeBufferPointer<UInt8>, at i: Int, _ s: StaticString) -> Bool {
        let count = s.utf8CodeUnitCount
        guard i + count <= p.count else { return false }
        let base = s.utf8Start
        for k in 0..<count where UTF8Bytes.lower(p[i + k]) != UTF8Bytes.lower(base[k]) { return false }
        return true
    }

    private static func find(_ p: UnsafeBufferPointer<UInt8>, _ s: StaticString, from start: Int) -> Int? {
        var i = start
        let count = s.utf8CodeUnitCount
        while i + count <= p.count {
            if startsWith(p, at: i, s) { return i }
            i += 1
        }
        return nil
    }

    /// The end of the closing tag `</name ...>` at or after `start`.
    private static func findClosingTag(_ p: UnsafeBufferPointer<UInt8>, name: String, from start: Int) -> Int? {
        let nameBytes = Array(name.utf8)
        let n = p.count
        var i = start
        while i + 2 + nameBytes.count <= n {
            if p[i] == 0x3C && p[i + 1] == 0x2F {
                var match = true
                for (k, c) in nameBytes.enumerated() where UTF8Bytes.lower(p[i + 2 + k]) != c {
                    match = false
                    break
                }
                if match {
                    var j = i + 2 + nameBytes.count
                    while j < n && p[j] != 0x3E { j += 1 }
                    return min(n, j + 1)
                }
            }
            i += 1
        }
        return nil
    }
}
