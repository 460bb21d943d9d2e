import Foundation

/// Unicode normalization (NFC or NFKC) of a text, through Foundation, but only when a
/// quick byte scan finds a character that may need it: ASCII text and the usual news
/// characters (accented Latin letters, curly quotes, dashes) never reach Foundation.
enum UnicodeNormalization {
    /// The normalization form.
    enum Form: String, Sendable, CaseIterable {
        case nfc, nfkc, none
    }

    /// Whether the text may change under `form`: it holds a character from the form's
    /// table of unsafe characters (generated from Python's unicodedata).
    static func mayNeedNormalization(_ p: UnsafeBufferPointer<UInt8>, form: Form) -> Bool {
        let table: [UInt32]
        switch form {
        case .none: return false
        case .nfc: table = NormalizationTables.nfcUnsafe
        case .nfkc: table = NormalizationTables.nfkcUnsafe
        }
        let n = p.count
        var i = 0
        return table.withUnsafeBufferPointer { ranges in
            while i < n {
                i = UTF8Bytes.skipASCII(p, from: i)
                guard i < n else { break }
                if p[i] < 0xC0 {
                    i += 1
                    continue
                }
                let (scalar, length) = UTF8Bytes.decode(p, at: i)
                i += length
                // Everything below U+0300 is safe for NFC (Latin-1, Latin Extended A/B).
                // General punctuation (but U+2000, U+2001) and currency signs too.
                if form == .nfc && (scalar < 0x300 || (scalar >= 0x2002 && scalar <= 0x20CF)) { continue }
                if isUnsafe(scalar, ranges) { return true }
            }
            return false
        }
    }

    @inline(__always)
    private static func isUnsafe(_ scalar: UInt32, _ ranges: UnsafeBufferPointer<UInt32>) -> Bool {
        // Binary search over inclusive pairs.
        var lo = 0
        var hi = ranges.count / 2
        while lo < hi {
            let mid = (lo + hi) / 2
            if ranges[2 * mid + 1] < scalar {
                lo = mid + 1
            } else {
                hi = mid
            }
        }
        return lo < ranges.count / 2 && ranges[2 * lo] <= scalar
    }

    /// The text in `form` (Foundation; slow, call only after ``mayNeedNormalization``).
    static func normalize(_ text: String, form: Form) -> String {
        switch form {
        case .none: return text
        case .nfc: return text.precomposedStringWithCanonicalMapping
        case .nfkc: return text.precomposedStringWithCompatibilityMapping
        }
    }

    /// Normalizes bytes into `buffer` when needed; returns whether the text changed.
    static func apply(_ p: UnsafeBufferPointer<UInt8>, form: Form, into buffer: inout [UInt8]) -> Bool {
        guard mayNeedNormalization(p, form: form) else { return false }
        let text = String(decoding: p, as: UTF8.self)
        let normalized = normalize(text, form: form)
        let same = normalized.utf8.elementsEqual(p)
        guard !same else { return false }
        buffer.removeAll(keepingCapacity: true)
        buffer.append(contentsOf: normalized.utf8)
        return true
    }
}
