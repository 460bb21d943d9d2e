import Testing

@testable import Newsmill

@Suite struct AggregateScratchTests {
    @Test func filesAreUniqueAndRemovedWithTheirFolder() throws {
        let output = TestSupport.temporaryDirectory()
        let scratch = AggregateScratch.beside(output, partials: 0)
        #expect(scratch.partials == 1)
        #expect(FileSystem.status(scratch.directory) == nil)  // made on first use
        let a = try scratch.newFile("terms")
        let b = try scratch.newFile("terms")
        #expect(a != b)
        try FileSystem.writeAtomically(a, bytes: [1, 2, 3])
        try FileSystem.writeAtomically(b, bytes: [4])
        #expect(FileSystem.list(scratch.directory)?.count == 2)
        scratch.removeAll()
        #expect(FileSystem.status(scratch.directory) == nil)
        #expect(FileSystem.list(output) == [])
    }
}
