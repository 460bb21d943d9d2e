/// UTF-8 scanning helpers shared by the tokenizer and the sentence splitter.
///
/// Everything works on raw UTF-8 bytes: ASCII is classified through a 128-entry table,
/// and a scalar is decoded only where a byte is not ASCII.
enum TextScanning {
    /// Whether a byte is an ASCII letter.
    @inline(__always)
    static func isAlphaByte(_ b: UInt8) -> Bool { (b | 0x20) &- 0x61 < 26 }

    /// Whether a byte is an ASCII letter or digit.
    @inline(__always)
    static func isAlnumByte(_ b: UInt8) -> Bool { (b | 0x20) &- 0x61 < 26 || b &- 0x30 < 10 }

    /// Whether a byte is an ASCII digit.
    @inline(__always)
    static func isDigitByte(_ b: UInt8) -> Bool { b &- 0x30 < 10 }

    /// Whether a byte is ASCII whitespace.
    @inline(__always)
    static func isSpaceByte(_ b: UInt8) -> Bool { b == 0x20 || b &- 9 < 5 }

    /// Decodes the scalar starting at `i` (before `end`); invalid bytes decode as U+FFFD, length 1.
    @inline(__always)
    static func scalar(_ b: UnsafeBufferPointer<UInt8>, at i: Int, end: Int) -> (value: UInt32, length: Int) {
        let b0 = b[i]
        if b0 < 0x80 { return (UInt32(b0), 1) }
        if b0 >= 0xC2 && b0 < 0xE0 && i + 1 < end && b[i + 1] & 0xC0 == 0x80 {
            return ((UInt32(b0 & 0x1F) << 6) | UInt32(b[i + 1] & 0x3F), 2)
        }
        if b0 >= 0xE0 && b0 < 0xF0 && i + 2 < end && b[i + 1] & 0xC0 == 0x80 && b[i + 2] & 0xC0 == 0x80 {
            return ((UInt32(b0 & 0x0F) << 12) | (UInt32(b[i + 1] & 0x3F) << 6) | UInt32(b[i + 2] & 0x3F), 3)
        }
        if b0 >= 0xF0 && b0 < 0xF5 && i + 3 < end && b[i + 1] & 0xC0 == 0x80 && b[i + 2] & 0xC0 == 0x80
            && b[i + 3] & 0xC0 == 0x80
        {
            return (
                (UInt32(b0 & 0x07) << 18) | (UInt32(b[i + 1] & 0x3F) << 12)
                    | (UInt32(b[i + 2] & 0x3F) << 6) | UInt32(b[i + 3] & 0x3F), 4
            )
        }
        return (0xFFFD, 1)
    }

    /// Decodes the scalar that ends at `i` (exclusive), not reaching before `start`.
    @inline(__always)
    static func scalar(_ b: UnsafeBufferPointer<UInt8>, before i: Int, start: Int) -> (value: UInt32, length: Int) {
        if b[i - 1] < 0x80 { return (UInt32(b[i - 1]), 1) }
        var j = i - 1
        while j > start && j > i - 4 && b[j] & 0xC0 == 0x80 { j -= 1 }
        let decoded = scalar(b, at: j, end: i)
        if decoded.length == i - j { return decoded }
        return (0xFFFD, 1)
    }

    /// The byte length of the whitespace character at `i`, or 0 when it is not whitespace.
    /// Covers ASCII whitespace, NEL, no-break and other Unicode spaces, zero-width space
    /// and the byte-order mark.
    @inline(__always)
    static func spaceLength(_ b: UnsafeBufferPointer<UInt8>, at i: Int, end: Int) -> Int {
        let b0 = b[i]
        if b0 < 0x80 { return isSpaceByte(b0) ? 1 : 0 }
        if b0 == 0xC2 || b0 == 0xE1 || b0 == 0xE2 || b0 == 0xE3 || b0 == 0xEF {
            let (value, length) = scalar(b, at: i, end: end)
            return isSpace(value) ? length : 0
        }
        return 0
    }

    /// Whether a scalar separates tokens.
    @inline(__always)
    static func isSpace(_ v: UInt32) -> Bool {
        switch v {
        case 9...13, 32, 0x85, 0xA0, 0x1680, 0x2000...0x200B, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000, 0xFEFF:
            return true
        default:
            return false
        }
    }

    /// Whether a scalar breaks a line (a paragraph break in the segmenter's terms).
    @inline(__always)
    static func isNewline(_ v: UInt32) -> Bool {
        v == 10 || v == 13 || v == 0x2028 || v == 0x2029 || v == 0x85 || v == 11 || v == 12
    }

    /// Whether a scalar is a letter or digit for tokenization purposes: ASCII letters and
    /// digits, and every non-ASCII scalar that is not punctuation, a symbol or a space.
    @inline(__always)
    static func isWordScalar(_ v: UInt32) -> Bool {
        if v < 0x80 { return isAlnumByte(UInt8(truncatingIfNeeded: v)) }
        return !isPunctuationOrSymbol(v) && !isSpace(v)
    }

    /// Whether a scalar is an ASCII letter or any non-ASCII word scalar.
    @inline(__always)
    static func isLetter(_ v: UInt32) -> Bool {
        if v < 0x80 { return isAlphaByte(UInt8(truncatingIfNeeded: v)) }
        return isWordScalar(v)
    }

    @inline(__always)
    static func isDigit(_ v: UInt32) -> Bool { v &- 48 < 10 }

    /// Non-ASCII punctuation and symbols that always form tokens of their own.
    @inline(__always)
    static func isPunctuationOrSymbol(_ v: UInt32) -> Bool {
        switch v {
        case 0xA1...0xA9, 0xAB, 0xAC, 0xAE...0xB1, 0xB4, 0xB6, 0xB7, 0xBB, 0xBF, 0xD7, 0xF7,
            0x2010...0x2027, 0x2030...0x205E, 0x20A0...0x20CF, 0x2100...0x214F, 0x2190...0x23FF,
            0x2500...0x27BF, 0x2900...0x2BFF, 0x2E00...0x2E7F, 0x3001...0x3003, 0x3008...0x3011,
            0xFE10...0xFE19, 0xFF01...0xFF0F, 0xFF1A...0xFF20, 0xFF3B...0xFF40, 0xFF5B...0xFF65,
            0x1F000...0x1FAFF:
            return true
        default:
            return false
        }
    }

    /// Emoji modifiers and joiners that stay attached to the preceding emoji.
    @inline(__always)
    static func isEmojiModifier(_ v: UInt32) -> Bool {
        v == 0xFE0F || v == 0x200D || v == 0x20E3 || (0x1F3FB...0x1F3FF).contains(v)
    }

    /// Opening quotation marks.
    @inline(__always)
    static func isOpeningQuote(_ v: UInt32) -> Bool {
        v == 0x22 || v == 0x27 || v == 0x60 || v == 0x201C || v == 0x2018 || v == 0xAB || v == 0x2039
            || v == 0x201E || v == 0x201A
    }

    /// Quotation marks and brackets that can close a sentence after its final mark.
    @inline(__always)
    static func isCloser(_ v: UInt32) -> Bool {
        v == 0x22 || v == 0x27 || v == 0x29 || v == 0x5D || v == 0x7D || v == 0x201D || v == 0x2019
            || v == 0xBB || v == 0x203A
    }

    /// List bullets.
    @inline(__always)
    static func isBullet(_ v: UInt32) -> Bool {
        v == 0x2022 || v == 0x2023 || v == 0x2043 || v == 0x25AA || v == 0x25BA || v == 0x25CF
            || v == 0x25E6 || v == 0x25A0 || v == 0x27A2
    }

    /// Whether a scalar is an upper-case letter (ASCII fast path; Unicode properties otherwise).
    @inline(__always)
    static func isUpper(_ v: UInt32) -> Bool {
        if v < 0x80 { return v &- 0x41 < 26 }
        guard let scalar = Unicode.Scalar(v) else { return false }
        return scalar.properties.isUppercase
    }

    /// Whether a scalar is a lower-case letter (ASCII fast path; Unicode properties otherwise).
    @inline(__always)
    static func isLower(_ v: UInt32) -> Bool {
        if v < 0x80 { return v &- 0x61 < 26 }
        guard let scalar = Unicode.Scalar(v) else { return false }
        return scalar.properties.isLowercase
    }
}
