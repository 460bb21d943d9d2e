/// Label sets used when scoring.
public enum EntityScorerLabels {
    /// Names (what GUM annotates): everything but dates, times, amounts and numbers.
    public static let names: Set<EntityLabel> = [
        .person, .norp, .fac, .org, .gpe, .loc, .product, .event, .workOfArt, .law, .language,
    ]

    /// Parses label names ("PERSON", ...); nil for an unknown name.
    public static func parse(_ names: [String]) -> Set<EntityLabel>? {
        var set = Set<EntityLabel>()
        for n in names {
            guard let l = EntityLabel(name: n) else { return nil }
            set.insert(l)
        }
        return set
    }
}
