import Foundation
import Store
import Testing
import Webhooks

@testable import goapi_bridge

/// The configuration reaches the webhook server as written: every kind served, URLs ready for API paths.
@Suite struct WebhooksSectionWiringTests {
    private func serverEndpoints(_ endpoints: [JSONValue]) throws -> [WebhookServer.Endpoint] {
        let configuration = try ConfigFixture.load(ConfigFixture.document(networks: nil, endpoints: endpoints))
        return try #require(configuration.webhooks).serverEndpoints(syncTimeout: .seconds(125))
    }

    @Test func aSyncAnswerMayTakeTheBackupsTimeToo() throws {
        let plain: JSONValue = ConfigFixture.goapi.merging(["replyTimeoutSeconds": 60])
        #expect(try ConfigFixture.load(ConfigFixture.document(goapi: plain)).goapi.longestAnswer == .seconds(60))
        let withBackup = plain.merging(["fallback": ["apiKey": "backup"]])
        #expect(
            try ConfigFixture.load(ConfigFixture.document(goapi: withBackup)).goapi.longestAnswer == .seconds(120),
            "the backup starts once the Conversation API's 60 s are over, and has 60 s of its own"
        )
    }

    @Test func slackEndpointsGetTheirCredentialsAndTheDefaultAPI() throws {
        let endpoints = try serverEndpoints([ConfigFixture.slackEndpoint])
        guard case .slack(let slack) = endpoints.first?.kind else {
            Issue.record("not a Slack endpoint")
            return
        }
        #expect(slack.signingSecret == "slack-signing")
        #expect(slack.botToken == "xoxb-token")
        #expect(slack.apiBaseURL == "https://slack.com/api")
    }

    @Test func mattermostEndpointsKeepTheirModeAndAServerURLWithoutTrailingSlash() throws {
        let endpoints = try serverEndpoints([
            ConfigFixture.mattermostEndpoint.setting("serverURL", to: "https://chat.example.com/"),
            ["path": "/hooks/mm-sync", "kind": "mattermost", "token": "t2", "mode": "sync"],
        ])
        guard case .mattermost(let async) = endpoints.first?.kind,
            case .async(let serverURL, let botToken) = async.mode
        else {
            Issue.record("not an async Mattermost endpoint")
            return
        }
        #expect(async.token == "mm-token")
        #expect(serverURL == "https://chat.example.com")
        #expect(botToken == "mm-bot")
        guard case .mattermost(let sync) = endpoints.last?.kind, case .sync(let timeout) = sync.mode else {
            Issue.record("not a sync Mattermost endpoint")
            return
        }
        // Mattermost waits 30 s for the response.
        #expect(timeout < .seconds(30))
    }

    @Test func genericEndpointsKeepTheirReplyURL() throws {
        let endpoints = try serverEndpoints([ConfigFixture.genericEndpoint])
        guard case .generic(let generic) = endpoints.first?.kind, case .async(let url) = generic.mode else {
            Issue.record("not a generic async endpoint")
            return
        }
        #expect(url == "https://tools.example.com/replies")
        #expect(endpoints.first?.rateLimit == WebhookServer.RateLimit(requests: 60, period: .seconds(60)))
    }
}

/// Full-reply pages are published only where people can reach them.
@Suite struct WebhooksSectionReplyPagesWiringTests {
    @Test func withoutAPublicBaseURLNoPagesArePublished() throws {
        let configuration = try ConfigFixture.load(ConfigFixture.document(endpoints: [ConfigFixture.genericEndpoint]))
        #expect(try #require(configuration.webhooks).replyPagePublisher(store: InMemoryBridgeStore()) == nil)
    }

    @Test func pagesLiveUnderThePublicBaseURLForTheConfiguredTime() async throws {
        // IRC-only apart from the page server: no endpoint is needed for pages.
        let document = ConfigFixture.document(
            extra: [
                "webhooks": [
                    "listen": "127.0.0.1:8080", "publicBaseURL": "https://bridge.example.com/",
                    "replyPageTTLSeconds": 90,
                ]
            ]
        )
        let webhooks = try #require(try ConfigFixture.load(document).webhooks)
        let store = InMemoryBridgeStore()
        let publisher = try #require(webhooks.replyPagePublisher(store: store))
        let now = Date(timeIntervalSince1970: 1_750_000_000)
        let link = try await publisher.publish("text", now: now)
        #expect(link.hasPrefix("https://bridge.example.com/r/"))
        let id = String(link.dropFirst("https://bridge.example.com/r/".count))
        #expect(try await store.replyPage(id: id, now: now)?.expiresAt == now + 90)
    }
}
