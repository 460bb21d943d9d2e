import Foundation
import Testing

@testable import Newsmill

@Suite struct PIIStageTests {
    private func found(_ text: String, kinds: Set<PIIScanner.Kind> = Set(PIIScanner.Kind.allCases)) -> [String] {
        let bytes = Array(text.utf8)
        return bytes.withUnsafeBufferPointer { buffer in
            PIIScanner.scan(buffer, kinds: kinds).map {
                "\($0.kind.name):" + String(decoding: bytes[$0.start..<$0.end], as: UTF8.self)
            }
        }
    }

    private func run(_ options: [String: String], _ text: String) throws -> (Document, [String: Int]) {
        let stage = try PIIStage(options: StageOptions(options, stageName: "pii"))
        var doc = Document(id: "d", source: SourceLocation(path: "p", line: 1), text: text)
        let context = StageContext()
        #expect(try stage.process(&doc, in: context) == .keep)
        return (doc, context.takeCounters())
    }

    @Test func isRegistered() throws {
        #expect(StageRegistry.standard.stageNames.contains("pii"))
        #expect(try StageRegistry.standard.makeStage(named: "pii", options: StageOptions([:])) is PIIStage)
    }

    @Test func findsAddressesAndNumbersOfTheirExactShape() {
        #expect(
            found("Mail john.smith@reuters.com, J_Doe+news@mail.example.co.uk. or franz371...@gmail.com!")
                == [
                    "email:john.smith@reuters.com", "email:J_Doe+news@mail.example.co.uk",
                    "email:franz371...@gmail.com",
                ])
        #expect(
            found("Call +44 20 7946 0958, (212) 555-0123, 212-555-0199, 212.555.0100, 212 555-0101 or 1-800-555-0100.")
                == [
                    "phone:+44 20 7946 0958", "phone:(212) 555-0123", "phone:212-555-0199", "phone:212.555.0100",
                    "phone:212 555-0101", "phone:1-800-555-0100",
                ])
        #expect(found("Tel:+1 (212) 555-0100 Work:832.676.3177") == ["phone:+1 (212) 555-0100", "phone:832.676.3177"])
        #expect(
            found(
                "Hosts 192.168.1.20, 2001:db8:85a3::8a2e:370:7334, fe80::1 and 2001:0db8:0000:0000:0000:ff00:0042:8329."
            )
                == [
                    "ip:192.168.1.20", "ip:2001:db8:85a3::8a2e:370:7334", "ip:fe80::1",
                    "ip:2001:0db8:0000:0000:0000:ff00:0042:8329",
                ])
    }

    @Test func numbersOfNewsAreNotTakenForPersonalData() {
        let text = """
            On 12.03.1987 at 10:30:00 the score was 3-2 and 2-1; prices rose 1,234.56; shares 100-150-2000 and
            123-456-7890 (area code 1); version 1.2.3.4.5; range 1986-87; 555-0100; ISBN 978-3-16-148410-0;
            revs 12.5 mln vs 10.1 mln; +5.2 pct; +12.50 dlrs; @Reuters; user@localhost; a.b@c; 255.256.1.1;
            01.02.03.04; table 212 555 0100; 020 7946 0958; 2001:2002; cafe: ok; ::; 1::2::3; x@y.c0m; ab::cd::ef.
            """
        #expect(found(text) == [])
    }

    @Test func kindsChooseWhatIsFound() {
        let text = "a@b.org 10.0.0.1 +44 20 7946 0958"
        #expect(found(text, kinds: [.ip]) == ["ip:10.0.0.1"])
        #expect(found(text, kinds: [.email, .phone]) == ["email:a@b.org", "phone:+44 20 7946 0958"])
    }

    @Test func replacingWritesPlaceholdersAndCounts() throws {
        let (doc, counters) = try run(
            [:], "Café owner José (jose@cafe.es, +34 91 123 45 67) logged in from 10.1.2.3 and 10.1.2.4.")
        #expect(doc.text == "Café owner José (<EMAIL>, <PHONE>) logged in from <IP> and <IP>.")
        #expect(counters == ["pii.documents": 1, "pii.email": 1, "pii.phone": 1, "pii.ip": 2])
        let (custom, _) = try run(["email": "[mail]", "ip": ""], "x@y.com at 1.2.3.4")
        #expect(custom.text == "[mail] at ")
        // Nothing found: the document is untouched and nothing is counted.
        let (clean, none) = try run([:], "Wheat rose 1.2 pct on Tuesday.")
        #expect(clean.text == "Wheat rose 1.2 pct on Tuesday.")
        #expect(none.isEmpty)
    }

    @Test func taggingListsCodePointSpansAndLeavesTheText() throws {
        let text = "Écrivez à rédaction@journal.fr ou appelez +33 1 23 45 67 89."
        let (doc, _) = try run(["action": "tag"], text)
        #expect(doc.text == text)
        let spans = try #require(doc.metadata("pii")?.arrayValue)
        let scalars = Array(text.unicodeScalars)
        let pieces = spans.map { span -> String in
            let start = span["start"]?.intValue ?? -1
            let end = span["end"]?.intValue ?? -1
            return (span["kind"]?.stringValue ?? "?") + ":"
                + String(String.UnicodeScalarView(scalars[start..<end]))
        }
        // "rédaction" is not ASCII: the address starts after it ("action@..." would be wrong too).
        #expect(pieces == ["phone:+33 1 23 45 67 89"])
        let (ascii, _) = try run(["action": "tag"], "Écrivez à redaction@journal.fr.")
        let span = try #require(ascii.metadata("pii")?.arrayValue?.first)
        #expect(span["start"]?.intValue == 10 && span["end"]?.intValue == 30)
    }

    @Test func badOptionsAreConfigErrors() {
        #expect(throws: ConfigError.self) { try PIIStage(options: StageOptions(["kinds": "ssn"], stageName: "pii")) }
        #expect(throws: ConfigError.self) { try PIIStage(options: StageOptions(["action": "mask"], stageName: "pii")) }
    }

    @Test func replacingAfterSegmentIsAConfigErrorTaggingIsNot() throws {
        do {
            _ = try PipelineConfig.parse("stages: [segment, pii]\n", path: "p.yaml", registry: .standard)
            Issue.record("pii after segment was accepted")
        } catch {
            #expect(
                "\(error)".hasPrefix(
                    "p.yaml:1:19: 'pii' rewrites the text, which drops the tokens 'segment' made before it (line 1)"),
                "\(error)")
        }
        let tagging = try PipelineConfig.parse(
            "stages: [segment, {pii: {action: tag, kinds: [email, phone]}}, tag]\n", path: "p.yaml", registry: .standard
        )
        #expect(tagging.stageNames == ["segment", "pii", "tag"])
        // It makes no tokens: tag still needs a segment before it.
        #expect(throws: ConfigError.self) {
            _ = try PipelineConfig.parse("stages: [pii, tag]\n", path: "p.yaml", registry: .standard)
        }
    }

    /// Real text with real addresses: the e-mails and phone numbers of UD English EWT's
    /// e-mail genre (the Enron corpus), each checked by Python's own parsers.
    @Test func addressesInTheEnronMailsOfEWTAreFoundAndValid() throws {
        let path = TaggerTestData.repositoryRoot + "/../shared/data/ud/en_ewt-ud-train.conllu"
        try #require(FileManager.default.fileExists(atPath: path), "../shared/data/ud is missing")
        var texts: [String] = []
        for line in try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n")
        where line.hasPrefix("# text = ") {
            texts.append(String(line.dropFirst(9)))
        }
        var emails: [String] = []
        var phones: [String] = []
        for text in texts {
            for item in found(text) {
                if item.hasPrefix("email:") { emails.append(String(item.dropFirst(6))) }
                if item.hasPrefix("phone:") { phones.append(String(item.dropFirst(6))) }
            }
        }
        #expect(emails.contains("leon.branom@enron.com"))
        #expect(phones.contains("(713) 345-8702"))
        #expect(emails.count >= 90 && phones.count >= 120, "\(emails.count) \(phones.count)")
        let checked = try TestSupport.python(
            """
            import email.utils, re, sys
            emails, phones = sys.argv[1].split("\\n"), sys.argv[2].split("\\n")
            for e in emails:
                name, addr = email.utils.parseaddr(e)
                assert addr == e and re.fullmatch(r"[A-Za-z0-9._%+-]+@([A-Za-z0-9-]+\\.)+[A-Za-z]{2,24}", e), e
            for p in phones:
                digits = re.sub(r"\\D", "", p)
                assert 10 <= len(digits) <= 15, p
            print(len(emails), len(phones))
            """, [emails.joined(separator: "\n"), phones.joined(separator: "\n")])
        #expect(checked == "\(emails.count) \(phones.count)\n")
    }
}
