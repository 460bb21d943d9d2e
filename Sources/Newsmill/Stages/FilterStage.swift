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

    public init(options: StageOptions) throws(ConfigError) {
        minWords = try options.int("min_words", default: 0, in: 0...Int.max)
        maxWords = try options.int("max_words", default: 0, in: 0...Int.max)
        minChars = try options.int("min_chars", default: 0, in: 0...Int.max)
        maxChars = try options.int("max_chars", default: 0, in: 0...Int.max)
        exclude = try Self.patterns(options, "exclude")
        require = try Self.patterns(options, "require")
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
        let (words, chars) = text.withUTF8 { Self.counts($0) }
        if words < minWords { return .drop(reason: "fewer than \(minWords) words") }
        if maxWords > 0 && words > maxWords { return .drop(reason: "more than \(maxWords) words") }
        if chars < minChars { return .drop(reason: "fewer than \(minChars) characters") }
        if maxChars > 0 && chars > maxChars { return .drop(reason: "more than \(maxChars) characters") }
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
