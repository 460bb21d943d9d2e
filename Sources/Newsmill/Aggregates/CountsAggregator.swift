/// Counts documents, sentences, tokens and term frequencies (with document frequency),
/// optionally grouped by a metadata field; writes totals and the top-k terms.
public struct CountsAggregator: Aggregator {
    public static let name = "counts"
    public static let summary = "documents, sentences, tokens and the most frequent terms (optionally by group)"
    public static let optionSpecs = [
        OptionSpec("top_k", default: "100", "how many of the most frequent terms to write (0 = all)"),
        OptionSpec("min_count", default: "1", "leave out terms seen fewer times"),
        OptionSpec("lowercase", default: "true", "fold ASCII letters to lower case before counting terms"),
        OptionSpec("terms", default: "true", "count term frequencies (false: totals only)"),
        OptionSpec("punctuation", default: "false", "count tokens made only of punctuation as terms"),
        OptionSpec("group_by", default: "none", "a metadata field (e.g. date, source) to count by; 'none' for corpus-wide"),
    ]

    let topK: Int
    let minCount: Int
    let lowercase: Bool
    let countTerms: Bool
    let punctuation: Bool
    let groupBy: String?

    struct Group: Sendable {
        var documents = 0
        var sentences = 0
        var tokens = 0
        var terms = TermTable()
    }

    var groups: [String: Group] = [:]
    private var documentNumber: Int32 = 0

    public init(options: StageOptions) throws(ConfigError) {
        topK = try options.int("top_k", default: 100, in: 0...10_000_000)
        minCount = try options.int("min_count", default: 1, in: 1...Int.max)
        lowercase = try options.bool("lowercase", default: true)
        countTerms = try options.bool("terms", default: true)
        punctuation = try options.bool("punctuation", default: false)
        let group = try options.string("group_by", default: "none")
        groupBy = group == "none" ? nil : group
    }

    private func groupKey(_ document: Document) -> String {
        guard let field = groupBy else { return "" }
        switch document.metadata(field) {
        case .string(let s): return s
        case .number(let n): return n
        case .bool(let b): return b ? "true" : "false"
        case .none, .null: return "(none)"
        case .some(let other): return other.jsonText
        }
    }

    public mutating func add(_ document: Document) {
        let key = groupKey(document)
        groups[key, default: Group()].documents += 1
        groups[key, default: Group()].sentences += document.sentences.count
        groups[key, default: Group()].tokens += document.tokens.count
        if countTerms {
            documentNumber &+= 1
            // Static, so that `self` is not held while one of its groups is mutated (which
            // would copy the table on every call).
            Self.addTerms(of: document, number: documentNumber, lowercase: lowercase, punctuation: punctuation,
                          to: &groups[key, default: Group()].terms)
        }
    }

    private static func addTerms(of document: Document, number docNumber: Int32, lowercase: Bool, punctuation: Bool,
                                 to terms: inout TermTable) {
        do {
            var scratch = [UInt8](repeating: 0, count: 256)
            var text = document.text
            text.withUTF8 { utf8 in
                func addTerm(_ start: Int, _ end: Int) {
                    let length = end - start
                    guard length > 0, length <= 256 else { return }
                    var hasWordByte = false
                    for k in start..<end {
                        let b = utf8[k]
                        var c = b
                        if lowercase, b >= 0x41, b <= 0x5A { c = b | 0x20 }
                        scratch[k - start] = c
                        if b >= 0x80 || (c >= 0x61 && c <= 0x7A) || (b >= 0x30 && b <= 0x39) { hasWordByte = true }
                    }
                    guard hasWordByte || punctuation else { return }
                    scratch.withUnsafeBufferPointer { s in
                        terms.add(UnsafeBufferPointer(rebasing: s[0..<length]), document: docNumber)
                    }
                }
                if document.tokens.isEmpty {
                    // Untokenized text: whitespace-separated words.
                    var start = -1
                    for k in 0..<utf8.count {
                        let b = utf8[k]
                        let space = b == 0x20 || b == 0x0A || b == 0x09 || b == 0x0D
                        if space {
                            if start >= 0 { addTerm(start, k) }
                            start = -1
                        } else if start < 0 {
                            start = k
                        }
                    }
                    if start >= 0 { addTerm(start, utf8.count) }
                } else {
                    for token in document.tokens { addTerm(Int(token.start), Int(token.end)) }
                }
            }
        }
    }

    public mutating func merge(_ other: CountsAggregator) {
        for (key, theirs) in other.groups {
            var group = groups[key] ?? Group()
            group.documents += theirs.documents
            group.sentences += theirs.sentences
            group.tokens += theirs.tokens
            group.terms.merge(theirs.terms)
            groups[key] = group
        }
    }

    public func records() -> [AggregateRecord] {
        var records: [AggregateRecord] = []
        for key in groups.keys.sorted(by: { $0.utf8.lexicographicallyPrecedes($1.utf8) }) {
            guard let group = groups[key] else { continue }
            let groupField: [JSONMember] = groupBy == nil ? [] : [JSONMember("group", .string(key))]
            records.append(AggregateRecord(key: .string("documents"), count: group.documents,
                                           extra: [JSONMember("field", .string("total"))] + groupField))
            records.append(AggregateRecord(key: .string("sentences"), count: group.sentences,
                                           extra: [JSONMember("field", .string("total"))] + groupField))
            records.append(AggregateRecord(key: .string("tokens"), count: group.tokens,
                                           extra: [JSONMember("field", .string("total"))] + groupField))
            if countTerms {
                records.append(AggregateRecord(key: .string("distinct_terms"), count: group.terms.count,
                                               extra: [JSONMember("field", .string("total"))] + groupField))
                for (term, count, documents) in group.terms.top(topK, minCount: minCount) {
                    records.append(AggregateRecord(
                        key: .string(term), count: count,
                        extra: [JSONMember("field", .string("term")), JSONMember("docs", .int(documents))] + groupField))
                }
            }
        }
        return records
    }

    public func encodePartial() -> JSONValue {
        .object(groups.keys.sorted(by: { $0.utf8.lexicographicallyPrecedes($1.utf8) }).compactMap { key in
            guard let g = groups[key] else { return nil }
            return JSONMember(key, .object([
                JSONMember("documents", .int(g.documents)),
                JSONMember("sentences", .int(g.sentences)),
                JSONMember("tokens", .int(g.tokens)),
                JSONMember("terms", g.terms.encode()),
            ]))
        })
    }

    public mutating func decodePartial(_ value: JSONValue) throws {
        guard let members = value.objectValue else {
            throw PartialFormatError(aggregate: Self.name, detail: "expected an object of groups")
        }
        var result: [String: Group] = [:]
        for member in members {
            let g = member.value
            guard let documents = g["documents"]?.intValue, let sentences = g["sentences"]?.intValue,
                  let tokens = g["tokens"]?.intValue, let termsValue = g["terms"],
                  let terms = TermTable.decode(termsValue)
            else { throw PartialFormatError(aggregate: Self.name, detail: "group '\(member.key)' is malformed") }
            result[member.key] = Group(documents: documents, sentences: sentences, tokens: tokens, terms: terms)
        }
        groups = result
    }
}
