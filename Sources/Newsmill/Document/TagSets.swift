/// The Penn Treebank tag set as spaCy's English models and the UD English treebanks write it
/// (including the OntoNotes additions). Tag ids index ``PennTag/names``; 0 means untagged.
public enum PennTag {
    public static let names: [String] = [
        "", "$", "''", ",", "-LRB-", "-RRB-", ".", ":", "ADD", "AFX", "CC", "CD", "DT", "EX", "FW",
        "GW", "HYPH", "IN", "JJ", "JJR", "JJS", "LS", "MD", "NFP", "NN", "NNP", "NNPS", "NNS", "PDT",
        "POS", "PRP", "PRP$", "RB", "RBR", "RBS", "RP", "SYM", "TO", "UH", "VB", "VBD", "VBG", "VBN",
        "VBP", "VBZ", "WDT", "WP", "WP$", "WRB", "XX", "``", "_SP",
    ]
    private static let index: [String: UInt8] = {
        var map: [String: UInt8] = [:]
        for (i, name) in names.enumerated() where i > 0 { map[name] = UInt8(i) }
        return map
    }()

    /// The id of a tag name, or nil when it is not a Penn tag.
    public static func id(_ name: String) -> UInt8? { index[name] }
}

/// The 17 Universal POS tags. Ids index ``UPOS/names``; 0 means untagged.
public enum UPOS {
    public static let names: [String] = [
        "", "ADJ", "ADP", "ADV", "AUX", "CCONJ", "DET", "INTJ", "NOUN", "NUM", "PART", "PRON", "PROPN",
        "PUNCT", "SCONJ", "SYM", "VERB", "X", "SPACE",
    ]
    private static let index: [String: UInt8] = {
        var map: [String: UInt8] = [:]
        for (i, name) in names.enumerated() where i > 0 { map[name] = UInt8(i) }
        return map
    }()

    /// The id of a UPOS name, or nil.
    public static func id(_ name: String) -> UInt8? { index[name] }
}

/// OntoNotes named-entity labels, as spaCy's English models write them.
public enum EntityLabel: UInt8, Sendable, CaseIterable, CustomStringConvertible {
    case person = 1, norp, fac, org, gpe, loc, product, event, workOfArt, law, language
    case date, time, percent, money, quantity, ordinal, cardinal

    /// A name (``EntityScorerLabels/names``: not a date, time, amount or number), without a
    /// set lookup: the names are the first eleven cases.
    @inline(__always)
    public var isName: Bool { rawValue <= EntityLabel.language.rawValue }

    /// Whether the label is one of `labels` (a mask made by ``mask(_:)``).
    @inline(__always)
    public func isIn(_ labels: UInt32) -> Bool { labels & (1 << UInt32(rawValue)) != 0 }

    /// A bit set of labels for ``isIn(_:)``.
    public static func mask(_ labels: [EntityLabel]) -> UInt32 {
        labels.reduce(0) { $0 | 1 << UInt32($1.rawValue) }
    }

    /// The label as written in outputs (`"PERSON"`, `"GPE"`, ...).
    public var name: String {
        switch self {
        case .person: "PERSON"
        case .norp: "NORP"
        case .fac: "FAC"
        case .org: "ORG"
        case .gpe: "GPE"
        case .loc: "LOC"
        case .product: "PRODUCT"
        case .event: "EVENT"
        case .workOfArt: "WORK_OF_ART"
        case .law: "LAW"
        case .language: "LANGUAGE"
        case .date: "DATE"
        case .time: "TIME"
        case .percent: "PERCENT"
        case .money: "MONEY"
        case .quantity: "QUANTITY"
        case .ordinal: "ORDINAL"
        case .cardinal: "CARDINAL"
        }
    }

    public var description: String { name }

    /// Parses an OntoNotes label name.
    public init?(name: String) {
        guard let label = EntityLabel.allCases.first(where: { $0.name == name }) else { return nil }
        self = label
    }
}
