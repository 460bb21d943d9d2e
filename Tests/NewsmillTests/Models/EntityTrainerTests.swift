import Testing

@testable import Newsmill

@Suite struct EntityTrainerTests {
    static let people = ["Alice Smith", "Bob Jones", "Carol White", "Dan Brown", "Eve Black", "Frank Green"]
    static let places = ["Paris", "Berlin", "Madrid", "Oslo", "Lima", "Cairo"]
    static let firms = ["Acme Corp", "Globex Inc", "Initech Ltd", "Umbrella Corp", "Hooli Inc", "Vandelay Ltd"]

    /// Sentences "X visited Y to meet Z ." with gold spans.
    static func example(_ p: String, _ g: String, _ o: String) throws -> EntityExample {
        let text = "\(p) visited \(g) to meet \(o) ."
        var tokens: [String] = []
        var ents: [String] = []
        var offset = 0
        for (chunk, label) in [
            (p, "PERSON"), ("visited", ""), (g, "GPE"), ("to", ""), ("meet", ""), (o, "ORG"), (".", ""),
        ] {
            let start = offset
            for w in chunk.split(separator: " ") {
                tokens.append("[\(offset),\(offset + w.count)]")
                offset += w.count + 1
            }
            if !label.isEmpty { ents.append(#"{"start":\#(start),"end":\#(start + chunk.count),"label":"\#(label)"}"#) }
        }
        let line =
            #"{"text":"\#(text)","tokens":[\#(tokens.joined(separator: ","))],"ents":[\#(ents.joined(separator: ","))]}"#
        return try EntityCorpus.parse(line: Array(line.utf8), location: SourceLocation(path: "t", line: 1))
    }

    @Test func tinyTrainingRunLearnsAndIsDeterministic() throws {
        var train: [EntityExample] = []
        for i in 0..<5 {
            for j in 0..<5 { train.append(try Self.example(Self.people[i], Self.places[j], Self.firms[(i + j) % 5])) }
        }
        // Held-out combination with the sixth person, place and firm.
        let dev = [try Self.example(Self.people[5], Self.places[5], Self.firms[5])]
        var cfg = EntityTrainer.Configuration()
        cfg.epochs = 5
        cfg.rowBits = 12
        cfg.labels = [.person, .gpe, .org]
        let trainer = EntityTrainer(configuration: cfg)
        var log: [String] = []
        let model = try trainer.train(
            examples: train, dev: [.init(name: "dev", examples: dev)], log: { log.append($0) })
        #expect(log.count == 6)
        #expect(log.last?.contains("dev P") == true)
        let trainScore = EntityTrainer.evaluate(model: model, examples: train, labels: nil)
        #expect(trainScore.overall.f1 == 1)
        let devScore = EntityTrainer.evaluate(model: model, examples: dev, labels: nil)
        #expect(devScore.overall.f1 == 1, "held-out sentence: \(devScore.report())")
        // Same data and seed: the same model bytes.
        let again = try trainer.train(examples: train, log: { _ in })
        let first = try EntityTrainer(configuration: cfg).train(examples: train, log: { _ in })
        #expect(again.serialized() == first.serialized())
    }

    @Test func goldTagsAreBILOU() throws {
        let ex = try Self.example("Alice Smith", "Paris", "Acme Corp")
        let slots: [EntityLabel: Int] = [.person: 0, .gpe: 1, .org: 2]
        let (tags, skipped) = EntityTrainer.goldTags(ex, slots: slots)
        // Alice Smith visited Paris to meet Acme Corp .
        #expect(tags == [1, 3, 0, 8, 0, 0, 9, 11, 0])
        #expect(skipped == 0)
    }
}
