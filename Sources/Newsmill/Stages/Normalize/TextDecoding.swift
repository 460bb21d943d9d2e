import Foundation

/// Turns raw input bytes into text: valid UTF-8 as is, anything else as Windows-1252.
///
/// Readers call ``decode(bytes:)`` on a document's bytes; when it reports
/// `wasWindows1252`, they set `meta.encoding = "windows-1252"`.
public enum TextDecoding {
    /// Decodes `bytes` as UTF-8; every byte that is not part of a valid UTF-8 sequence is
    /// decoded as Windows-1252 instead (so a mostly-UTF-8 file with a few stray
    /// Windows-1252 bytes keeps its UTF-8 characters). The five bytes Windows-1252 leaves
    /// undefined (0x81, 0x8D, 0x8F, 0x90, 0x9D) become the C1 controls of the same value,
    /// as Python's and WHATWG's decoders do.
    ///
    /// - Parameter bytes: the raw bytes.
    /// - Returns: the text, and whether any byte had to be decoded as Windows-1252.
    public static func decode<Bytes: Collection>(bytes: Bytes) -> (String, wasWindows1252: Bool)
    where Bytes.Element == UInt8 {
        if let text = String(validating: bytes, as: UTF8.self) {
            return (text, false)
        }
        let input = Array(bytes)
        var out: [UInt8] = []
        out.reserveCapacity(input.count + input.count / 8)
        var i = 0
        let n = input.count
        while i < n {
            let b = input[i]
            if b < 0x80 {
                out.append(b)
                i += 1
                continue
            }
            let length = validSequenceLength(input, at: i)
            if length > 0 {
                out.append(contentsOf: input[i..<i + length])
                i += length
            } else {
                UTF8Bytes.append(windows1252Scalar(b), to: &out)
                i += 1
            }
        }
        return (String(decoding: out, as: UTF8.self), true)
    }

    /// UTF-16 text and its byte order: Windows tools (Notepad's "Unicode", PowerShell's `>`)
    /// save it with a byte order mark; without one, text whose every second byte is zero
    /// in the first 4 KB (and at least 40% of the characters there are ASCII) is taken
    /// for UTF-16 too, since UTF-8 and Windows-1252 text never holds NUL bytes that way.
    /// UTF-32 is recognised by its byte order mark only.
    public enum WideEncoding: Sendable, Equatable {
        case littleEndian, bigEndian
        /// UTF-32 (with its byte order mark only), decoded by ``decodeWide(_:order:bomLength:)`` too.
        case utf32LittleEndian, utf32BigEndian

        /// The name written to a document's `meta.encoding`.
        public var name: String {
            switch self {
            case .littleEndian: "utf-16le"
            case .bigEndian: "utf-16be"
            case .utf32LittleEndian: "utf-32le"
            case .utf32BigEndian: "utf-32be"
            }
        }
    }

    /// The UTF-16 or UTF-32 encoding of `bytes` and the length of its byte order mark, or
    /// nil when the bytes are neither (see ``WideEncoding``).
    public static func wideEncoding(of bytes: [UInt8]) -> (order: WideEncoding, bomLength: Int)? {
        if bytes.count >= 4 && bytes[2] == 0 && bytes[3] == 0 && bytes[0] == 0xFF && bytes[1] == 0xFE {
            return (.utf32LittleEndian, 4)
        }
        if bytes.count >= 4 && bytes[0] == 0 && bytes[1] == 0 && bytes[2] == 0xFE && bytes[3] == 0xFF {
            return (.utf32BigEndian, 4)
        }
        if bytes.count >= 2 {
            if bytes[0] == 0xFF && bytes[1] == 0xFE { return (.littleEndian, 2) }
            if bytes[0] == 0xFE && bytes[1] == 0xFF { return (.bigEndian, 2) }
        }
        let n = min(bytes.count, 4096) & ~1
        // Text in any 8-bit encoding has no NUL among its first bytes: most articles stop here.
        guard n >= 4, bytes[0] == 0 || bytes[1] == 0 || bytes[2] == 0 || bytes[3] == 0 else { return nil }
        var zeroEven = 0
        var zeroOdd = 0
        var k = 0
        while k < n {
            if bytes[k] == 0 { zeroEven += 1 }
            if bytes[k + 1] == 0 { zeroOdd += 1 }
            k += 2
        }
        let pairs = n / 2
        if zeroEven == 0 && zeroOdd * 5 >= pairs * 2 { return (.littleEndian, 0) }
        if zeroOdd == 0 && zeroEven * 5 >= pairs * 2 { return (.bigEndian, 0) }
        return nil
    }

    /// Decodes UTF-16 (or UTF-32) `bytes` after a byte order mark of `bomLength` bytes;
    /// unpaired surrogates, values that are not scalars and a partial last unit become
    /// U+FFFD, as Python's `errors="replace"` does.
    public static func decodeWide(_ bytes: [UInt8], order: WideEncoding, bomLength: Int) -> String {
        if order == .utf32LittleEndian || order == .utf32BigEndian {
            var text = String.UnicodeScalarView()
            var k = bomLength
            while k + 3 < bytes.count {
                let (a, b, c, d) = (UInt32(bytes[k]), UInt32(bytes[k + 1]), UInt32(bytes[k + 2]), UInt32(bytes[k + 3]))
                let value =
                    order == .utf32LittleEndian ? a | b << 8 | c << 16 | d << 24 : a << 24 | b << 16 | c << 8 | d
                text.append(Unicode.Scalar(value) ?? "\u{FFFD}")
                k += 4
            }
            if k < bytes.count { text.append("\u{FFFD}") }
            return String(text)
        }
        var units: [UInt16] = []
        let count = (bytes.count - bomLength) / 2
        units.reserveCapacity(count + 1)
        var k = bomLength
        while k + 1 < bytes.count {
            let (a, b) = (UInt16(bytes[k]), UInt16(bytes[k + 1]))
            units.append(order == .littleEndian ? a | b << 8 : a << 8 | b)
            k += 2
        }
        if k < bytes.count { units.append(0xFFFD) }
        return String(decoding: units, as: UTF16.self)
    }

    /// How ``decode(bytes:charset:)`` read a web page.
    public enum CharsetOutcome: Sendable, Equatable {
        /// UTF-8 (no charset, or UTF-8 declared), with `wasWindows1252` stray bytes.
        case utf8(wasWindows1252: Bool)
        /// Latin-1, Windows-1252 or ASCII declared: read as Windows-1252.
        case windows1252
        /// Another declared charset, read by Foundation.
        case declared
        /// Foundation does not decode the declared charset here (GB2312, Big5, EUC-KR and
        /// KOI8-R on Linux), or the bytes are not in it: read as UTF-8.
        case notDecoded
    }

    /// Decodes a web page's bytes by their declared charset (lower-cased IANA name, or nil):
    /// Latin-1, Windows-1252 and ASCII byte by byte as Windows-1252, UTF-8 as
    /// ``decode(bytes:)`` does, any other charset by Foundation's converters.
    public static func decode(bytes: [UInt8], charset: String?) -> (String, CharsetOutcome) {
        switch charset {
        case "iso-8859-1", "latin1", "latin-1", "windows-1252", "cp1252", "us-ascii", "ascii":
            var scalars = String.UnicodeScalarView()
            for b in bytes { scalars.append(Unicode.Scalar(windows1252Scalar(b)) ?? "\u{FFFD}") }
            return (String(scalars), .windows1252)
        case let charset? where charset != "utf-8" && charset != "utf8":
            if let encoding = String.Encoding(ianaName: charset), let text = String(bytes: bytes, encoding: encoding) {
                return (text, .declared)
            }
            return (decode(bytes: bytes).0, .notDecoded)
        default:
            let (text, was1252) = decode(bytes: bytes)
            return (text, .utf8(wasWindows1252: was1252))
        }
    }

    /// The Unicode scalar value of a Windows-1252 byte (the table is ``Windows1252``'s).
    static func windows1252Scalar(_ byte: UInt8) -> UInt32 {
        byte >= 0x80 && byte < 0xA0 ? Windows1252.high[Int(byte) - 0x80] : UInt32(byte)
    }

    /// The Windows-1252 byte for a scalar, if the code page has one.
    static func windows1252Byte(_ scalar: UInt32) -> UInt8? {
        if scalar < 0x80 || (scalar >= 0xA0 && scalar <= 0xFF) { return UInt8(scalar) }
        // 0x80...0x9F: the code page's punctuation, or a C1 control at an undefined position.
        guard let index = Windows1252.high.firstIndex(of: scalar) else { return nil }
        return UInt8(0x80 + index)
    }

    /// The length of the valid UTF-8 sequence starting at `i`, or 0 if there is none.
    static func validSequenceLength(_ p: [UInt8], at i: Int) -> Int {
        let n = p.count
        let b0 = p[i]
        @inline(__always) func cont(_ j: Int, _ lo: UInt8 = 0x80, _ hi: UInt8 = 0xBF) -> Bool {
            j < n && p[j] >= lo && p[j] <= hi
        }
        switch b0 {
        case 0xC2...0xDF: return cont(i + 1) ? 2 : 0
        case 0xE0: return cont(i + 1, 0xA0) && cont(i + 2) ? 3 : 0
        case 0xE1...0xEC, 0xEE, 0xEF: return cont(i + 1) && cont(i + 2) ? 3 : 0
        case 0xED: return cont(i + 1, 0x80, 0x9F) && cont(i + 2) ? 3 : 0
        case 0xF0: return cont(i + 1, 0x90) && cont(i + 2) && cont(i + 3) ? 4 : 0
        case 0xF1...0xF3: return cont(i + 1) && cont(i + 2) && cont(i + 3) ? 4 : 0
        case 0xF4: return cont(i + 1, 0x80, 0x8F) && cont(i + 2) && cont(i + 3) ? 4 : 0
        default: return 0
        }
    }
}
