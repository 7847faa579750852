import Foundation
import Testing

@testable import goapi_bridge

@Suite struct WebhooksSectionReadingTests {
    private func webhooks(_ patch: [String: JSONValue]) -> JSONValue {
        let minimal: JSONValue = ["listen": "127.0.0.1:8080", "endpoints": [ConfigFixture.genericEndpoint]]
        return minimal.merging(patch)
    }

    private func load(_ patch: [String: JSONValue]) throws -> BridgeConfiguration.WebhooksSection {
        let configuration = try ConfigFixture.load(
            ConfigFixture.document(networks: nil, extra: ["webhooks": webhooks(patch)])
        )
        return try #require(configuration.webhooks)
    }

    private func problems(_ patch: [String: JSONValue]) -> [String] {
        ConfigFixture.problems(ConfigFixture.document(networks: nil, extra: ["webhooks": webhooks(patch)]))
    }

    @Test func fillsDefaults() throws {
        let webhooks = try load([:])
        #expect(webhooks.listen == ListenAddress(host: "127.0.0.1", port: 8080))
        #expect(webhooks.publicBaseURL == nil)
        #expect(webhooks.maxBodyBytes == 65_536)
        #expect(webhooks.maxConnections == 1_024)
        #expect(webhooks.replyPageTTL == .seconds(7 * 86_400))
        #expect(
            webhooks.outbox
                == .init(giveUpAfter: .seconds(86_400), initialBackoff: .seconds(1), maxBackoff: .seconds(600))
        )
    }

    @Test func stripsTheTrailingSlashFromThePublicBaseURL() throws {
        #expect(
            try load(["publicBaseURL": "https://bridge.example.com/"]).publicBaseURL?.absoluteString
                == "https://bridge.example.com"
        )
    }

    @Test func readsTheReplyPageLifetime() throws {
        #expect(try load(["replyPageTTLSeconds": 3600]).replyPageTTL == .seconds(3600))
        #expect(try load(["replyPageTTLSeconds": 0.5]).replyPageTTL == .milliseconds(500))
    }

    @Test func acceptsTheBodyLimitBounds() throws {
        #expect(try load(["maxBodyBytes": 1024]).maxBodyBytes == 1024)
        #expect(try load(["maxBodyBytes": 10_485_760]).maxBodyBytes == 10_485_760)
    }

    @Test func readsTheConnectionLimit() throws {
        #expect(try load(["maxConnections": 16]).maxConnections == 16)
        #expect(try load(["maxConnections": 100_000]).maxConnections == 100_000)
    }

    @Test(
        arguments: [
            (["listen": nil], "webhooks.listen: required key is missing"),
            (["listen": "8080"], #"webhooks.listen: "8080" is not host:port (e.g. 127.0.0.1:8080 or [::1]:8080)"#),
            (
                ["publicBaseURL": "bridge.example.com"],
                #"webhooks.publicBaseURL: "bridge.example.com" is not an http or https URL"# + ConfigFixture.urlHint
            ),
            (["maxBodyBytes": 1023], "webhooks.maxBodyBytes: must be 1024-10485760, not 1023"),
            (["maxBodyBytes": 10_485_761], "webhooks.maxBodyBytes: must be 1024-10485760, not 10485761"),
            (["maxConnections": 15], "webhooks.maxConnections: must be 16-100000, not 15"),
            (["endpoints": [:]], "webhooks.endpoints: expected an array, found an object"),
            (
                ["outbox": ["giveUpAfterSeconds": 0]],
                "webhooks.outbox.giveUpAfterSeconds: must be greater than 0, not 0"
            ),
            (
                ["outbox": ["initialBackoffSeconds": 0]],
                "webhooks.outbox.initialBackoffSeconds: must be greater than 0, not 0"
            ),
            (
                ["outbox": ["maxBackoffSeconds": 0.5]],
                "webhooks.outbox.maxBackoffSeconds: must be at least initialBackoffSeconds (1), not 0.5"
            ),
            (["endpoint": []], #"webhooks.endpoint: unknown key (did you mean "endpoints"?)"#),
            (["replyPageTTLSeconds": 0], "webhooks.replyPageTTLSeconds: must be greater than 0, not 0"),
            (
                ["replyPageTTLSeconds": "1d"],
                "webhooks.replyPageTTLSeconds: expected a number of seconds, found a string"
            ),
            (
                ["replyPageTTLSeconds": 40_000_000],
                "webhooks.replyPageTTLSeconds: must be at most 31536000 (one year)"
            ),
            (["replyPageTTL": 60], "webhooks.replyPageTTL: unknown key"),
        ] as [([String: JSONValue], String)]
    )
    func rejectsInvalidSettings(patch: [String: JSONValue], problem: String) {
        #expect(problems(patch) == [problem])
    }
}
