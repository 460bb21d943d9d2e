import Testing

@testable import Newsmill

@Suite struct ModelFileTests {
    @Test func roundTripsSections() throws {
        var file = ModelFile(kind: .lemmatizer)
        file.sections = [("META", Array("a=b\n".utf8)), ("ODD", [1, 2, 3]), ("EMPT", [])]
        let bytes = file.encoded()
        #expect(bytes.count % 8 == 0)
        #expect(Array(bytes.prefix(8)) == ModelFile.magic)
        let back = try ModelFile(bytes: bytes, path: "m.nmm")
        #expect(back.kind == .lemmatizer)
        #expect(back.sections.map(\.tag) == ["META", "ODD", "EMPT"])
        #expect(back.sections.map(\.payload) == [Array("a=b\n".utf8), [1, 2, 3], []])
        #expect(try back.section("ODD", path: "m.nmm") == [1, 2, 3])
    }

    @Test func rejectsBadMagicVersionAndTruncation() {
        var file = ModelFile(kind: .partOfSpeech)
        file.sections = [("DATA", [UInt8](repeating: 7, count: 100))]
        let good = file.encoded()
        var badMagic = good
        badMagic[0] = 0x41
        #expect(throws: ModelFormatError.notAModel(path: "m")) { try ModelFile(bytes: badMagic, path: "m") }
        var badVersion = good
        badVersion[8] = 99
        #expect(throws: ModelFormatError.unsupportedVersion(path: "m", found: 99, supported: 1)) {
            try ModelFile(bytes: badVersion, path: "m")
        }
        #expect(throws: ModelFormatError.truncated(path: "m")) {
            try ModelFile(bytes: Array(good.prefix(60)), path: "m")
        }
        #expect(throws: ModelFormatError.missingSection(path: "m", tag: "NOPE")) {
            try ModelFile(bytes: good, path: "m").section("NOPE", path: "m")
        }
        #expect(
            ModelFormatError.unsupportedVersion(path: "m", found: 99, supported: 1).description
                == "m: model format version 99 is not supported (this build reads 1); retrain the model")
    }

    @Test func readsLittleEndianValues() throws {
        var w = ByteWriter()
        w.u32(0x0102_0304)
        w.u64(42)
        w.i16(-5)
        w.f32(1.5)
        w.string("héllo")
        #expect(Array(w.bytes.prefix(4)) == [4, 3, 2, 1])
        var r = ByteReader(w.bytes, path: "x")
        #expect(try r.u32() == 0x0102_0304)
        #expect(try r.u64() == 42)
        #expect(try r.i16() == -5)
        #expect(try r.f32() == 1.5)
        #expect(try r.string() == "héllo")
        #expect(r.isAtEnd)
        #expect(throws: ModelFormatError.truncated(path: "x")) { try r.u8() }
    }
}
