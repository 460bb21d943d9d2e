/// Repairs mojibake: UTF-8 text that was once decoded as Windows-1252 or Latin-1 and
/// encoded again, so that "’" became "â€™" and "é" became "Ã©".
///
/// A candidate is a lead character (U+00C2...U+00F4, the Windows-1252/Latin-1 reading of
/// a UTF-8 lead byte) followed by the right number of characters whose Windows-1252 or
/// Latin-1 byte is a UTF-8 continuation byte (0x80...0xBF), together forming one valid
/// UTF-8 sequence. Only confident candidates are repaired:
/// - leads "Â" and "Ã" (U+0080...U+00FF, the bulk of real mojibake), "â" (U+2000...U+2FFF:
///   quotes, dashes, "€", "™") and "ð" (four-byte characters such as emoji) always: these
///   pairs do not occur in real text;
/// - other leads ("Ð¾" for "о", "ä¸­" for "中") only when the candidate touches another
///   candidate, since a lone "Ñ”" can be a real word ending in Ñ followed by a quote.
/// "â€" followed by no continuation (the undefined byte 0x9D of "”" was dropped) becomes
/// "”". Double mojibake ("Ã¢â‚¬â„¢") is undone by repeating the repair (up to three times).
/// A C1 control left over (U+0080...U+009F, which text never means) is Windows-1252 read as
/// Latin-1 and becomes its Windows-1252 character ("It\u{92}s" -> "It’s").
enum MojibakeRepair {
    /// Whether the text may contain mojibake: a lead character (0xC3 0x82...0xB4) or a C1
    /// control (0xC2 0x80...0x9F).
    @inline(__always)
    static func mayContainMojibake(_ p: UnsafeBufferPointer<UInt8>) -> Bool {
        var i = UTF8Bytes.find(0xC3, in: p, from: 0)
        while i + 1 < p.count {
            if p[i + 1] >= 0x82 && p[i + 1] <= 0xB4 { return true }
            i = UTF8Bytes.find(0xC3, in: p, from: i + 1)
        }
        return containsC1(p)
    }

    /// Whether the text has a C1 control character (U+0080...U+009F).
    static func containsC1(_ p: UnsafeBufferPointer<UInt8>) -> Bool {
        var i = UTF8Bytes.find(0xC2, in: p, from: 0)
        while i + 1 < p.count {
            if p[i + 1] >= 0x80 && p[i + 1] <= 0x9F { return true }
            i = UTF8Bytes.find(0xC2, in: p, from: i + 1)
        }
        return false
    }

    /// One repair pass; returns the number of sequences repaired (0 = output untouched).
    static func repair(_ p: UnsafeBufferPointer<UInt8>, into buffer: inout [UInt8]) -> Int {
        var writer = LazyWriter(input: p, reusing: buffer)
        buffer = []
        let n = p.count
        var repairs = 0
        var i = 0
        // The end of the last repaired candidate, to accept weak neighbours.
        var lastRepairedEnd = -1
        while i < n - 1 {
            if p[i] < 0x80 {
                i = UTF8Bytes.skipASCII(p, from: i)
                continue
            }
            if p[i] == 0xC2 && p[i + 1] >= 0x80 && p[i + 1] <= 0x9F {
                // A C1 control outside a sequence: Windows-1252 text read as Latin-1
                // ("It\u{92}s"); the five undefined positions are left for the layout pass.
                let scalar = TextDecoding.windows1252Scalar(p[i + 1])
                if scalar > 0x9F {
                    writer.replace(i, i + 2, withScalar: scalar)
                    repairs += 1
                }
                i += 2
                continue
            }
            guard p[i] == 0xC3, p[i + 1] >= 0x82, p[i + 1] <= 0xB4 else {
                i += 1
                continue
            }
            guard let candidate = candidate(p, at: i) else {
                i += 2
                continue
            }
            var accept = candidate.strong || lastRepairedEnd == i
            if !accept, let next = self.candidate(p, at: candidate.end), next.end > candidate.end {
                accept = true
            }
            if accept {
                writer.replace(i, candidate.end, withScalar: candidate.scalar)
                repairs += 1
                lastRepairedEnd = candidate.end
                i = candidate.end
            } else {
                i += 2
            }
        }
        _ = writer.finish()
        buffer = writer.out
        return repairs
    }

    /// Repairs repeatedly (for double mojibake); returns the total number of repairs.
    static func repairAll(_ p: UnsafeBufferPointer<UInt8>, into buffer: inout [UInt8], spare: inout [UInt8]) -> Int {
        var total = repair(p, into: &buffer)
        guard total > 0 else { return 0 }
        for _ in 0..<2 {
            let more = buffer.withUnsafeBufferPointer { inner -> Int in
                guard mayContainMojibake(inner) else { return 0 }
                return repair(inner, into: &spare)
            }
            guard more > 0 else { break }
            swap(&buffer, &spare)
            total += more
        }
        return total
    }

    struct Candidate {
        var end: Int
        var scalar: UInt32
        var strong: Bool
    }

    /// The candidate starting at `i` (a lead character), if its characters form a valid
    /// UTF-8 sequence when read back as Windows-1252/Latin-1 bytes.
    static func candidate(_ p: UnsafeBufferPointer<UInt8>, at i: Int) -> Candidate? {
        let n = p.count
        guard i + 1 < n, p[i] == 0xC3, p[i + 1] >= 0x82, p[i + 1] <= 0xB4 else { return nil }
        let lead = UInt32(0xC0 | (p[i + 1] & 0x3F))
        let needed: Int
        var scalar: UInt32
        switch lead {
        case 0xC2...0xDF: needed = 1; scalar = lead & 0x1F
        case 0xE0...0xEF: needed = 2; scalar = lead & 0x0F
        default: needed = 3; scalar = lead & 0x07
        }
        var j = i + 2
        var first: UInt8 = 0
        for k in 0..<needed {
            guard j < n, p[j] >= 0x80 else {
                // "â€" whose third byte (0x9D of "”") was lost.
                if lead == 0xE2 && k == 1 && first == 0x80 { return Candidate(end: j, scalar: 0x201D, strong: true) }
                return nil
            }
            let (s, length) = UTF8Bytes.decode(p, at: j)
            guard let byte = continuationByte(s) else {
                if lead == 0xE2 && k == 1 && first == 0x80 { return Candidate(end: j, scalar: 0x201D, strong: true) }
                return nil
            }
            if k == 0 {
                switch lead {
                case 0xE0: guard byte >= 0xA0 else { return nil }
                case 0xED: guard byte <= 0x9F else { return nil }
                case 0xF0: guard byte >= 0x90 else { return nil }
                case 0xF4: guard byte <= 0x8F else { return nil }
                default: break
                }
            }
            if k == 0 { first = byte }
            scalar = (scalar << 6) | UInt32(byte & 0x3F)
            j += length
        }
        let strong = lead == 0xC2 || lead == 0xC3 || lead == 0xE2 || lead == 0xF0
        return Candidate(end: j, scalar: scalar, strong: strong)
    }

    /// The byte a character stood for when UTF-8 was misread, if it is a continuation byte.
    @inline(__always)
    static func continuationByte(_ scalar: UInt32) -> UInt8? {
        if scalar >= 0x80 && scalar <= 0xBF { return UInt8(scalar) }
        guard scalar > 0xFF, let byte = TextDecoding.windows1252Byte(scalar), byte >= 0x80, byte <= 0x9F else {
            return nil
        }
        return byte
    }
}
