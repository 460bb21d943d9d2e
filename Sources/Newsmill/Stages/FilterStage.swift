import Foundation

#if canImport(Glibc)
    @preconcurrency import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The `filter` stage: drops documents by length (words, characters) and by patterns
/// (`exclude`: drop when one matches; `require`: drop when none does), as DataTrove's and
/// Dolma's length and pattern filters do. A dropped document is counted under its reason
/// in report.json (`dropped_by_reason`, e.g. `"filter: fewer than 50 words"`).
///
/// Words are whitespace-separated; characters are Unicode scalars. Patterns:
/// `contains:TEXT` (or plain `TEXT`), ASCII-case-insensitive; `regex:PATTERN`, an ICU
/// regular expression (case-insensitive) searched in the text.
///
/// Quality rules in the manner of Gopher (Rae et al. 2021, as DataTrove's
/// GopherQualityFilter applies them), each off unless set: the share of words with a
/// letter, the mean word length, the ratio of `#` words and ellipses to words, the share
/// of lines repeated in the document, and a minimum of English stop words ("the", "be",
/// "to", "of", "and", "that", "have", "with").
public struct FilterStage: Stage {
    public static let name = "filter"
    public static let summary = "drop documents by length (words, characters) or by text patterns"
    public static let optionSpecs = [
        OptionSpec("min_words", default: "0", "drop documents with fewer whitespace-separated words"),
        OptionSpec("max_words", default: "0", "drop documents with more words (0: no limit)"),
        OptionSpec("min_chars", default: "0", "drop documents with fewer characters (Unicode scalars)"),
        OptionSpec("max_chars", default: "0", "drop documents with more characters (0: no limit)"),
        OptionSpec(
            "exclude", default: "[]",
            "drop documents that match one of these: contains:TEXT (or TEXT), regex:PATTERN; case-insensitive"),
        OptionSpec("require", default: "[]", "drop documents that match none of these (same patterns)"),
        OptionSpec("min_alpha_words", default: "0", "drop when fewer of the words hold a letter (0 to 1; Gopher: 0.8)"),
        OptionSpec("min_mean_word_length", default: "0", "drop when words are shorter on average (Gopher: 3)"),
        OptionSpec(
            "max_mean_word_length", default: "0", "drop when words are longer on average (0: no limit; Gopher: 10)"),
        OptionSpec(
            "max_symbol_ratio", default: "0",
            "drop when '#' words plus ellipses per word exceed this (0: no limit; Gopher: 0.1)"),
        OptionSpec(
            "max_duplicate_lines", default: "0",
            "drop when more of the lines repeat an earlier line of the document (0: no limit; Gopher: 0.3)"),
        OptionSpec("min_stop_words", default: "0", "drop when fewer English stop words occur (Gopher: 2)"),
    ]

    /// A compiled pattern: lower-cased bytes, or a regular expression.
    struct Pattern: Sendable {
        let spec: String
        let bytes: [UInt8]
        let regex: Boilerplate.RegexBox?

        func matches(lowered: UnsafeBufferPointer<UInt8>, text: String) -> Bool {
            if let regex {
                let range = NSRange(text.startIndex..<text.endIndex, in: text)
                return regex.regex.firstMatch(in: text, options: [], range: range) != nil
            }
            return FilterStage.contains(lowered, bytes)
        }
    }

    let minWords, maxWords, minChars, maxChars: Int
    let exclude: [Pattern]
    let require: [Pattern]
    let minAlphaWords, minMeanWordLength, maxMeanWordLength, maxSymbolRatio, maxDuplicateLines: Double
    let minStopWords: Int
    var usesQuality: Bool {
        minAlphaWords > 0 || minMeanWordLength > 0 || maxMeanWordLength > 0 || maxSymbolRatio > 0
            || maxDuplicateLines > 0 || minStopWords > 0
    }

    public init(options: StageOptions) throws(ConfigError) {
        minWords = try options.int("min_words", default: 0, in: 0...Int.max)
        maxWords = try options.int("max_words", default: 0, in: 0...Int.max)
        minChars = try options.int("min_chars", default: 0, in: 0...Int.max)
        maxChars = try options.int("max_chars", default: 0, in: 0...Int.max)
        exclude = try Self.patterns(options, "exclude")
        require = try Self.patterns(options, "require")
        minAlphaWords = try options.double("min_alpha_words", default: 0, in: 0...1)
        minMeanWordLength = try options.double("min_mean_word_length", default: 0, in: 0...1000)
        maxMeanWordLength = try options.double("max_mean_word_length", default: 0, in: 0...1000)
        maxSymbolRatio = try options.double("max_symbol_ratio", default: 0, in: 0...1000)
        maxDuplicateLines = try options.double("max_duplicate_lines", default: 0, in: 0...1)
        minStopWords = try options.int("min_stop_words", default: 0, in: 0...1000)
        if maxWords > 0 && maxWords < minWords {
            throw .invalidOption(
                key: "max_words", value: "\(maxWords)", expected: "at least min_words (\(minWords)), or 0",
                at: options.location(of: "max_words"))
        }
        if maxChars > 0 && maxChars < minChars {
            throw .invalidOption(
                key: "max_chars", value: "\(maxChars)", expected: "at least min_chars (\(minChars)), or 0",
                at: options.location(of: "max_chars"))
        }
    }

    static func patterns(_ options: StageOptions, _ key: String) throws(ConfigError) -> [Pattern] {
        var patterns: [Pattern] = []
        for spec in try options.stringList(key, default: []) {
            if spec.hasPrefix("regex:") {
                guard
                    let regex = try? NSRegularExpression(
                        pattern: String(spec.dropFirst(6)), options: [.caseInsensitive])
                else {
                    throw .invalidOption(
                        key: key, value: spec, expected: "a valid regular expression after regex:",
                        at: options.location(of: key))
                }
                patterns.append(Pattern(spec: spec, bytes: [], regex: Boilerplate.RegexBox(regex)))
                continue
            }
            let text = spec.hasPrefix("contains:") ? spec.dropFirst(9) : spec[...]
            guard !text.isEmpty else {
                throw .invalidOption(
                    key: key, value: spec, expected: "a non-empty pattern", at: options.location(of: key))
            }
            patterns.append(Pattern(spec: spec, bytes: text.utf8.map(UTF8Bytes.lower), regex: nil))
        }
        return patterns
    }

    public func process(_ document: inout Document, in context: StageContext) throws -> Verdict {
        var text = document.text
        if minWords > 0 || maxWords > 0 || minChars > 0 || maxChars > 0,
            let reason = text.withUTF8({ lengthFailure($0) })
        {
            return .drop(reason: reason)
        }
        if usesQuality, let reason = text.withUTF8({ qualityFailure(Self.quality($0)) }) {
            return .drop(reason: reason)
        }
        guard !exclude.isEmpty || !require.isEmpty else { return .keep }
        let lowered = text.withUTF8 { $0.map(UTF8Bytes.lower) }
        return lowered.withUnsafeBufferPointer { lowered in
            for pattern in exclude where pattern.matches(lowered: lowered, text: document.text) {
                return .drop(reason: "matches exclude pattern '\(pattern.spec)'")
            }
            if !require.isEmpty && !require.contains(where: { $0.matches(lowered: lowered, text: document.text) }) {
                return .drop(reason: "matches no require pattern")
            }
            return .keep
        }
    }

    /// The first length limit `utf8` breaks, as a drop reason.
    func lengthFailure(_ utf8: UnsafeBufferPointer<UInt8>) -> String? {
        let (words, chars) = Self.counts(utf8)
        if words < minWords { return "fewer than \(minWords) words" }
        if maxWords > 0 && words > maxWords { return "more than \(maxWords) words" }
        if chars < minChars { return "fewer than \(minChars) characters" }
        if maxChars > 0 && chars > maxChars { return "more than \(maxChars) characters" }
        return nil
    }

    /// What the quality rules read of a text.
    struct Quality: Equatable {
        var words = 0
        var alphaWords = 0
        var wordScalars = 0
        var symbols = 0
        var lines = 0
        var duplicateLines = 0
        var stopWords = 0
    }

    /// The first quality rule `q` fails, as a drop reason.
    func qualityFailure(_ q: Quality) -> String? {
        let words = Double(max(q.words, 1))
        if minAlphaWords > 0 && Double(q.alphaWords) / words < minAlphaWords {
            return "fewer than \(minAlphaWords) of the words with a letter"
        }
        let mean = Double(q.wordScalars) / words
        if minMeanWordLength > 0 && mean < minMeanWordLength {
            return "mean word length below \(minMeanWordLength)"
        }
        if maxMeanWordLength > 0 && mean > maxMeanWordLength {
            return "mean word length above \(maxMeanWordLength)"
        }
        if maxSymbolRatio > 0 && Double(q.symbols) / words > maxSymbolRatio {
            return "symbol ratio above \(maxSymbolRatio)"
        }
        if maxDuplicateLines > 0 && Double(q.duplicateLines) / Double(max(q.lines, 1)) > maxDuplicateLines {
            return "more than \(maxDuplicateLines) of the lines repeated"
        }
        if q.stopWords < minStopWords { return "fewer than \(minStopWords) stop words" }
        return nil
    }

    /// The stop words, each packed with its length into a UInt64 (no allocation a word).
    static let stopWords: Set<UInt64> = Set(
        ["the", "be", "to", "of", "and", "that", "have", "with"].map { word in
            word.utf8.reduce(UInt64(word.utf8.count)) { $0 << 8 | UInt64($1) }
        })

    /// One pass over the text: words (with a letter, their length), `#` words and
    /// ellipses, lines and repeated lines (by hash), stop words.
    static func quality(_ utf8: UnsafeBufferPointer<UInt8>) -> Quality {
        var q = Quality()
        var seenLines = Set<UInt64>()
        var lineHash: UInt64 = 0xcbf2_9ce4_8422_2325
        var lineHasText = false
        var wordStart = -1
        var wordLetter = false
        var wordScalars = 0
        func endWord(_ end: Int) {
            guard wordStart >= 0 else { return }
            q.words += 1
            q.wordScalars += wordScalars
            if wordLetter { q.alphaWords += 1 }
            if utf8[wordStart] == UInt8(ascii: "#") { q.symbols += 1 }
            let length = end - wordStart
            if length <= 4 {
                var packed = UInt64(length)
                for k in wordStart..<end { packed = packed << 8 | UInt64(UTF8Bytes.lower(utf8[k])) }
                if stopWords.contains(packed) { q.stopWords += 1 }
            }
            wordStart = -1
            wordLetter = false
            wordScalars = 0
        }
        func endLine() {
            if lineHasText {
                q.lines += 1
                if !seenLines.insert(lineHash).inserted { q.duplicateLines += 1 }
            }
            lineHash = 0xcbf2_9ce4_8422_2325
            lineHasText = false
        }
        for k in 0..<utf8.count {
            let b = utf8[k]
            if b == 0x0A {
                endWord(k)
                endLine()
                continue
            }
            let space = b == 0x20 || b == 0x09 || b == 0x0D || b == 0x0C || b == 0x0B
            if space {
                endWord(k)
            } else {
                if wordStart < 0 { wordStart = k }
                if b & 0xC0 != 0x80 { wordScalars += 1 }
                if (b | 0x20) &- 0x61 < 26 || b >= 0xC0 { wordLetter = true }
                if b == UInt8(ascii: ".") && k >= 2 && utf8[k - 1] == b && utf8[k - 2] == b
                    && (k + 1 >= utf8.count || utf8[k + 1] != b)
                {
                    q.symbols += 1  // "..."
                }
                if b == 0xA6 && k >= 2 && utf8[k - 1] == 0x80 && utf8[k - 2] == 0xE2 { q.symbols += 1 }  // "…"
                lineHasText = true
            }
            lineHash = (lineHash ^ UInt64(b)) &* 0x100_0000_01b3
        }
        endWord(utf8.count)
        endLine()
        return q
    }

    /// Whether `haystack` holds `needle` (memchr for its first byte, then a compare).
    static func contains(_ haystack: UnsafeBufferPointer<UInt8>, _ needle: [UInt8]) -> Bool {
        guard let base = haystack.baseAddress, let first = needle.first, needle.count <= haystack.count else {
            return false
        }
        let last = haystack.count - needle.count
        var i = 0
        return needle.withUnsafeBufferPointer { n in
            guard let nBase = n.baseAddress else { return false }
            while i <= last {
                guard let hit = memchr(base + i, Int32(first), last - i + 1) else { return false }
                i = base.distance(to: hit.assumingMemoryBound(to: UInt8.self))
                if memcmp(base + i, nBase, n.count) == 0 { return true }
                i += 1
            }
            return false
        }
    }

    /// Whitespace-separated words and Unicode scalars of UTF-8 text.
    static func counts(_ utf8: UnsafeBufferPointer<UInt8>) -> (words: Int, chars: Int) {
        var words = 0
        var chars = 0
        var inWord = false
        for b in utf8 {
            if b & 0xC0 != 0x80 { chars += 1 }
            let space = b == 0x20 || b == 0x0A || b == 0x09 || b == 0x0D || b == 0x0C || b == 0x0B
            if !space && !inWord { words += 1 }
            inWord = !space
        }
        return (words, chars)
    }
}
