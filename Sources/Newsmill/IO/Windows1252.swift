/// Decodes bytes as Windows-1252 (the usual encoding of text that is not valid UTF-8).
public enum Windows1252 {
    /// The code points of bytes 0x80...0x9F; other bytes map to themselves (Latin-1).
    /// The five bytes Windows-1252 leaves undefined map to their C1 control characters.
    static let high: [UInt32] = [
        0x20AC, 0x81, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0x8D,
        0x017D, 0x8F, 0x90, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A,
        0x0153, 0x9D, 0x017E, 0x0178,
    ]

    /// Decodes every byte as Windows-1252.
    public static func decode<Bytes: Sequence>(_ bytes: Bytes) -> String where Bytes.Element == UInt8 {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.underestimatedCount + 16)
        for b in bytes {
            if b < 0x80 {
                out.append(b)
            } else if b < 0xA0 {
                appendUTF8(high[Int(b - 0x80)], to: &out)
            } else {
                appendUTF8(UInt32(b), to: &out)
            }
        }
        return String(decoding: out, as: UTF8.self)
    }
}
