/// Name lists the recognizer uses as features: phrases with an entity label
/// ("New York" GPE, "Chinese" NORP) and cue words that often end or precede a name
/// ("Inc" ends an ORG, "Airport" a FAC, "Mr." precedes a PERSON).
///
/// Lookups hash lowercased token bytes in place; phrases are found by extending a
/// phrase hash token by token while the table says a longer entry exists.
struct EntityGazetteer: Sendable, Equatable {
    /// Cue kinds, stored in the high bits of a table value.
    enum Cue: Int, CaseIterable {
        case orgSuffix = 24, facSuffix, locSuffix, title, firstName, lastName

        var name: String {
            switch self {
            case .orgSuffix: "@ORG_SUFFIX"
            case .facSuffix: "@FAC_SUFFIX"
            case .locSuffix: "@LOC_SUFFIX"
            case .title: "@TITLE"
            case .firstName: "@FIRST_NAME"
            case .lastName: "@LAST_NAME"
            }
        }
    }

    static let labelMask: UInt32 = (1 << 20) - 1
    static let cueMask: UInt32 = 0x3F << 24
    static let prefixBit: UInt32 = 1 << 31
    /// The longest phrase, in words, that lookups try.
    static let maxWords = 6

    let table: EntityHashTable
    /// The (phrase, label name) entries it was built from, kept for the model file.
    let entries: [(phrase: String, label: String)]

    /// Builds a gazetteer from `phrase -> label` pairs (labels are OntoNotes names or cue
    /// names such as `@ORG_SUFFIX`); unknown labels are ignored.
    init(entries: [(phrase: String, label: String)]) {
        var pairs: [(UInt64, UInt32)] = []
        var kept: [(phrase: String, label: String)] = []
        for (phrase, labelName) in entries {
            let bit: UInt32
            if let label = EntityLabel(name: labelName) {
                bit = 1 << UInt32(label.rawValue)
            } else if let cue = Cue.allCases.first(where: { $0.name == labelName }) {
                bit = 1 << UInt32(cue.rawValue)
            } else {
                continue
            }
            let words = phrase.split(separator: " ")
            guard !words.isEmpty, words.count <= EntityGazetteer.maxWords else { continue }
            kept.append((phrase, labelName))
            var h: UInt64 = 0
            for (i, w) in words.enumerated() {
                let wh = EntityHash.lower(String(w))
                h = i == 0 ? wh : EntityHash.extend(h, wh)
                if i < words.count - 1 { pairs.append((h, EntityGazetteer.prefixBit)) }
            }
            pairs.append((h, bit))
        }
        table = EntityHashTable(pairs)
        self.entries = kept
    }

    /// Parses `phrase<TAB>LABEL` lines.
    init(tsv: String) {
        var list: [(phrase: String, label: String)] = []
        for line in tsv.split(separator: "\n") {
            let parts = line.split(separator: "\t")
            if parts.count == 2 { list.append((String(parts[0]), String(parts[1]))) }
        }
        self.init(entries: list)
    }

    /// Tags tokens `start..<end` (one sentence): `tags[i]` gets the BILOU tag id of the
    /// longest phrase covering token i (0 when none), `cues[i]` its cue bits (0...63).
    func tag(
        lowerHashes: UnsafeBufferPointer<UInt64>, from start: Int, to end: Int,
        tags: UnsafeMutableBufferPointer<UInt8>, cues: UnsafeMutableBufferPointer<UInt8>
    ) {
        var i = start
        while i < end {
            var h = lowerHashes[i]
            var value = table.value(for: h)
            cues[i] = UInt8(truncatingIfNeeded: (value & EntityGazetteer.cueMask) >> 24)
            var bestEnd = -1
            var bestLabels: UInt32 = 0
            var j = i
            while true {
                if value & EntityGazetteer.labelMask != 0 {
                    bestEnd = j + 1
                    bestLabels = value & EntityGazetteer.labelMask
                }
                guard value & EntityGazetteer.prefixBit != 0, j + 1 < end, j + 1 - i < EntityGazetteer.maxWords else {
                    break
                }
                j += 1
                h = EntityHash.extend(h, lowerHashes[j])
                value = table.value(for: h)
            }
            if bestEnd > 0 {
                let label = UInt8(bestLabels.trailingZeroBitCount)
                let length = bestEnd - i
                for k in i..<bestEnd {
                    let position: UInt8 = length == 1 ? 3 : (k == i ? 0 : (k == bestEnd - 1 ? 2 : 1))
                    tags[k] = 1 + (label - 1) * 4 + position
                    if k > i {
                        cues[k] = UInt8(
                            truncatingIfNeeded: (table.value(for: lowerHashes[k]) & EntityGazetteer.cueMask) >> 24)
                    }
                }
                i = bestEnd
            } else {
                tags[i] = 0
                i += 1
            }
        }
    }

    static func == (a: EntityGazetteer, b: EntityGazetteer) -> Bool { a.table == b.table }
}
