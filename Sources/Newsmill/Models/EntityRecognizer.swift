/// Finds named entities in a tokenized document: the trained ``NERModel`` tags names
/// (and amounts, guided by the rule patterns as features), then the rule patterns fill
/// in dates, times, amounts and numbers the model left untagged.
public struct EntityRecognizer: Sendable {
    public let model: NERModel
    /// Whether rule-pattern spans are added where the model found nothing.
    public var usePatterns: Bool
    /// Whether touching name spans are joined: of one label ("United Nations" + "General
    /// Assembly": greedy decoding closes a gazetteer name too early now and then), or a run
    /// that ends in an organisation or facility and does not start with a nationality ("El
    /// Paso" GPE + "Gas" ORG). See ``mergeAdjacent(_:)``.
    public var mergeAdjacentNames = true
    /// Bit `label.rawValue` set for every label to keep.
    private var keep: UInt32

    /// A recognizer over `model`; `labels` restricts the output (nil keeps all).
    public init(model: NERModel, usePatterns: Bool = true, labels: Set<EntityLabel>? = nil) {
        self.model = model
        self.usePatterns = usePatterns
        var mask: UInt32 = 0
        for l in labels ?? Set(EntityLabel.allCases) { mask |= 1 << UInt32(l.rawValue) }
        keep = mask
    }

    /// Labels the patterns may add.
    static let patternLabels: UInt32 = {
        var m: UInt32 = 0
        for l in [EntityLabel.date, .time, .money, .percent, .quantity, .ordinal, .cardinal] {
            m |= 1 << UInt32(l.rawValue)
        }
        return m
    }()

    /// Replaces `document.entities` with the entities found over `document.tokens`.
    public func recognize(_ document: inout Document, scratch: EntityScratch) {
        document.entities.removeAll(keepingCapacity: true)
        guard !document.tokens.isEmpty else { return }
        let tokens = document.tokens
        document.text.withUTF8 { bytes in
            tokens.withUnsafeBufferPointer { tokenBuf in
                scratch.prepare(
                    bytes: bytes, tokens: tokenBuf, gazetteer: model.gazetteer, vocabulary: model.vocabulary)
            }
        }
        model.decode(scratch)
        model.spans(from: scratch)
        if mergeAdjacentNames { EntityRecognizer.mergeAdjacent(scratch) }
        EntityRecognizer.joinCompanyNames(scratch)
        EntityRecognizer.trimNames(scratch)
        EntityRecognizer.propagateSurnames(scratch)
        EntityRecognizer.voteLabels(scratch)
        EntityRecognizer.relabelShortFirmNames(scratch)
        EntityRecognizer.linkAcronyms(scratch)
        document.text.withUTF8 { bytes in
            tokens.withUnsafeBufferPointer { EntityRecognizer.trimDates(scratch, bytes: bytes, tokens: $0) }
        }
        if usePatterns { mergePatterns(scratch) }
        EntityRecognizer.mergeTouchingDates(scratch)
        document.text.withUTF8 { bytes in
            for s in scratch.spans where keep & (1 << UInt32(s.label.rawValue)) != 0 {
                var end = tokens[Int(s.end) - 1].end
                if Int(s.end) < tokens.count, EntityRecognizer.endsDottedAbbreviation(bytes, tokens[Int(s.end) - 1]),
                    tokens[Int(s.end)].start == end, tokens[Int(s.end)].end == end + 1, bytes[Int(end)] == 0x2E
                {
                    end += 1  // "the U.S." ending a sentence: the tokenizer gave its period to the sentence
                }
                document.entities.append(Entity(start: tokens[Int(s.start)].start, end: end, label: s.label))
            }
        }
    }

    /// Whether a token is a dotted abbreviation without its last period ("U.S", "N.Y"): a
    /// letter, then letters and periods with at least one period, ending in a letter.
    static func endsDottedAbbreviation(_ b: UnsafeBufferPointer<UInt8>, _ t: Token) -> Bool {
        let start = Int(t.start), end = min(Int(t.end), b.count)
        guard end - start >= 3, TextScanning.isAlphaByte(b[start]), TextScanning.isAlphaByte(b[end - 1]) else {
            return false
        }
        var periods = 0
        for i in start..<end {
            if b[i] == 0x2E {
                periods += 1
            } else if !TextScanning.isAlphaByte(b[i]) {
                return false
            }
        }
        return periods > 0
    }

    /// Trims name spans (PERSON, ORG, GPE, ...) of trailing tokens that start with a
    /// lower-case letter or are punctuation ("University Library of", "Gulf --"), and
    /// drops name spans left without a capitalised word ("of"; numbers in tables that the
    /// model took for a PERSON or ORG, "17.6", "3,070,327": the patterns then make them
    /// CARDINAL, MONEY, ...). Names with digits keep their capitalised words ("Boeing 747").
    /// Results tables' line heads ("Avg", "Revs") and months' abbreviations alone are no
    /// names, and a month with its day ("Feb 9") becomes a DATE.
    static func trimNames(_ s: EntityScratch) {
        let b = s.buffers
        let capitalized = EntityTokenClass.capitalized.rawValue
        var out = 0
        for k in 0..<s.spans.count {
            var span = s.spans[k]
            if span.label.isName {
                while span.end > span.start + 1 && !EntityRecognizer.endsName(b, Int(span.end) - 1) { span.end -= 1 }
                // People and places do not end in a number ("Kansas City 2.87" in a price
                // table); products, events, laws and organisations may ("Boeing 747").
                if span.label.isIn(EntityRecognizer.numberlessLabels) {
                    while span.end > span.start + 1
                        && b.classes[Int(span.end) - 1] & EntityTokenClass.number.rawValue != 0
                    {
                        span.end -= 1
                    }
                }
                // The line heads of a results table ("Avg shrs 14.1 mln", "Revs 67.5 mln vs
                // 52.0 mln") start no name: the model took "Avg" and "Revs" for people 625 and
                // 410 times in the 5 MB bench corpus, its most frequent PERSON spans, and
                // "Revs 10.03" for a LAW.
                if tableHeads.contains(b.lower[Int(span.start)]) { continue }
                // A month's abbreviation alone ("Maize Mar 48.0" in a table of monthly
                // figures) is no name either; the patterns make it a DATE.
                if span.end == span.start + 1 && monthAbbreviations.contains(b.lower[Int(span.start)]) { continue }
                // A month and a day or year is a date, whatever name the model gave it
                // ("February 27" EVENT, "Feb 9" PRODUCT, "Feb 10" LAW).
                let dayOrYear = EntityTokenClass.dayNumber.rawValue | EntityTokenClass.year.rawValue
                if span.end == span.start + 2,
                    b.classes[Int(span.start)] & EntityTokenClass.month.rawValue != 0,
                    b.classes[Int(span.start)] & EntityTokenClass.ambiguousMonth.rawValue == 0,
                    b.classes[Int(span.start) + 1] & dayOrYear != 0
                {
                    span.label = .date
                    s.spans[out] = span
                    out += 1
                    continue
                }
                var hasName = false
                for i in Int(span.start)..<Int(span.end)
                where b.classes[i] & (capitalized | EntityTokenClass.numberWord.rawValue) != 0 {
                    hasName = true
                }
                if !hasName && span.label != .norp { continue }
            }
            s.spans[out] = span
            out += 1
        }
        s.spans.removeLast(s.spans.count - out)
    }

    /// Words that head the lines of Reuters results tables; never a name on their own.
    static let tableHeads: [UInt64] = [
        "avg", "revs", "rev", "div", "shr", "shrs", "oper", "qtr", "mths", "backlog", "notes",
    ].map { EntityHash.lower($0) }

    /// Months' abbreviations that are no one's name ("Jan" is one: it is not here).
    static let monthAbbreviations: [UInt64] = [
        "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
    ].map { EntityHash.lower($0) }

    /// Name labels whose spans never end in a number.
    static let numberlessLabels = EntityLabel.mask([.person, .norp, .gpe, .loc, .fac])

    /// Whether token `i` may end a name: it starts with a capital letter, a digit, or is
    /// a closing bracket or period-final abbreviation piece; not a lower-case word or a dash.
    @inline(__always)
    private static func endsName(_ b: EntityTokenBuffers, _ i: Int) -> Bool {
        if b.classes[i] & EntityTokenClass.capitalized.rawValue != 0 { return true }
        if b.classes[i] & EntityTokenClass.numeric.rawValue != 0 { return true }
        let shape = b.shape[i]
        return !EntityRecognizer.nonFinalShapes.contains(shape)
    }

    /// Shapes of tokens that do not end a name: lower-case words, dashes, commas, possessives
    /// ("University of NSW's": OntoNotes leaves the 's out), and the
    /// angle brackets Reuters puts around company names ("<Wavehill Ventures Inc>": the
    /// silver labels from spaCy end such names with ">"; OntoNotes names never do).
    private static let nonFinalShapes: [UInt64] =
        ["x", "xx", "xxx", "xxxx", "-", "--", ",", ":", ";", "(", "<", ">", "'s", "’s", "'"].map(shape)

    private static func shape(_ text: String) -> UInt64 {
        let bytes = Array(text.utf8)
        return bytes.withUnsafeBufferPointer { EntityFeatures.shapeHash($0, 0, $0.count) }
    }

    /// A person named in full once ("Joshua Norton") is the same person wherever the document
    /// uses the surname alone: a one-token span equal to the last word of a PERSON span of
    /// two or more tokens becomes PERSON when the model called it an organisation, a
    /// facility, a product, an event or a work (it called "Norton" an ORG 15 times in a GUM
    /// story about Emperor Norton). Measured on whole documents: GUM dev names 60.1 -> 62.5
    /// F1, Reuters dev agreement with spaCy on names 68.2 -> 68.6. (Also adding such words
    /// the model left untagged changed nothing on GUM and lowered Reuters: not done.)
    static func propagateSurnames(_ s: EntityScratch) {
        let b = s.buffers
        let capitalized = EntityTokenClass.capitalized.rawValue
        var surnames: Set<UInt64> = []
        for span in s.spans where span.label == .person && span.end - span.start >= 2 {
            // Not a word that ends organisations, facilities or places, or a title ("Inc",
            // "Bridge", "Minister": cue bits 0-3 of the gazetteer).
            let last = Int(span.end) - 1
            if b.classes[last] & capitalized != 0 && b.cue[last] & 0x0F == 0 { surnames.insert(b.word[last]) }
        }
        guard !surnames.isEmpty else { return }
        // A word followed by more of an organisation's name elsewhere in the document is
        // not taken for a surname: "S and W Berisford" misread as a person, beside "W
        // Berisford Plc". (A name ending an ORG span, "Emperor Norton" misread as one, is.)
        for span in s.spans where span.label == .org && span.end - span.start >= 2 {
            for i in Int(span.start)..<(Int(span.end) - 1) { surnames.remove(b.word[i]) }
        }
        guard !surnames.isEmpty else { return }
        for k in s.spans.indices where s.spans[k].end - s.spans[k].start == 1 {
            let i = Int(s.spans[k].start)
            if s.spans[k].label.isIn(EntityRecognizer.surnameRelabels), surnames.contains(b.word[i]) {
                s.spans[k].label = .person
            }
        }
    }

    /// A firm named in full once ("Republic Health Corp", "Mobil Corp") is the firm when the
    /// document then uses the name without the suffix: name spans with the same words (any
    /// case) that the model called a place, person, facility, product, event or work become
    /// ORG ("Republic Health" had been GPE, "Mobil" PERSON). Only the whole name before the
    /// suffixes counts, never its first word ("Texas" beside "Texas Instruments Inc" stays),
    /// and no firm whose name starts with a place the gazetteer knows.
    static func relabelShortFirmNames(_ s: EntityScratch) {
        let b = s.buffers
        func wordsHash(_ from: Int, _ to: Int) -> UInt64 {
            var h: UInt64 = 0xcbf2_9ce4_8422_2325
            for i in from..<to { h = (h ^ b.lower[i]) &* 0x100_0000_01b3 }
            return h
        }
        var short: [UInt64] = []
        // A name that ends in a firm's suffix is a firm, whatever the model called it
        // ("Buckhorn Inc" PERSON).
        for k in s.spans.indices
        where s.spans[k].label.isIn(shortFirmRelabels) && s.spans[k].end - s.spans[k].start >= 2 {
            if corporateEnds.contains(b.lower[Int(s.spans[k].end) - 1]) { s.spans[k].label = .org }
        }
        // Not from an organisation that starts with a known place: the model's "South Africa
        // Ltd" (of "Gold Fields of South Africa Ltd") or "a U.S. Company" would make every
        // "South Africa" and "U.S." of the document a firm.
        for span in s.spans where span.label == .org && span.end - span.start >= 2 {
            if startsKnownPlace(b, Int(span.start)) { continue }
            var end = Int(span.end)
            while end > Int(span.start) + 1 && corporateEnds.contains(b.lower[end - 1]) { end -= 1 }
            if end < Int(span.end) && !andHashes.contains(b.lower[end - 1]) {
                short.append(wordsHash(Int(span.start), end))
                // "Banner Industries Inc", "Comdata Network Inc": the first word alone too,
                // when only words that say what kind of firm it is follow it.
                var first = end
                while first > Int(span.start) + 1 && businessWords.contains(b.lower[first - 1]) { first -= 1 }
                if first < end { short.append(wordsHash(Int(span.start), first)) }
            }
        }
        guard !short.isEmpty else { return }
        for k in s.spans.indices where s.spans[k].label.isIn(shortFirmRelabels) {
            if short.contains(wordsHash(Int(s.spans[k].start), Int(s.spans[k].end))) { s.spans[k].label = .org }
        }
    }

    /// Whether token `i` starts a place the gazetteer knows (GPE or LOC).
    @inline(__always)
    private static func startsKnownPlace(_ b: EntityTokenBuffers, _ i: Int) -> Bool {
        let tag = Int(b.gazetteer[i])
        guard tag != 0, let label = EntityLabel(rawValue: numericCast((tag - 1) / 4 + 1)) else { return false }
        return label == .gpe || label == .loc
    }

    /// Words that say what kind of firm a name is ("Banner Industries Inc").
    static let businessWords: [UInt64] = [
        "industries", "holdings", "group", "international", "systems", "network", "business", "enterprises",
        "resources", "technologies", "communications", "financial", "bancorp", "acquisition",
    ].map { EntityHash.lower($0) }

    /// Labels a firm's short name may have been given instead of ORG.
    static let shortFirmRelabels = EntityLabel.mask([.person, .gpe, .loc, .fac, .product, .event, .workOfArt])

    /// One name, one label per document: name spans with the same words take the label most
    /// of them have (ties keep each its own). GUM dev names on whole documents 62.5 -> 62.9,
    /// Reuters dev agreement with spaCy on names 68.6 -> 69.0.
    static func voteLabels(_ s: EntityScratch) {
        let b = s.buffers
        // (words hash, span index) of the name spans, sorted so that equal names are adjacent.
        var names: [(hash: UInt64, span: Int)] = []
        for (k, span) in s.spans.enumerated() where span.label.isName {
            var h: UInt64 = 0xcbf2_9ce4_8422_2325
            for i in Int(span.start)..<Int(span.end) { h = (h ^ b.word[i]) &* 0x100_0000_01b3 }
            names.append((h, k))
        }
        guard names.count > 1 else { return }
        names.sort { $0.hash < $1.hash || ($0.hash == $1.hash && $0.span < $1.span) }
        var counts = [Int](repeating: 0, count: 32)  // by label raw value
        var g = 0
        while g < names.count {
            var e = g + 1
            while e < names.count && names[e].hash == names[g].hash { e += 1 }
            if e - g > 1 {
                for k in g..<e { counts[Int(s.spans[names[k].span].label.rawValue)] += 1 }
                var best = 0
                var tied = false
                for l in counts.indices where counts[l] > 0 {
                    if counts[l] > counts[best] {
                        best = l
                        tied = false
                    } else if l != best && counts[l] == counts[best] {
                        tied = true
                    }
                }
                if !tied, let label = EntityLabel(rawValue: numericCast(best)) {
                    for k in g..<e { s.spans[names[k].span].label = label }
                }
                for l in counts.indices { counts[l] = 0 }
            }
            g = e
        }
    }

    /// An acronym defined in parentheses right after a name ("the World Health Organisation
    /// (WHO)", "<Nippon Telegraph and Telephone Corp> (NTT)") is that name: it gets the name's
    /// label there and wherever else the document uses it untagged. GUM dev names on whole
    /// documents 64.6 -> 64.9 (its news documents 68.9 -> 71.0), Reuters dev agreement on
    /// names 69.3 -> 69.5.
    static func linkAcronyms(_ s: EntityScratch) {
        let b = s.buffers
        var defined: [(word: UInt64, label: EntityLabel)] = []
        for span in s.spans where span.label.isName {
            var i = Int(span.end)
            if i < s.count && b.shape[i] == closeAngle { i += 1 }  // "<... Corp> (NTT)"
            guard i + 2 < s.count, b.shape[i] == openParen, acronymShapes.contains(b.shape[i + 1]),
                b.shape[i + 2] == closeParen, Int(b.sentenceEnd[Int(span.start)]) > i + 2
            else { continue }
            defined.append((b.word[i + 1], span.label))
        }
        guard !defined.isEmpty else { return }
        var covered = [Bool](repeating: false, count: s.count)
        for span in s.spans { for i in Int(span.start)..<Int(span.end) { covered[i] = true } }
        var added: [EntityTokenSpan] = []
        for i in 0..<s.count where !covered[i] && acronymShapes.contains(b.shape[i]) {
            if let d = defined.first(where: { $0.word == b.word[i] }) {
                added.append(EntityTokenSpan(start: Int32(i), end: Int32(i + 1), label: d.label))
            }
        }
        guard !added.isEmpty else { return }
        s.spans = (s.spans + added).sorted { $0.start < $1.start }
    }

    /// Shapes of all-capital tokens of 2, 3 and 4 or more letters, and of brackets.
    private static let acronymShapes: [UInt64] = ["AB", "ABC", "ABCD"].map(shape)
    private static let openParen = shape("(")
    private static let closeParen = shape(")")
    private static let closeAngle = shape(">")

    /// Labels a lone surname may have been given instead of PERSON. Not places, nationalities,
    /// languages or laws: "States" or "English" closing a mislabelled PERSON span would turn
    /// every "States" and "English" of the document into a person.
    static let surnameRelabels = EntityLabel.mask([.org, .fac, .product, .event, .workOfArt])

    /// "and" (or "&") ahead of an organisation that is a firm's suffix ("Co", "Cos", "Sons").
    /// (Short lists: arrays, searched in order, cost less than a set's hashing.)
    static let andHashes: [UInt64] = [EntityHash.lower("and"), EntityHash.lower("&")]
    static let companyHeads: [UInt64] = ["co", "co.", "cos", "cos.", "company", "companies", "sons"].map {
        EntityHash.lower($0)
    }
    static let corporateEnds: [UInt64] = [
        "co", "co.", "cos", "corp", "corp.", "inc", "inc.", "ltd", "ltd.", "plc", "company", "corporation",
    ].map { EntityHash.lower($0) }

    /// Firms named "A and Co" or "A and B Co" are one organisation: a name span, "and",
    /// then an ORG span that starts with "Co" ("Pesch" PERSON + "and" + "Co" ORG: "Pesch and
    /// Co"; "Dow Jones and Co Inc"); and an ORG span that ends in a firm's suffix after "and"
    /// and a capitalised word that is no common word and in no span ("Procter and Gamble
    /// Co"). Two firms stay two: "Chrysler" (a span of its own) "and General Motors Corp".
    static func joinCompanyNames(_ s: EntityScratch) {
        guard !s.spans.isEmpty else { return }
        let b = s.buffers
        let capitalized = EntityTokenClass.capitalized.rawValue
        var w = 0
        for k in 0..<s.spans.count {
            var span = s.spans[k]
            let a = Int(span.start)
            if span.label == .org, a >= 2, andHashes.contains(b.lower[a - 1]),
                b.sentenceStart[a - 2] == b.sentenceStart[a]
            {
                if companyHeads.contains(b.lower[a]), w > 0, Int(s.spans[w - 1].end) == a - 1,
                    s.spans[w - 1].label.isName
                {
                    span.start = s.spans[w - 1].start
                    s.spans[w - 1] = span
                    continue
                }
                if corporateEnds.contains(b.lower[Int(span.end) - 1]), b.classes[a - 2] & capitalized != 0,
                    b.common[a - 2] == 0, w == 0 || Int(s.spans[w - 1].end) <= a - 2
                {
                    span.start = Int32(a - 2)
                }
            }
            s.spans[w] = span
            w += 1
        }
        s.spans.removeLast(s.spans.count - w)
    }

    /// Joins name spans of one label whose tokens touch.
    static func mergeAdjacent(_ s: EntityScratch) {
        guard s.spans.count > 1 else { return }
        // In place: the joined spans never outnumber the spans read (`w` <= `k`).
        var w = 0
        var k = 0
        while k < s.spans.count {
            // A run of touching name spans in one sentence.
            var e = k + 1
            if s.spans[k].label.isName {
                while e < s.spans.count && s.spans[e].start == s.spans[e - 1].end
                    && s.spans[e].label.isName
                    && s.buffers.sentenceStart[Int(s.spans[e].start)] == s.buffers.sentenceStart[Int(s.spans[k].start)]
                {
                    e += 1
                }
            }
            let first = s.spans[k].label
            let last = s.spans[e - 1].label
            if e - k > 1 && (last == .org || last == .fac) && first != .norp {
                // An organisation or facility name that starts with other names ("El Paso" +
                // "Gas", "Sydney" + "Morning" + "Herald", "Marine Midland" + "Banks Inc").
                s.spans[w] = EntityTokenSpan(start: s.spans[k].start, end: s.spans[e - 1].end, label: last)
                w += 1
            } else {
                // Otherwise only touching spans of one label join.
                let runStart = w
                for m in k..<e {
                    let span = s.spans[m]
                    if w > runStart, s.spans[w - 1].end == span.start, s.spans[w - 1].label == span.label {
                        s.spans[w - 1].end = span.end
                    } else {
                        s.spans[w] = span
                        w += 1
                    }
                }
            }
            k = e
        }
        s.spans.removeLast(s.spans.count - w)
    }

    /// Joins DATE spans (and TIME spans) whose tokens touch, in one sentence: greedy
    /// decoding, or a pattern span beside a model span, now and then cuts one expression
    /// in pieces ("1987" + "full" + "year", "the same" + "period"). Two numbers stay apart
    /// ("1986" + "1985": the columns of a results table), and so does a piece without a
    /// date word unless date pieces close in on it on both sides ("April 21" + "annual").
    static func mergeTouchingDates(_ s: EntityScratch) {
        guard s.spans.count > 1 else { return }
        let b = s.buffers
        let numeric = EntityTokenClass.number.rawValue | EntityTokenClass.year.rawValue
        func joins(_ a: EntityTokenSpan, _ c: EntityTokenSpan) -> Bool {
            a.end == c.start && a.label == c.label && (c.label == .date || c.label == .time)
                && b.sentenceStart[Int(c.start)] == b.sentenceStart[Int(a.start)]
                && (b.classes[Int(a.end) - 1] & numeric == 0 || b.classes[Int(c.start)] & numeric == 0)
        }
        var w = 0
        for k in 0..<s.spans.count {
            let span = s.spans[k]
            if w > 0 {
                let before = s.spans[w - 1]
                if joins(before, span), dateLike(b, before) {
                    let inner =
                        dateLike(b, span)
                        || (k + 1 < s.spans.count && joins(span, s.spans[k + 1]) && dateLike(b, s.spans[k + 1]))
                    if inner {
                        s.spans[w - 1].end = span.end
                        continue
                    }
                }
            }
            s.spans[w] = span
            w += 1
        }
        s.spans.removeLast(s.spans.count - w)
    }

    /// Whether a span holds a word of a date or time (a number, month, weekday, "year",
    /// "last", "the" ...): not only words such as "annual" or "includes" that the model
    /// now and then takes for a date next to one.
    private static func dateLike(_ b: EntityTokenBuffers, _ span: EntityTokenSpan) -> Bool {
        let words: UInt32 =
            EntityTokenClass.dateAndTimeWords.rawValue | EntityTokenClass.the.rawValue
            | EntityTokenClass.fiscal.rawValue | EntityTokenClass.ambiguousMonth.rawValue
        for i in Int(span.start)..<Int(span.end) where b.classes[i] & words != 0 { return true }
        return false
    }

    /// Drops from the end of a DATE span the numbers with a decimal point or a digit-group
    /// comma, and from either end lone punctuation: no date ends in such a number, but in a
    /// table of monthly figures the model now and then takes the month's figure for its day
    /// ("Feb 872.0", "March 164.6" → "Feb", "March"; "1985 - 182,959" → "1985"; "(Nov" → "Nov").
    static func trimDates(
        _ s: EntityScratch, bytes: UnsafeBufferPointer<UInt8>, tokens: UnsafeBufferPointer<Token>
    ) {
        func punctuation(_ i: Int) -> Bool {
            let t = tokens[i]
            guard t.end == t.start + 1, Int(t.start) < bytes.count else { return false }
            switch bytes[Int(t.start)] {
            case UInt8(ascii: "("), UInt8(ascii: ")"), UInt8(ascii: "["), UInt8(ascii: "]"), UInt8(ascii: "-"),
                UInt8(ascii: ","), UInt8(ascii: ":"), UInt8(ascii: ";"):
                return true
            default: return false
            }
        }
        func separatedNumber(_ i: Int) -> Bool {
            guard s.buffers.classes[i] & EntityTokenClass.number.rawValue != 0 else { return false }
            let t = tokens[i]
            for j in Int(t.start)..<min(Int(t.end), bytes.count) where bytes[j] == 0x2E || bytes[j] == 0x2C {
                return true
            }
            return false
        }
        var out = 0
        for k in 0..<s.spans.count {
            var span = s.spans[k]
            if span.label == .date {
                var start = Int(span.start), end = Int(span.end)
                while end > start && (separatedNumber(end - 1) || punctuation(end - 1)) { end -= 1 }
                while start < end && punctuation(start) { start += 1 }
                if start == end { continue }
                span.start = Int32(start)
                span.end = Int32(end)
            }
            s.spans[out] = span
            out += 1
        }
        s.spans.removeLast(s.spans.count - out)
    }

    /// Adds pattern spans that overlap no model span, keeping `scratch.spans` sorted. A
    /// DATE or TIME pattern also replaces the model spans of its label that it contains
    /// ("Feb 6, 1987" over a model "1987"; "June, 1986" over "June" and "1986").
    private func mergePatterns(_ s: EntityScratch) {
        guard !s.patternSpans.isEmpty else { return }
        var merged: [EntityTokenSpan] = []
        merged.reserveCapacity(s.spans.count + s.patternSpans.count)
        var m = 0
        for p in s.patternSpans where EntityRecognizer.patternLabels & (1 << UInt32(p.label.rawValue)) != 0 {
            while m < s.spans.count && s.spans[m].end <= p.start {
                merged.append(s.spans[m])
                m += 1
            }
            if merged.last.map({ $0.end > p.start }) ?? false { continue }
            var n = m
            while n < s.spans.count && s.spans[n].start < p.end { n += 1 }
            if n == m {
                merged.append(p)
            } else if p.label == .date || p.label == .time,
                s.spans[m..<n].allSatisfy({ $0.label == p.label && $0.start >= p.start && $0.end <= p.end })
            {
                merged.append(p)
                m = n
            }
        }
        while m < s.spans.count {
            merged.append(s.spans[m])
            m += 1
        }
        s.spans = merged
    }
}
