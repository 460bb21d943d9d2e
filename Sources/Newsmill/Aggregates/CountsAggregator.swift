/// Counts documents, sentences, tokens and the frequencies (with document frequency) of
/// a unit: terms (token forms), lemmas, named entities by label, n-grams of tokens, or
/// pairs of entities in one sentence; optionally grouped by a metadata field; writes
/// totals and the top-k.
///
/// Memory is bounded: when the term tables of a partial outgrow its share of `memory_mb`,
/// they are written as a sorted run (``TermRunFile``) to the run's scratch folder and
/// emptied; records and the partial state then come from merging the runs with what is
/// left in memory (``TermRunMerger``), which gives exactly the counts of one table.
public struct CountsAggregator: Aggregator {
    public static let name = "counts"
    public static let summary =
        "documents, sentences, tokens and the most frequent terms, lemmas, entities, n-grams or entity pairs (optionally by group)"
    public static let optionSpecs = [
        OptionSpec(
            "unit", default: "terms",
            "what to count: terms (token forms), lemmas, entities (by label), ngrams (of n tokens in a sentence) or cooccurrence (pairs of entities in a sentence)"
        ),
        OptionSpec("n", default: "2", "tokens in an n-gram (unit: ngrams), 2 to 8"),
        OptionSpec(
            "labels", default: "all (names for cooccurrence)",
            "entity labels counted (units entities and cooccurrence): all, names (PERSON, NORP, ORG, GPE, LOC, FAC, EVENT, PRODUCT, WORK_OF_ART, LAW, LANGUAGE) or a list, e.g. [PERSON, ORG]"
        ),
        OptionSpec("top_k", default: "100", "how many of the most frequent terms to write (0 = all)"),
        OptionSpec("min_count", default: "1", "leave out terms seen fewer times"),
        OptionSpec(
            "lowercase", default: "true (false for entities and cooccurrence)",
            "fold ASCII letters to lower case before counting"),
        OptionSpec("terms", default: "true", "count term frequencies (false: totals only)"),
        OptionSpec(
            "punctuation", default: "false",
            "count tokens made only of punctuation as terms (n-grams: allow them inside)"),
        OptionSpec(
            "group_by", default: "none", "a metadata field (e.g. date, source) to count by; 'none' for corpus-wide"),
        OptionSpec(
            "period", default: "none",
            "with group_by on a date field: group by day, week (ISO), month or year; reads ISO 8601, RFC 2822 and written dates ('(not a date)' otherwise)"
        ),
        OptionSpec(
            "memory_mb", default: "32",
            "memory for the term tables, shared by the workers; beyond it, sorted runs go to a temporary folder beside the outputs and are merged at the end (exact)"
        ),
    ]

    /// What is counted.
    public enum Unit: String, Sendable, CaseIterable {
        case terms, lemmas, entities, ngrams, cooccurrence

        /// The key of the total of distinct keys.
        var distinctKey: String { self == .cooccurrence ? "distinct_pairs" : "distinct_" + rawValue }

        /// The `field` of its records.
        var field: String {
            switch self {
            case .terms: "term"
            case .lemmas: "lemma"
            case .entities: "entity"
            case .ngrams: "ngram"
            case .cooccurrence: "pair"
            }
        }
    }

    let unit: Unit
    let n: Int
    /// Bit `label.rawValue` set for each entity label counted.
    let labelMask: UInt32
    let topK: Int
    let minCount: Int
    let lowercase: Bool
    let countTerms: Bool
    let punctuation: Bool
    let groupBy: String?
    /// Dates of the group field are truncated to this period.
    let period: DatePeriod?
    let memoryBytes: Int
    /// A budget in bytes per partial that replaces `memory_mb`'s share (tests force spills with it).
    var budgetOverride: Int?

    struct Group: Sendable {
        var documents = 0
        var sentences = 0
        var tokens = 0
        var terms = TermTable()
    }

    var groups: [String: Group] = [:]
    private var documentNumber: Int32 = 0
    /// Where runs go; nil until ``prepare(_:)`` (then nothing spills).
    private var scratch: AggregateScratch?
    /// The bytes this partial's tables may hold before they spill.
    private var budget = Int.max
    /// The bytes the tables hold now.
    private var tableBytes = 0
    /// Sorted runs spilled so far (they belong to this partial).
    private(set) var runSet = TermRunSet()
    var runs: [String] { runSet.paths }
    /// Why spilling stopped, if a run could not be written (the tables then stay in memory).
    private(set) var spillFailure: IOFailure?

    public init(options: StageOptions) throws(ConfigError) {
        let unitName = try options.choice(
            "unit", default: Unit.terms.rawValue, from: Unit.allCases.map(\.rawValue))
        unit = Unit(rawValue: unitName) ?? .terms
        n = try options.int("n", default: 2, in: 2...8)
        var names = try options.stringList("labels", default: [unit == .cooccurrence ? "names" : "all"])
        if names == ["names"] { names = EntityScorerLabels.names.map(\.name) }
        if names == ["all"] { names = EntityLabel.allCases.map(\.name) }
        var mask: UInt32 = 0
        for name in names {
            guard let label = EntityLabel(name: name) else {
                throw .invalidOption(
                    key: "labels", value: name,
                    expected:
                        "all, names or OntoNotes labels (\(EntityLabel.allCases.map(\.name).joined(separator: ", ")))",
                    at: options.location(of: "labels"))
            }
            mask |= 1 << UInt32(label.rawValue)
        }
        labelMask = mask
        topK = try options.int("top_k", default: 100, in: 0...10_000_000)
        minCount = try options.int("min_count", default: 1, in: 1...Int.max)
        lowercase = try options.bool("lowercase", default: unit != .entities && unit != .cooccurrence)
        countTerms = try options.bool("terms", default: true)
        punctuation = try options.bool("punctuation", default: false)
        let group = try options.string("group_by", default: "none")
        groupBy = group == "none" ? nil : group
        let periodName = try options.choice(
            "period", default: "none", from: ["none"] + DatePeriod.allCases.map(\.rawValue))
        period = DatePeriod(rawValue: periodName)
        if period != nil && groupBy == nil {
            throw .invalid(
                options.location(of: "period"), detail: "'period' groups the dates of 'group_by': set group_by too")
        }
        memoryBytes = try options.int("memory_mb", default: 32, in: 1...1_048_576) << 20
    }

    public mutating func prepare(_ scratch: AggregateScratch) {
        self.scratch = scratch
        budget = budgetOverride ?? max(1 << 16, memoryBytes / scratch.partials)
    }

    private func groupKey(_ document: Document) -> String {
        guard let field = groupBy else { return "" }
        if let period {
            switch document.metadata(field) {
            case .string(let s): return period.key(s) ?? "(not a date)"
            case .number(let n): return period.key(n) ?? "(not a date)"
            case .none, .null: return "(none)"
            case .some: return "(not a date)"
            }
        }
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
            let before = groups[key]?.terms.memoryBytes ?? 0
            // Static, so that `self` is not held while one of its groups is mutated (which
            // would copy the table on every call).
            Self.addUnits(
                unit, n: n, labels: labelMask, of: document, number: documentNumber, lowercase: lowercase,
                punctuation: punctuation,
                to: &groups[key, default: Group()].terms)
            tableBytes += (groups[key]?.terms.memoryBytes ?? 0) - before
            if tableBytes > budget { spill() }
        }
    }

    /// Writes every group's terms as one sorted run and empties the tables. A document's
    /// terms are all in one run, so document counts stay exact when runs are summed.
    private mutating func spill() {
        guard let scratch else { return }
        var path = ""
        do {
            path = try scratch.newFile("terms")
            let writer = try TermRunFile.Writer(path: path)
            for key in sortedGroupKeys() {
                guard let table = groups[key]?.terms, table.count > 0 else { continue }
                var name = key
                try name.withUTF8 { group in
                    try table.forEachSorted { term, count, documents in
                        try writer.append(group: group, key: term, count: count, documents: documents)
                    }
                }
            }
            try writer.finish()
            for index in groups.indices { groups.values[index].terms.removeAll() }
            tableBytes = 0
            try runSet.add(path, order: .key, scratch: scratch)
        } catch {
            // Keep counting in memory: the result stays exact, only the memory bound is lost.
            if !path.isEmpty && runs.last != path { FileSystem.remove(path) }
            spillFailure = error as? IOFailure ?? IOFailure(path: path, detail: "\(error)")
            budget = .max
        }
    }

    private func sortedGroupKeys() -> [String] {
        groups.keys.sorted(by: { $0.utf8.lexicographicallyPrecedes($1.utf8) })
    }

    /// Longest key counted (bytes; longer n-grams, entities and pairs are left out).
    static let maxKeyBytes = 1024
    /// Separates the parts of a key: an entity's label and text, a pair's two entities.
    static let separator: UInt8 = 0x1F

    /// A key being built in a fixed buffer of ``maxKeyBytes`` (no allocation a term);
    /// `overflow` once more was appended.
    struct KeyBuffer {
        let base: UnsafeMutablePointer<UInt8>
        var count = 0
        var overflow = false

        mutating func removeAll() {
            count = 0
            overflow = false
        }

        @inline(__always)
        mutating func append(_ byte: UInt8) {
            guard count < CountsAggregator.maxKeyBytes else {
                overflow = true
                return
            }
            base[count] = byte
            count += 1
        }

        /// Appends `bytes` (ASCII capitals folded when asked); whether they hold a letter,
        /// a digit or a non-ASCII byte.
        @inline(__always)
        mutating func append(_ bytes: UnsafeBufferPointer<UInt8>, fold: Bool) -> Bool {
            var hasWordByte = false
            guard count + bytes.count <= CountsAggregator.maxKeyBytes else {
                overflow = true
                return true
            }
            for b in bytes {
                var c = b
                if fold, b &- 0x41 < 26 { c = b | 0x20 }
                base[count] = c
                count += 1
                if b >= 0x80 || (c | 0x20) &- 0x61 < 26 || b &- 0x30 < 10 { hasWordByte = true }
            }
            return hasWordByte
        }

        mutating func append(_ bytes: [UInt8]) {
            bytes.withUnsafeBufferPointer { _ = append($0, fold: false) }
        }

        var bytes: UnsafeBufferPointer<UInt8> { UnsafeBufferPointer(start: base, count: count) }
    }

    private static func addUnits(
        _ unit: Unit, n: Int, labels: UInt32, of document: Document, number docNumber: Int32, lowercase: Bool,
        punctuation: Bool,
        to terms: inout TermTable
    ) {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: maxKeyBytes) { storage in
            guard let storageBase = storage.baseAddress else { return }
            var key = KeyBuffer(base: storageBase)
            var text = document.text
            text.withUTF8 { utf8 in
                func span(_ start: Int, _ end: Int) -> UnsafeBufferPointer<UInt8> {
                    let s = max(0, min(start, utf8.count))
                    return UnsafeBufferPointer(rebasing: utf8[s..<max(s, min(end, utf8.count))])
                }
                func add() {
                    guard key.count > 0, !key.overflow else { return }
                    terms.add(key.bytes, document: docNumber)
                }
                switch unit {
                case .terms, .lemmas:
                    if document.tokens.isEmpty {
                        // Untokenized text: whitespace-separated words.
                        var start = -1
                        for k in 0...utf8.count {
                            let b: UInt8 = k < utf8.count ? utf8[k] : 0x20
                            if b == 0x20 || b == 0x0A || b == 0x09 || b == 0x0D {
                                if start >= 0 {
                                    key.removeAll()
                                    if key.append(span(start, k), fold: lowercase) || punctuation { add() }
                                }
                                start = -1
                            } else if start < 0 {
                                start = k
                            }
                        }
                        return
                    }
                    document.lemmaBytes.withUnsafeBufferPointer { lemmas in
                        for token in document.tokens {
                            var bytes = span(Int(token.start), Int(token.end))
                            let start = Int(token.lemmaStart)
                            if unit == .lemmas, token.lemmaLength >= 0, start >= 0,
                                start + Int(token.lemmaLength) <= lemmas.count
                            {
                                bytes = UnsafeBufferPointer(rebasing: lemmas[start..<start + Int(token.lemmaLength)])
                            }  // else the form: no lemma, or the lemma is the form
                            key.removeAll()
                            if key.append(bytes, fold: lowercase) || punctuation { add() }
                        }
                    }
                case .ngrams:
                    let tokens = document.tokens
                    guard tokens.count >= n else { return }
                    for first in 0...(tokens.count - n) {
                        guard tokens[first + n - 1].sentence == tokens[first].sentence else { continue }
                        key.removeAll()
                        var keep = true
                        for i in first..<(first + n) {
                            if i > first { key.append(0x20) }
                            if !key.append(span(Int(tokens[i].start), Int(tokens[i].end)), fold: lowercase)
                                && !punctuation
                            {
                                keep = false
                                break
                            }
                        }
                        if keep { add() }
                    }
                case .entities:
                    for entity in document.entities where labels & (1 << UInt32(entity.label.rawValue)) != 0 {
                        key.removeAll()
                        key.append(Array(entity.label.name.utf8))
                        key.append(separator)
                        _ = key.append(span(Int(entity.start), Int(entity.end)), fold: lowercase)
                        add()
                    }
                case .cooccurrence:
                    // Distinct entities of each sentence (label and text) as keys; then every pair.
                    var sentenceEnds: [Int32] = document.sentences.map(\.end)
                    if sentenceEnds.isEmpty { sentenceEnds = [Int32(utf8.count)] }
                    var entity = 0
                    var members: [[UInt8]] = []
                    for end in sentenceEnds {
                        members.removeAll(keepingCapacity: true)
                        while entity < document.entities.count && document.entities[entity].start < end {
                            let e = document.entities[entity]
                            entity += 1
                            guard labels & (1 << UInt32(e.label.rawValue)) != 0 else { continue }
                            key.removeAll()
                            key.append(Array(e.label.name.utf8))
                            key.append(separator)
                            _ = key.append(span(Int(e.start), Int(e.end)), fold: lowercase)
                            let member = Array(key.bytes)
                            if !key.overflow && !members.contains(member) { members.append(member) }
                        }
                        guard members.count > 1 else { continue }
                        members.sort { $0.lexicographicallyPrecedes($1) }
                        for i in 0..<members.count {
                            for j in (i + 1)..<members.count {
                                key.removeAll()
                                key.append(members[i])
                                key.append(separator)
                                key.append(members[j])
                                add()
                            }
                        }
                    }
                }
            }
        }
    }

    public mutating func merge(_ other: CountsAggregator) {
        for (key, theirs) in other.groups {
            // Taken out of the dictionary, so that the table is not copied when it changes.
            var group = groups.removeValue(forKey: key) ?? Group()
            group.documents += theirs.documents
            group.sentences += theirs.sentences
            group.tokens += theirs.tokens
            if group.terms.count == 0 {
                group.terms = theirs.terms
            } else {
                group.terms.merge(theirs.terms)
            }
            groups[key] = group
        }
        // Adopted tables remember the other partial's document numbers: continue above them.
        documentNumber = max(documentNumber, other.documentNumber)
        runSet.append(contentsOf: other.runSet)
        tableBytes = groups.values.reduce(0) { $0 + $1.terms.memoryBytes }
        if tableBytes > budget { spill() }
    }

    /// Calls `body` for each group in key order with the group's totals and a function that
    /// walks its terms in key byte order (at most once). With runs, the terms are the runs
    /// merged with what is in memory.
    private func forEachGroup(
        _ body: (String, Group, ((UnsafeBufferPointer<UInt8>, Int, Int) throws -> Void) throws -> Void) throws -> Void
    ) throws {
        guard let firstRun = runs.first else {
            for key in sortedGroupKeys() {
                guard let group = groups[key] else { continue }
                try body(key, group, { each in try group.terms.forEachSorted(each) })
            }
            return
        }
        // What is in memory becomes one more run (this partial is not changed).
        var paths = runs
        if groups.values.contains(where: { $0.terms.count > 0 }) {
            var copy = self
            copy.runSet = TermRunSet()
            // Beside the other runs (a partial that was merged runs into need not be prepared).
            copy.scratch = scratch ?? AggregateScratch(directory: FileSystem.directory(of: firstRun), partials: 1)
            copy.budget = 0
            copy.spill()
            if let failure = copy.spillFailure { throw failure }
            paths += copy.runs
        }
        let merger = try TermRunMerger(paths: paths)
        var more = try merger.next()
        for key in sortedGroupKeys() {
            guard let group = groups[key] else { continue }
            let name = Array(key.utf8)
            while more && TermRunMerger.compare(merger.group, name) < 0 { more = try merger.next() }
            try body(
                key, group,
                { each in
                    while more && merger.group == name {
                        try merger.key.withUnsafeBufferPointer { try each($0, merger.count, merger.documents) }
                        more = try merger.next()
                    }
                })
            while more && merger.group == name { more = try merger.next() }
        }
    }

    public func records() -> [AggregateRecord] {
        var records: [AggregateRecord] = []
        // Only runs can fail to read; the runner uses the throwing forms.
        try? forEachRecord { records.append($0) }
        return records
    }

    public func forEachRecord(_ emit: (AggregateRecord) throws -> Void) throws {
        try forEachGroup { key, group, terms in
            let groupField: [JSONMember] = groupBy == nil ? [] : [JSONMember("group", .string(key))]
            try emit(
                AggregateRecord(
                    key: .string("documents"), count: group.documents,
                    extra: [JSONMember("field", .string("total"))] + groupField))
            try emit(
                AggregateRecord(
                    key: .string("sentences"), count: group.sentences,
                    extra: [JSONMember("field", .string("total"))] + groupField))
            try emit(
                AggregateRecord(
                    key: .string("tokens"), count: group.tokens,
                    extra: [JSONMember("field", .string("total"))] + groupField))
            guard countTerms else { return }
            func emitTerm(_ entry: TopTerms.Entry) throws {
                let (key, labels) = Self.recordKey(entry.key, unit: unit)
                try emit(
                    AggregateRecord(
                        key: key, count: entry.count,
                        extra: [JSONMember("field", .string(unit.field))] + labels
                            + [JSONMember("docs", .int(entry.documents))] + groupField))
            }
            var distinct = 0
            if topK == 0, let firstRun = runs.first {
                // Every term, from a table that did not fit: ranked by an external sort.
                var ranked = RankedTerms(
                    budget: budget,
                    scratch: scratch ?? AggregateScratch(directory: FileSystem.directory(of: firstRun), partials: 1))
                try terms { term, count, documents in
                    distinct += 1
                    if count >= minCount { try ranked.add(term, count: count, documents: documents) }
                }
                try emit(
                    AggregateRecord(
                        key: .string(unit.distinctKey), count: distinct,
                        extra: [JSONMember("field", .string("total"))] + groupField))
                try ranked.forEachRanked(emitTerm)
                return
            }
            var top = TopTerms(k: topK)
            try terms { term, count, documents in
                distinct += 1
                if count >= minCount { top.offer(term, count: count, documents: documents) }
            }
            try emit(
                AggregateRecord(
                    key: .string(unit.distinctKey), count: distinct,
                    extra: [JSONMember("field", .string("total"))] + groupField))
            for entry in top.sorted() { try emitTerm(entry) }
        }
    }

    /// The record key of a stored key: the term; for entities the text and a `label`; for
    /// pairs the two texts and their `labels`.
    static func recordKey(_ stored: [UInt8], unit: Unit) -> (JSONValue, [JSONMember]) {
        func text(_ bytes: ArraySlice<UInt8>) -> String { String(decoding: bytes, as: UTF8.self) }
        switch unit {
        case .terms, .lemmas, .ngrams:
            return (.string(text(stored[...])), [])
        case .entities:
            let parts = stored.split(separator: separator, maxSplits: 1, omittingEmptySubsequences: false)
            guard parts.count == 2 else { return (.string(text(stored[...])), []) }
            return (.string(text(parts[1])), [JSONMember("label", .string(text(parts[0])))])
        case .cooccurrence:
            let parts = stored.split(separator: separator, omittingEmptySubsequences: false)
            guard parts.count == 4 else { return (.string(text(stored[...])), []) }
            return (
                .array([.string(text(parts[1])), .string(text(parts[3]))]),
                [JSONMember("labels", .array([.string(text(parts[0])), .string(text(parts[2]))]))]
            )
        }
    }

    public func encodePartial() -> JSONValue {
        var members: [JSONMember] = []
        // Only runs can fail to read; the runner uses the throwing forms.
        try? forEachGroup { key, g, terms in
            var items: [JSONValue] = []
            try terms { term, count, documents in
                items.append(.array([.string(String(decoding: term, as: UTF8.self)), .int(count), .int(documents)]))
            }
            members.append(
                JSONMember(
                    key,
                    .object([
                        JSONMember("documents", .int(g.documents)),
                        JSONMember("sentences", .int(g.sentences)),
                        JSONMember("tokens", .int(g.tokens)),
                        JSONMember("terms", .array(items)),
                    ])))
        }
        return .object(members)
    }

    /// The text of ``encodePartial()``, written term by term.
    public func writePartial(into output: inout JSONFileWriter) throws {
        var out = output
        defer { output = out }
        out.writer.raw(UInt8(ascii: "{"))
        var firstGroup = true
        try forEachGroup { key, g, terms in
            if !firstGroup { out.writer.raw(UInt8(ascii: ",")) }
            firstGroup = false
            out.writer.string(key)
            out.writer.raw(":{\"documents\":")
            out.writer.int(g.documents)
            out.writer.raw(",\"sentences\":")
            out.writer.int(g.sentences)
            out.writer.raw(",\"tokens\":")
            out.writer.int(g.tokens)
            out.writer.raw(",\"terms\":[")
            var firstTerm = true
            try terms { term, count, documents in
                if !firstTerm { out.writer.raw(UInt8(ascii: ",")) }
                firstTerm = false
                out.writer.raw(UInt8(ascii: "["))
                out.writer.string(String(decoding: term, as: UTF8.self))
                out.writer.raw(UInt8(ascii: ","))
                out.writer.int(count)
                out.writer.raw(UInt8(ascii: ","))
                out.writer.int(documents)
                out.writer.raw(UInt8(ascii: "]"))
                try out.flushIfFull()
            }
            out.writer.raw("]}")
        }
        out.writer.raw(UInt8(ascii: "}"))
    }

    /// Adds a stored partial term by term: its terms go into the tables, which spill as
    /// usual when they outgrow the budget, so a partial of any size loads in bounded memory
    /// (with ``prepare(_:)``; without it, nothing spills).
    public mutating func mergePartial(from reader: JSONStreamReader) throws {
        try reader.beginObject()
        var term: [UInt8] = []
        term.reserveCapacity(256)
        while let key = try reader.nextKey() {
            var documents: Int?
            var sentences: Int?
            var tokens: Int?
            var sawTerms = false
            try reader.beginObject()
            while let field = try reader.nextKey() {
                switch field {
                case "documents": documents = try reader.readInt()
                case "sentences": sentences = try reader.readInt()
                case "tokens": tokens = try reader.readInt()
                case "terms":
                    sawTerms = true
                    try reader.beginArray()
                    while try reader.nextElement() {
                        try reader.beginArray()
                        guard try reader.nextElement() else { throw malformed(key, reader) }
                        try reader.readStringBytes(into: &term)
                        guard try reader.nextElement() else { throw malformed(key, reader) }
                        let count = try reader.readInt()
                        guard try reader.nextElement() else { throw malformed(key, reader) }
                        let termDocuments = try reader.readInt()
                        guard try !reader.nextElement() else { throw malformed(key, reader) }
                        addStored(term, count: count, documents: termDocuments, group: key)
                    }
                default:
                    try reader.skipValue()
                }
            }
            guard let documents, let sentences, let tokens, sawTerms else { throw malformed(key, reader) }
            groups[key, default: Group()].documents += documents
            groups[key, default: Group()].sentences += sentences
            groups[key, default: Group()].tokens += tokens
        }
    }

    private func malformed(_ group: String, _ reader: JSONStreamReader) -> PartialFormatError {
        PartialFormatError(
            aggregate: Self.name,
            detail: "group '\(group)' is malformed (\(reader.path), near byte \(reader.offset))")
    }

    /// Adds one stored entry to a group's table, spilling when the tables outgrow the budget.
    private mutating func addStored(_ term: [UInt8], count: Int, documents: Int, group key: String) {
        let before = groups[key]?.terms.memoryBytes ?? 0
        term.withUnsafeBufferPointer { bytes in
            Self.addEntry(bytes, count: count, documents: documents, to: &groups[key, default: Group()].terms)
        }
        tableBytes += (groups[key]?.terms.memoryBytes ?? 0) - before
        if tableBytes > budget { spill() }
    }

    private static func addEntry(
        _ key: UnsafeBufferPointer<UInt8>, count: Int, documents: Int,
        to terms: inout TermTable
    ) {
        terms.add(key, occurrences: count, document: -1, documents: documents)
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
        runSet = TermRunSet()
        tableBytes = groups.values.reduce(0) { $0 + $1.terms.memoryBytes }
        if tableBytes > budget { spill() }
    }
}
