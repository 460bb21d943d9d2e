/// Entity precision, recall and F1 by label and overall, by exact span and label match
/// (as `spacy evaluate` reports `ents_p`, `ents_r`, `ents_f` and `ents_per_type`).
public struct EntityScorer: Sendable {
    /// Counts of one label (or of all labels).
    public struct Counts: Sendable, Equatable {
        public var truePositives = 0
        public var falsePositives = 0
        public var falseNegatives = 0

        public init(truePositives: Int = 0, falsePositives: Int = 0, falseNegatives: Int = 0) {
            self.truePositives = truePositives
            self.falsePositives = falsePositives
            self.falseNegatives = falseNegatives
        }

        public var precision: Double {
            truePositives + falsePositives == 0 ? 0 : Double(truePositives) / Double(truePositives + falsePositives)
        }
        public var recall: Double {
            truePositives + falseNegatives == 0 ? 0 : Double(truePositives) / Double(truePositives + falseNegatives)
        }
        public var f1: Double {
            let p = precision, r = recall
            return p + r == 0 ? 0 : 2 * p * r / (p + r)
        }
    }

    /// Counts per label.
    public private(set) var byLabel: [EntityLabel: Counts] = [:]
    /// Only these labels are scored (gold and predicted alike); nil scores all.
    public var labels: Set<EntityLabel>?

    public init(labels: Set<EntityLabel>? = nil) {
        self.labels = labels
    }

    /// Micro-averaged counts over all labels.
    public var overall: Counts {
        var c = Counts()
        for v in byLabel.values {
            c.truePositives += v.truePositives
            c.falsePositives += v.falsePositives
            c.falseNegatives += v.falseNegatives
        }
        return c
    }

    /// Adds one text's entities. Predicted spans that overlap an `ignore` span are left
    /// out, as are gold spans inside one.
    public mutating func add(gold: [Entity], predicted: [Entity], ignore: [Span] = []) {
        func kept(_ e: Entity) -> Bool {
            if let labels, !labels.contains(e.label) { return false }
            return !ignore.contains { $0.start < e.end && e.start < $0.end }
        }
        var goldSet = Set<Entity>()
        for g in gold where kept(g) { goldSet.insert(g) }
        var predictedSet = Set<Entity>()
        for p in predicted where kept(p) { predictedSet.insert(p) }
        for p in predictedSet {
            if goldSet.contains(p) {
                byLabel[p.label, default: Counts()].truePositives += 1
            } else {
                byLabel[p.label, default: Counts()].falsePositives += 1
            }
        }
        for g in goldSet where !predictedSet.contains(g) {
            byLabel[g.label, default: Counts()].falseNegatives += 1
        }
    }

    /// Merges another scorer's counts.
    public mutating func merge(_ other: EntityScorer) {
        for (label, c) in other.byLabel {
            byLabel[label, default: Counts()].truePositives += c.truePositives
            byLabel[label, default: Counts()].falsePositives += c.falsePositives
            byLabel[label, default: Counts()].falseNegatives += c.falseNegatives
        }
    }

    /// A table: one line per label (sorted by name), then the overall line.
    public func report() -> String {
        func pct(_ x: Double) -> String {
            let v = (x * 1000).rounded() / 10
            let s = String(v)
            return String(repeating: " ", count: max(0, 6 - s.count)) + s
        }
        func pad(_ s: String, _ n: Int) -> String { s + String(repeating: " ", count: max(0, n - s.count)) }
        func num(_ n: Int) -> String {
            let s = String(n); return String(repeating: " ", count: max(0, 6 - s.count)) + s
        }
        var lines = [pad("label", 12) + "     P      R      F   gold   pred"]
        for (label, c) in byLabel.sorted(by: { $0.key.name < $1.key.name }) {
            lines.append(
                pad(label.name, 12) + pct(c.precision) + " " + pct(c.recall) + " " + pct(c.f1) + " "
                    + num(c.truePositives + c.falseNegatives) + " " + num(c.truePositives + c.falsePositives))
        }
        let o = overall
        lines.append(
            pad("ALL", 12) + pct(o.precision) + " " + pct(o.recall) + " " + pct(o.f1) + " "
                + num(o.truePositives + o.falseNegatives) + " " + num(o.truePositives + o.falsePositives))
        return lines.joined(separator: "\n")
    }
}
