import Foundation
import Testing
import Webhooks

@testable import goapi_bridge

/// The configuration reaches the webhook server as written: every kind served, URLs ready for API paths.
@Suite struct WebhooksSectionWiringTests {
    private func serverEndpoints(_ endpoints: [JSONValue]) throws -> [WebhookServer.Endpoint] {
        let configuration = try ConfigFixture.load(ConfigFixture.document(networks: nil, endpoints: endpoints))
        return try #require(configuration.webhooks).serverEndpoints(syncTimeout: .seconds(125))
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
