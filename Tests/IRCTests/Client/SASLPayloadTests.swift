import Testing

@testable import IRC

@Suite struct SASLPayloadTests {
    @Test func payloadsAreCutInto400ByteChunks() {
        let chunks = SASLPayload.chunks(String(repeating: "A", count: 900))
        #expect(chunks.map(\.count) == [400, 400, 100])
    }

    @Test func anExactMultipleOf400EndsWithAPlus() {
        #expect(SASLPayload.chunks(String(repeating: "A", count: 800)).map(\.count) == [400, 400, 1])
        #expect(SASLPayload.chunks(String(repeating: "A", count: 800)).last == "+")
    }

    @Test func longCredentialsStillRoundTrip() {
        let chunks = SASLPayload.plain(username: "bot", password: String(repeating: "p", count: 600))
        #expect(chunks.count == 3)
        #expect(chunks.dropLast().allSatisfy { $0.utf8.count == 400 })
    }
}
