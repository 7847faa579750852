import Foundation
import Store
import Testing
import Webhooks

@Suite struct ReplyPagePublisherTests {
    @Test func publishingSavesTheWholeReplyUnderAFreshLink() async throws {
        let store = InMemoryBridgeStore()
        let publisher = ReplyPagePublisher(
            store: store,
            publicBaseURL: "https://bridge.example.com/chat/",
            lifetime: .seconds(600)
        )
        let now = Date(timeIntervalSince1970: 1_750_000_000)
        let link = try await publisher.publish("# Long\n\nreply", now: now)
        let other = try await publisher.publish("# Long\n\nreply", now: now)
        #expect(link != other)

        #expect(link.hasPrefix("https://bridge.example.com/chat/r/"))
        let id = String(link.dropFirst("https://bridge.example.com/chat/r/".count))
        #expect(ReplyPageID.isWellFormed(id))
        let page = try #require(try await store.replyPage(id: id, now: now))
        #expect(page.text == "# Long\n\nreply")
        #expect(page.createdAt == now)
        #expect(page.expiresAt == now + 600)
    }
}
