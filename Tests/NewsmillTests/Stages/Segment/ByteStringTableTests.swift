import Testing

@testable import Newsmill

@Suite struct SegmentByteStringTableTests {
    func lookup(_ table: ByteStringTable, _ key: String) -> UInt8? {
        table.value(for: key)
    }

    @Test func findsExactKeysOnly() {
        let table = ByteStringTable([("Mr", 1), ("U.S", 2), ("N°", 3)], foldingCase: false)
        #expect(lookup(table, "Mr") == 1)
        #expect(lookup(table, "U.S") == 2)
        #expect(lookup(table, "N°") == 3)
        #expect(lookup(table, "mr") == nil)
        #expect(lookup(table, "M") == nil)
        #expect(lookup(table, "Mrs") == nil)
        #expect(lookup(table, "") == nil)
        #expect(table.count == 3)
    }

    @Test func foldsASCIICaseWhenAsked() {
        let table = ByteStringTable([("GoNNa", 3)], foldingCase: true)
        #expect(lookup(table, "gonna") == 3)
        #expect(lookup(table, "GONNA") == 3)
        #expect(lookup(table, "gonn") == nil)
    }

    @Test func laterDuplicatesReplaceEarlierValues() {
        let table = ByteStringTable([("a", 1), ("b", 2), ("a", 5)], foldingCase: false)
        #expect(lookup(table, "a") == 5)
        #expect(table.count == 2)
    }

    @Test func looksUpSlicesOfALargerBuffer() {
        let table = ByteStringTable([("Inc", 1)], foldingCase: false)
        let text = Array("Acme Inc. said".utf8)
        text.withUnsafeBufferPointer { buffer in
            #expect(table.lookup(buffer, 5, 8) == 1)
            #expect(table.lookup(buffer, 5, 9) == nil)
            #expect(table.lookup(buffer, 0, 4) == nil)
        }
    }

    @Test func growsPastItsInitialCapacity() {
        let words = (0..<1000).map { ("w\($0)", UInt8($0 % 200 + 1)) }
        let table = ByteStringTable(words, foldingCase: false)
        for (word, value) in words { #expect(lookup(table, word) == value) }
        #expect(lookup(table, "w1000") == nil)
    }
}
