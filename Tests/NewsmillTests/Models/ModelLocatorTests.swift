import Testing

@testable import Newsmill

@Suite struct ModelLocatorTests {
    @Test func triesEnvironmentThenPlacesRelativeToTheExecutable() {
        let dirs = ModelLocator.candidateDirectories(
            environment: "/opt/models", executable: "/repo/.build/x86_64-unknown-linux-gnu/release/newsmill")
        #expect(dirs.first == "/opt/models")
        #expect(dirs.contains("/repo/.build/x86_64-unknown-linux-gnu/release/models"))
        #expect(dirs.contains("/repo/.build/x86_64-unknown-linux-gnu/share/newsmill/models"))
        #expect(dirs.contains("/repo/models"))
        let installed = ModelLocator.candidateDirectories(environment: "", executable: "/usr/local/bin/newsmill")
        #expect(installed.contains("/usr/local/share/newsmill/models"))
        #expect(!installed.contains(""))
    }
}
