import Testing

@testable import Newsmill

@Suite struct NERStageTests {
    var modelPath: String { EntityTestSupport.shippedModelPath }

    func stage(_ options: [String: String]) throws -> any Stage {
        try StageRegistry.standard.makeStage(named: "ner", options: StageOptions(options, stageName: "ner"))
    }

    @Test func isRegisteredWithItsOptions() {
        #expect(StageRegistry.standard.stageNames.contains("ner"))
        #expect(NERStage.optionSpecs.map(\.name) == ["model", "labels", "patterns"])
    }

    @Test func writesEntitiesAndCountsThem() throws {
        let ner = try stage(["model": modelPath])
        var doc = EntityTestSupport.document(
            "China said on Wednesday that it would not sanction Russia.\nWang Yi spoke to Dmytro Kuleba for 20 minutes."
        )
        let context = StageContext()
        #expect(try ner.process(&doc, in: context) == .keep)
        let found = EntityTestSupport.entityStrings(doc)
        #expect(found.contains("China/GPE"))
        #expect(found.contains("Wednesday/DATE"))
        #expect(found.contains("Russia/GPE"))
        #expect(found.contains("Wang Yi/PERSON"))
        #expect(context.counters["ner.entities"] == doc.entities.count)
        // Running again replaces, not appends.
        let first = doc.entities
        _ = try ner.process(&doc, in: context)
        #expect(doc.entities == first)
    }

    @Test func labelsAndPatternsOptions() throws {
        let text = "Acme Corp earned 6 mln dlrs in Paris.\nNothing else."
        var onlyMoney = EntityTestSupport.document(text)
        _ = try stage(["model": modelPath, "labels": "MONEY"]).process(&onlyMoney, in: StageContext())
        #expect(EntityTestSupport.entityStrings(onlyMoney) == ["6 mln dlrs/MONEY"])
        var list = EntityTestSupport.document(text)
        let nodes: [(String, ConfigNode)] = [
            ("model", .scalar(modelPath, SourceLocation(path: "p.yaml", line: 3))),
            (
                "labels",
                .sequence(
                    [
                        .scalar("GPE", SourceLocation(path: "p.yaml", line: 4)),
                        .scalar("MONEY", SourceLocation(path: "p.yaml", line: 5)),
                    ], SourceLocation(path: "p.yaml", line: 4))
            ),
            ("patterns", .scalar("false", SourceLocation(path: "p.yaml", line: 6))),
        ]
        let ner = try StageRegistry.standard.makeStage(
            named: "ner", options: StageOptions(nodes: nodes, stageName: "ner"))
        _ = try ner.process(&list, in: StageContext())
        #expect(Set(list.entities.map(\.label)).isSubset(of: [.gpe, .money]))
        #expect(EntityTestSupport.entityStrings(list).contains("Paris/GPE"))
    }

    @Test func badOptionsAreConfigErrors() {
        #expect(throws: ConfigError.self) { try stage(["model": "/nonexistent/en-ner.nmm"]) }
        #expect(throws: ConfigError.self) { try stage(["model": modelPath, "labels": "PEOPLE"]) }
        #expect(throws: ConfigError.self) { try stage(["model": modelPath, "patterns": "maybe"]) }
        #expect(throws: ConfigError.self) { try stage(["model": modelPath, "modle": "x"]) }
        do {
            _ = try stage(["model": "/nonexistent/en-ner.nmm"])
        } catch {
            #expect("\(error)".contains("/nonexistent/en-ner.nmm"))
        }
    }

    @Test func findsTheRepositoryModelsByDefault() throws {
        // `swift test` runs from the repository root, where ./models/en-ner.nmm is the last fallback.
        let path = NERModelLocator.defaultModelPath(
            environment: EntityTestSupport.repositoryRoot + "/models",
            executable: nil)
        #expect(path == EntityTestSupport.repositoryRoot + "/models/en-ner.nmm")
    }
}
