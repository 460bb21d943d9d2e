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
