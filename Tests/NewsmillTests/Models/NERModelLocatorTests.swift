import Testing

@testable import Newsmill

@Suite struct NERModelLocatorTests {
    @Test func candidateOrder() {
        let dirs = NERModelLocator.candidateDirectories(
            environment: "/opt/models", executable: "/usr/local/bin/newsmill")
        #expect(dirs == ["/opt/models", "/usr/local/share/newsmill/models", "/usr/models", "/models", "models"])
        let build = NERModelLocator.candidateDirectories(
            environment: nil, executable: "/repo/.build/x86_64-unknown-linux-gnu/release/newsmill")
        #expect(build.contains("/repo/.build/models") && build.contains("/repo/models"))
    }

    @Test func picksTheFirstFolderThatHasTheModel() {
        let root = EntityTestSupport.repositoryRoot
        // From a build folder inside the repository: .build/<triple>/release/newsmill → ../../../models.
        let found = NERModelLocator.defaultModelPath(
            environment: nil, executable: root + "/.build/x86_64-unknown-linux-gnu/release/newsmill")
        #expect(found == root + "/models/en-ner.nmm")
        // Environment first, even when it lacks the file? No: a missing file falls through.
        let fallback = NERModelLocator.defaultModelPath(
            environment: "/nonexistent", executable: root + "/.build/release/newsmill")
        #expect(fallback == root + "/models/en-ner.nmm")
        // Nothing anywhere: the path names the first folder tried.
        let none = NERModelLocator.defaultModelPath(named: "no-such.nmm", environment: "/nonexistent", executable: nil)
        #expect(none == "/nonexistent/no-such.nmm")
    }
}
