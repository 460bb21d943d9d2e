/// An error in a pipeline file or a stage's options. Every case names the place.
public enum ConfigError: Error, Sendable, Equatable, CustomStringConvertible {
    case cannotRead(path: String, detail: String)
    case syntax(SourceLocation, detail: String)
    case unknownStage(String, at: SourceLocation, suggestion: String?, known: [String])
    case unknownKey(String, at: SourceLocation, suggestion: String?, known: [String])
    case missingKey(String, at: SourceLocation)
    case invalidOption(key: String, value: String, expected: String, at: SourceLocation)
    case invalid(SourceLocation, detail: String)

    public var description: String {
        switch self {
        case .cannotRead(let path, let detail):
            return "\(path): cannot read pipeline file: \(detail)"
        case .syntax(let loc, let detail):
            return "\(loc): syntax error: \(detail)"
        case .unknownStage(let name, let loc, let suggestion, let known):
            if let suggestion { return "\(loc): unknown stage '\(name)'; did you mean '\(suggestion)'?" }
            return "\(loc): unknown stage '\(name)' (known: \(known.joined(separator: ", ")))"
        case .unknownKey(let key, let loc, let suggestion, let known):
            if let suggestion { return "\(loc): unknown key '\(key)'; did you mean '\(suggestion)'?" }
            return "\(loc): unknown key '\(key)' (known: \(known.joined(separator: ", ")))"
        case .missingKey(let key, let loc):
            return "\(loc): missing required key '\(key)'"
        case .invalidOption(let key, let value, let expected, let loc):
            return "\(loc): invalid value '\(value)' for '\(key)': expected \(expected)"
        case .invalid(let loc, let detail):
            return "\(loc): \(detail)"
        }
    }

    /// The nearest of `candidates` to `word` by edit distance, when it is close enough.
    public static func nearest(to word: String, in candidates: [String]) -> String? {
        var best: (String, Int)?
        let a = Array(word.lowercased().utf8)
        for candidate in candidates {
            let d = editDistance(a, Array(candidate.lowercased().utf8))
            if best.map({ d < $0.1 }) ?? true { best = (candidate, d) }
        }
        guard let (name, distance) = best else { return nil }
        let limit = max(2, a.count / 3)
        return distance <= limit ? name : nil
    }

    static func editDistance(_ a: [UInt8], _ b: [UInt8]) -> Int {
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            }
            swap(&previous, &current)
        }
        return previous[b.count]
    }
}
