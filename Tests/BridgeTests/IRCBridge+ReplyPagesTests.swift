import Bridge
import BridgeTesting
import Foundation
import IRC
import InMemoryLogging
import Logging
import Store
import Testing
import Webhooks

/// Long answers on IRC: the first lines, then a link to a page with the whole answer.
@Suite(.timeLimit(.minutes(1))) struct IRCBridgeReplyPagesTests {
    static let base = "https://bridge.example.com"
    static let configuration = IRCBridgeConfiguration(network: IRCBridgeFixture.networkName, maxLinesPerReply: 3)
    static let longAnswer =
        "# Steps\n\n" + (1...10).map { "- step \($0)" }.joined(separator: "\n")
        + "\n\n```html\n<script>alert(1)</script>\n```\n\nThe **end**."

    @Test func aLongAnswerPostsItsFirstLinesAndALinkToAPageWithAllOfIt() async throws {
        let store = InMemoryBridgeStore()
        let pages = ReplyPagePublisher(store: store, publicBaseURL: Self.base, lifetime: .seconds(3600))
        try await IRCBridgeFixture.run(configuration: Self.configuration, store: store, replyPages: pages) { fixture in
            fixture.stub.enqueue(.reply(Self.longAnswer))
            let asked = Date()
            fixture.network.say("gptbot: list the steps", in: "#chan", from: "alice")
            _ = try await fixture.network.nextLine(to: "#chan")
            let lines = fixture.network.lines(to: "#chan").compactMap(\.parameters.last)
            #expect(lines.count == 3, "\(lines)")
            #expect(lines.first == "alice: \u{02}Steps\u{02}")
            #expect(lines.dropFirst().first == "• step 1")
            let last = try #require(lines.last)
            #expect(last.hasPrefix("… full reply: \(Self.base)/r/"), "\(last)")
            #expect(!last.contains("more lines"))

            let id = String(last.dropFirst("… full reply: \(Self.base)/r/".count))
            #expect(ReplyPageID.isWellFormed(id))
            let page = try #require(try await store.replyPage(id: id, now: Date()))
            #expect(page.text == Self.longAnswer)
            #expect(page.createdAt >= asked.addingTimeInterval(-1))
            #expect(page.expiresAt.timeIntervalSince(page.createdAt) == 3600)
            let html = MarkdownHTMLRenderer().render(page.text)
            #expect(html.contains("<li>step 10</li>"))
            #expect(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
            #expect(html.contains("The <strong>end</strong>."))
        }
    }

    @Test func aShortAnswerGetsNoPage() async throws {
        let store = InMemoryBridgeStore()
        let pages = ReplyPagePublisher(store: store, publicBaseURL: Self.base, lifetime: .seconds(3600))
        try await IRCBridgeFixture.run(configuration: Self.configuration, store: store, replyPages: pages) { fixture in
            fixture.stub.enqueue(.reply("Just **one** line."))
            fixture.network.say("gptbot: short please", in: "#chan", from: "alice")
            let line = try await fixture.network.nextLine(to: "#chan")
            #expect(line.parameters.last == "alice: Just \u{02}one\u{02} line.")
            #expect(fixture.network.lines(to: "#chan").count == 1)
        }
    }

    @Test func withoutPagesTheOverflowIsStated() async throws {
        try await IRCBridgeFixture.run(configuration: Self.configuration) { fixture in
            fixture.stub.enqueue(.reply(Self.longAnswer))
            fixture.network.say("gptbot: list the steps", in: "#chan", from: "alice")
            _ = try await fixture.network.nextLine(to: "#chan")
            let lines = fixture.network.lines(to: "#chan").compactMap(\.parameters.last)
            #expect(lines.count == 3)
            #expect(lines.last?.contains("more lines not shown") == true, "\(lines)")
            #expect(!lines.joined().contains("full reply"))
        }
    }

    @Test func aPageThatCannotBeSavedLeavesTheOverflowStated() async throws {
        let pages = ReplyPagePublisher(store: FailingStore(), publicBaseURL: Self.base, lifetime: .seconds(3600))
        try await IRCBridgeFixture.run(configuration: Self.configuration, replyPages: pages) { fixture in
            fixture.stub.enqueue(.reply(Self.longAnswer))
            fixture.network.say("gptbot: list the steps", in: "#chan", from: "alice")
            _ = try await fixture.network.nextLine(to: "#chan")
            let lines = fixture.network.lines(to: "#chan").compactMap(\.parameters.last)
            #expect(lines.count == 3)
            #expect(lines.last?.contains("more lines not shown") == true, "\(lines)")
            #expect(
                fixture.logs.entries.contains {
                    $0.level == .warning && $0.message == "could not save the full-reply page; the overflow is stated"
                }
            )
        }
    }
}
