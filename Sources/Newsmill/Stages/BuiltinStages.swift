/// The stages every registry starts with (one line each; see ``StageRegistry/standard``).
let builtinStages: [any Stage.Type] = [
    NormalizeStage.self,
    SegmentStage.self,
    TagStage.self,
    NERStage.self,
    FilterStage.self,
    LanguageStage.self,
    ExecStage.self,
    DedupStage.self,
    PIIStage.self,
]

/// The aggregates every registry starts with.
let builtinAggregates: [any Aggregator.Type] = [
    CountsAggregator.self
]
