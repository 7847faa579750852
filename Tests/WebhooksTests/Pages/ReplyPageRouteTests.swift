import BridgeTesting
import Crypto
import Foundation
import Store
import Testing
import Webhooks

/// `GET /r/<id>` on the webhook server, over real HTTP.
@Suite struct ReplyPageRouteTests {
    static let start = Date(timeIntervalSince1970: 1_750_000_000)
    static let markdown = "# Title\n\nSome **bold** text.\n\n<script>alert(1)</script>\n\n[x](javascript:alert(1))"

    /// Runs a server whose store holds one page that expires an hour after ``start``.
    private func withPage(
        clock: SettableClock = SettableClock(Self.start),
        _ body: (WebhookTestHarness, String) async throws -> Void
    ) async throws {
        let store = InMemoryBridgeStore()
        let id = ReplyPageID.random()
        try await store.saveReplyPage(
            ReplyPage(id: id, text: Self.markdown, createdAt: Self.start, expiresAt: Self.start + 3600)
        )
        try await WebhookTestHarness.withServer(
            endpoints: [WebhookTestHarness.generic(mode: .sync(timeout: .seconds(5)))],
            store: store,
            now: clock.now
        ) { harness in
            try await body(harness, id)
        }
    }

    private func get(_ path: String, method: String = "GET", port: Int) async throws -> TestHTTPClient.Response {
        try await TestHTTPClient.send(method: method, port: port, path: path)
    }

    @Test func aPageIsServedRenderedWithStrictHeaders() async throws {
        try await self.withPage { harness, id in
            let response = try await self.get("/r/\(id)", port: harness.port)
            #expect(response.status == 200)
            #expect(response.headers["content-type"] == "text/html; charset=utf-8")
            let policy = try #require(response.headers["content-security-policy"])
            #expect(policy.hasPrefix("default-src 'none'; style-src 'sha256-"))
            #expect(policy.contains("img-src https:"))
            #expect(!policy.contains("script-src"))
            #expect(response.headers["x-content-type-options"] == "nosniff")
            #expect(response.headers["referrer-policy"] == "no-referrer")
            #expect(response.headers["cache-control"] == "private, max-age=3600")

            let html = String(decoding: response.body, as: UTF8.self)
            #expect(html.hasPrefix("<!doctype html>"))
            #expect(html.contains("<meta charset=\"utf-8\">"))
            #expect(html.contains("<meta name=\"viewport\""))
            #expect(html.contains("<title>"))
            #expect(html.contains("<h1>Title</h1>"))
            #expect(html.contains("<strong>bold</strong>"))
            #expect(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
            #expect(html.contains("[x](javascript:alert(1))"))
            #expect(!html.contains("<script"))
            #expect(!html.contains("href=\"javascript"))
        }
    }

    @Test func theStylePolicyAllowsExactlyThePagesStyleSheet() async throws {
        try await self.withPage { harness, id in
            let response = try await self.get("/r/\(id)", port: harness.port)
            let html = String(decoding: response.body, as: UTF8.self)
            let style = try #require(html.firstRange(of: "<style>")?.upperBound)
            let styleEnd = try #require(html.firstRange(of: "</style>")?.lowerBound)
            let digest = Data(SHA256.hash(data: Data(html[style..<styleEnd].utf8))).base64EncodedString()
            #expect(response.headers["content-security-policy"]?.contains("style-src 'sha256-\(digest)'") == true)
            #expect(html.components(separatedBy: "<style>").count == 2, "one style element, no inline styles")
            #expect(!html.contains(" style="))
        }
    }

    @Test func unknownAndMalformedIdsGetTheSame404() async throws {
        try await self.withPage { harness, id in
            var bodies: [Data] = []
            for path in ["/r/\(ReplyPageID.random())", "/r/abc", "/r/", "/r/\(id)/", "/r/\(id)x", "/r/../hooks/team"] {
                let response = try await self.get(path, port: harness.port)
                #expect(response.status == 404, "\(path)")
                #expect(response.headers["content-type"] == "text/html; charset=utf-8")
                #expect(response.headers["cache-control"] == "no-store")
                #expect(response.headers["content-security-policy"]?.hasPrefix("default-src 'none'") == true)
                #expect(response.headers["x-content-type-options"] == "nosniff")
                bodies.append(response.body)
            }
            #expect(Set(bodies).count == 1, "nothing tells an unknown id from a malformed one")
        }
    }

    @Test func anExpiredPageIs404AndSaysNoMore() async throws {
        let clock = SettableClock(Self.start)
        try await self.withPage(clock: clock) { harness, id in
            clock.advance(by: 3599)
            let late = try await self.get("/r/\(id)", port: harness.port)
            #expect(late.status == 200)
            #expect(late.headers["cache-control"] == "private, max-age=1", "no browser keeps it past expiry")

            clock.advance(by: 1)
            let expired = try await self.get("/r/\(id)", port: harness.port)
            #expect(expired.status == 404)
            #expect(!String(decoding: expired.body, as: UTF8.self).contains("Title"))
            let unknown = try await self.get("/r/\(ReplyPageID.random())", port: harness.port)
            #expect(expired.body == unknown.body)
        }
    }

    @Test func headGetsTheHeadersWithoutTheBody() async throws {
        try await self.withPage { harness, id in
            let page = try await self.get("/r/\(id)", port: harness.port)
            let head = try await self.get("/r/\(id)", method: "HEAD", port: harness.port)
            #expect(head.status == 200)
            #expect(head.body.isEmpty)
            #expect(head.headers["content-length"] == String(page.body.count))
            #expect(head.headers["content-security-policy"] == page.headers["content-security-policy"])
        }
    }

    @Test func otherMethodsAre405() async throws {
        try await self.withPage { harness, id in
            let response = try await self.get("/r/\(id)", method: "POST", port: harness.port)
            #expect(response.status == 405)
            #expect(response.headers["allow"] == "GET, HEAD")
        }
    }

    @Test func webhookEndpointsAreServedAsBefore() async throws {
        try await self.withPage { harness, _ in
            let response = try await harness.post(body: #"{"thread": "t-1", "text": "hi"}"#)
            #expect(response.status == 200)
            #expect(try await self.get("/hooks/team", port: harness.port).status == 405)
            #expect(try await self.get("/r", port: harness.port).json?["code"] as? String == "not_found")
        }
    }
}
