import Foundation
import Store
import Testing

@Suite struct BridgeStoreReplyPagesTests {
    static func page(
        _ id: String,
        text: String = "# Title\n\nBody",
        created: Double = 0,
        expires: Double = 100
    )
        -> ReplyPage
    {
        ReplyPage(id: id, text: text, createdAt: at(created), expiresAt: at(expires))
    }

    @Test(arguments: StoreKind.allCases)
    func savedPageIsFoundUntilItExpires(kind: StoreKind) async throws {
        let fixture = try StoreFixture(kind)
        defer { fixture.tearDown() }
        let store = fixture.store
        let page = Self.page("AbC-_123", text: "Ünïcödé **Markdown** with `code`\n\n```\n<html>\n```")
        try await store.saveReplyPage(page)

        #expect(try await store.replyPage(id: "AbC-_123", now: at(0)) == page)
        #expect(try await store.replyPage(id: "AbC-_123", now: at(99)) == page)
        // Expiry is exact: at `expiresAt` the page is already gone, even before a purge.
        #expect(try await store.replyPage(id: "AbC-_123", now: at(100)) == nil)
        #expect(try await store.replyPage(id: "AbC-_123", now: at(1000)) == nil)
    }

    @Test(arguments: StoreKind.allCases)
    func unknownIdsAndOtherCasesAreNotFound(kind: StoreKind) async throws {
        let fixture = try StoreFixture(kind)
        defer { fixture.tearDown() }
        let store = fixture.store
        try await store.saveReplyPage(Self.page("AbC"))
        #expect(try await store.replyPage(id: "nope", now: at(0)) == nil)
        #expect(try await store.replyPage(id: "abc", now: at(0)) == nil)
        #expect(try await store.replyPage(id: "", now: at(0)) == nil)
    }

    @Test(arguments: StoreKind.allCases)
    func savingAgainReplacesThePage(kind: StoreKind) async throws {
        let fixture = try StoreFixture(kind)
        defer { fixture.tearDown() }
        let store = fixture.store
        try await store.saveReplyPage(Self.page("p", text: "old", expires: 10))
        let replacement = Self.page("p", text: "new", created: 5, expires: 50)
        try await store.saveReplyPage(replacement)
        #expect(try await store.replyPage(id: "p", now: at(20)) == replacement)
    }

    @Test(arguments: StoreKind.allCases)
    func purgeDeletesOnlyExpiredPages(kind: StoreKind) async throws {
        let fixture = try StoreFixture(kind)
        defer { fixture.tearDown() }
        let store = fixture.store
        try await store.saveReplyPage(Self.page("old", expires: 10))
        try await store.saveReplyPage(Self.page("edge", expires: 20))
        try await store.saveReplyPage(Self.page("fresh", expires: 30))

        #expect(try await store.purgeExpiredReplyPages(now: at(20)) == 2)
        #expect(try await store.purgeExpiredReplyPages(now: at(20)) == 0)
        #expect(try await store.replyPage(id: "fresh", now: at(20))?.id == "fresh")
        // A purged page stays gone even for a caller whose clock is behind.
        #expect(try await store.replyPage(id: "old", now: at(0)) == nil)
    }
}
