import Testing
@testable import Newsmill

@Suite struct PlaceholderTests {
    @Test func nothing() { #expect(1 == 1) }
}
