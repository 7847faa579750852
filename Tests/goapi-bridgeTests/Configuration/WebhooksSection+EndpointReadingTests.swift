import Foundation
import Testing

@testable import goapi_bridge

@Suite struct WebhooksSectionEndpointReadingTests {
    private func endpoint(_ value: JSONValue) throws -> BridgeConfiguration.WebhooksSection.Endpoint {
        let configuration = try ConfigFixture.load(ConfigFixture.document(networks: nil, endpoints: [value]))
        return try #require(configuration.webhooks?.endpoints.first)
    }

    @Test func readsAGenericAsyncEndpoint() throws {
        let endpoint = try endpoint(
            ConfigFixture.genericEndpoint.merging(["gizmoId": "g-3w1rEXGE0", "model": "gpt-4o"])
        )
        #expect(endpoint.path == "/hooks/team")
        #expect(endpoint.mode == .async)
        #expect(endpoint.gizmoId == "g-3w1rEXGE0")
        #expect(endpoint.model == "gpt-4o")
        #expect(endpoint.rateLimit == .init(count: 60, period: .seconds(60)))
        guard case .generic(let secret, .async(let replyURL)) = endpoint.kind else {
            Issue.record("expected a generic async endpoint, got \(endpoint.kind)")
            return
        }
        #expect(secret.exposedValue == "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")
        #expect(replyURL.absoluteString == "https://tools.example.com/replies")
    }

    @Test func replyURLKeepsItsQuery() throws {
        let endpoint = try endpoint(
            ConfigFixture.genericEndpoint.setting("replyURL", to: "https://x.example.com/r?team=a")
        )
        #expect(
            endpoint.kind
                == .generic(
                    secret: Secret("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"),
                    reply: .async(replyURL: .init(string: "https://x.example.com/r?team=a")!)
                )
        )
    }

    @Test func genericSyncNeedsNoReplyURL() throws {
        let value = ConfigFixture.genericEndpoint.merging(["mode": "sync", "replyURL": nil])
        #expect(try endpoint(value).mode == .sync)
    }

    @Test func readsASlackEndpointWithDefaultAPIBaseURL() throws {
        let endpoint = try endpoint(ConfigFixture.slackEndpoint)
        #expect(
            endpoint.kind
                == .slack(
                    signingSecret: Secret("slack-signing"),
                    botToken: Secret("xoxb-token"),
                    apiBaseURL: .init(string: "https://slack.com/api")!
                )
        )
        #expect(endpoint.mode == .async)
    }

    @Test func readsMattermostEndpointsInBothModes() throws {
        let async = try endpoint(ConfigFixture.mattermostEndpoint.setting("serverURL", to: "https://chat.example.com/"))
        #expect(
            async.kind
                == .mattermost(
                    token: Secret("mm-token"),
                    reply: .async(serverURL: .init(string: "https://chat.example.com")!, botToken: Secret("mm-bot"))
                )
        )
        let sync = try endpoint(["path": "/mm", "kind": "mattermost", "mode": "sync", "token": "t"])
        #expect(sync.kind == .mattermost(token: Secret("t"), reply: .sync))
        #expect(sync.mode == .sync)
    }

    @Test(
        arguments: [
            (
                ConfigFixture.genericEndpoint.setting("path", to: "hooks"),
                #"webhooks.endpoints[0].path: "hooks" must start with /"#
            ),
            (
                ConfigFixture.genericEndpoint.setting("path", to: "/a b"),
                #"webhooks.endpoints[0].path: "/a b" must not contain spaces, ? or #"#
            ),
            (
                ConfigFixture.genericEndpoint.setting("path", to: "/a?b"),
                #"webhooks.endpoints[0].path: "/a?b" must not contain spaces, ? or #"#
            ),
            (
                ConfigFixture.genericEndpoint.setting("path", to: "/r/hook"),
                #"webhooks.endpoints[0].path: "/r/hook" is under /r/, where full-reply pages are served"#
                    + " (choose another path, e.g. /hooks/...)"
            ),
            (
                ConfigFixture.genericEndpoint.setting("path", to: nil),
                "webhooks.endpoints[0].path: required key is missing"
            ),
            (
                ConfigFixture.genericEndpoint.setting("kind", to: nil),
                "webhooks.endpoints[0].kind: required key is missing"
            ),
            (
                ConfigFixture.genericEndpoint.setting("kind", to: "slak"),
                #"webhooks.endpoints[0].kind: "slak" is not one of generic, slack, mattermost (did you mean "slack"?)"#
            ),
            (
                ConfigFixture.genericEndpoint.setting("mode", to: "later"),
                #"webhooks.endpoints[0].mode: "later" is not one of async, sync"#
            ),
            (
                ConfigFixture.genericEndpoint.setting("gizmoId", to: "x"),
                #"webhooks.endpoints[0].gizmoId: "x" is not a GPT id"# + ConfigFixture.gizmoHint
            ),
            (
                ConfigFixture.genericEndpoint.setting("rateLimit", to: ["requests": 0]),
                "webhooks.endpoints[0].rateLimit.requests: must be 1-100000, not 0"
            ),
            (
                ConfigFixture.genericEndpoint.setting("rateLimit", to: ["perSeconds": -1]),
                "webhooks.endpoints[0].rateLimit.perSeconds: must be greater than 0, not -1"
            ),
            (
                ConfigFixture.genericEndpoint.setting("secret", to: nil),
                "webhooks.endpoints[0].secret: required key is missing"
            ),
            (
                ConfigFixture.genericEndpoint.setting("replyURL", to: nil),
                "webhooks.endpoints[0].replyURL: required key is missing"
            ),
            (
                ConfigFixture.genericEndpoint.setting("replyURL", to: "tools.example.com"),
                #"webhooks.endpoints[0].replyURL: "tools.example.com" is not an http or https URL"#
                    + ConfigFixture.urlHint
            ),
            (
                ConfigFixture.genericEndpoint.setting("mode", to: "sync"),
                #"webhooks.endpoints[0].replyURL: only used when mode is "async""#
            ),
            (
                ConfigFixture.genericEndpoint.setting("botToken", to: "b"),
                #"webhooks.endpoints[0].botToken: not used by kind "generic""#
            ),
            (
                ConfigFixture.genericEndpoint.setting("secert", to: "b"),
                #"webhooks.endpoints[0].secert: unknown key (did you mean "secret"?)"#
            ),
            (
                ConfigFixture.slackEndpoint.setting("signingSecret", to: nil),
                "webhooks.endpoints[0].signingSecret: required key is missing"
            ),
            (
                ConfigFixture.slackEndpoint.setting("botToken", to: nil),
                "webhooks.endpoints[0].botToken: required key is missing"
            ),
            (
                ConfigFixture.slackEndpoint.setting("apiBaseURL", to: "slack.com"),
                #"webhooks.endpoints[0].apiBaseURL: "slack.com" is not an http or https URL"# + ConfigFixture.urlHint
            ),
            (
                ConfigFixture.slackEndpoint.setting("replyURL", to: "https://x.example.com"),
                #"webhooks.endpoints[0].replyURL: not used by kind "slack""#
            ),
            (
                ConfigFixture.slackEndpoint.setting("mode", to: "sync"),
                #"webhooks.endpoints[0].mode: slack endpoints only support "async" (Slack wants an acknowledgement within 3 seconds; replies are posted with chat.postMessage)"#
            ),
            (
                ConfigFixture.mattermostEndpoint.setting("token", to: nil),
                "webhooks.endpoints[0].token: required key is missing"
            ),
            (
                ConfigFixture.mattermostEndpoint.setting("serverURL", to: nil),
                "webhooks.endpoints[0].serverURL: required key is missing"
            ),
            (
                ConfigFixture.mattermostEndpoint.setting("botToken", to: nil),
                "webhooks.endpoints[0].botToken: required key is missing"
            ),
            (
                ConfigFixture.mattermostEndpoint.setting("signingSecret", to: "s"),
                #"webhooks.endpoints[0].signingSecret: not used by kind "mattermost""#
            ),
        ] as [(JSONValue, String)]
    )
    func rejectsInvalidEndpoints(endpoint: JSONValue, problem: String) {
        #expect(ConfigFixture.endpointProblems(endpoint) == [problem])
    }

    @Test func mattermostSyncReportsEveryAsyncOnlyKey() {
        #expect(
            ConfigFixture.endpointProblems(ConfigFixture.mattermostEndpoint.setting("mode", to: "sync")) == [
                #"webhooks.endpoints[0].botToken: only used when mode is "async""#,
                #"webhooks.endpoints[0].serverURL: only used when mode is "async""#,
            ]
        )
    }

    @Test func genericSecretMustBeStandardWebhooksFormat() {
        for secret: JSONValue in ["MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "whsec_", "whsec_not base64!"] {
            #expect(
                ConfigFixture.endpointProblems(ConfigFixture.genericEndpoint.setting("secret", to: secret)) == [
                    "webhooks.endpoints[0].secret: must be whsec_ followed by base64 (Standard Webhooks secrets are "
                        + "whsec_ plus the base64 of random bytes that the sender also holds; generate one with: "
                        + "echo whsec_$(openssl rand -base64 32))"
                ]
            )
        }
    }

    @Test func unknownKindLeavesKindKeysAlone() {
        #expect(
            ConfigFixture.endpointProblems(["path": "/x", "kind": "teams", "secret": "s", "token": "t", "colour": 1])
                == [
                    #"webhooks.endpoints[0].kind: "teams" is not one of generic, slack, mattermost"#,
                    "webhooks.endpoints[0].colour: unknown key",
                ]
        )
    }

    /// HTTP clients percent-encode these characters (a raw non-ASCII byte in the request line gets 400 from the
    /// server), and requests are matched against the path exactly as configured: `check-config` said OK, and every
    /// request to `/hooks/%C3%A9quipe` got 404 `not_found`, so the endpoint could never be reached.
    @Test(arguments: ["/hooks/équipe", "/hooks/café"])
    func aPathNoClientCanSendIsRefused(path: String) {
        let document = ConfigFixture.document(
            networks: nil,
            endpoints: [ConfigFixture.genericEndpoint.setting("path", to: .string(path))]
        )
        let problems = ConfigFixture.problems(document)
        #expect(problems.contains { $0.hasPrefix("webhooks.endpoints[0].path: ") }, "\(problems)")
    }

    @Test func endpointPathsAreUnique() {
        let document = ConfigFixture.document(
            networks: nil,
            endpoints: [ConfigFixture.genericEndpoint, ConfigFixture.slackEndpoint.setting("path", to: "/hooks/team")]
        )
        #expect(
            ConfigFixture.problems(document)
                == [#"webhooks.endpoints[1].path: "/hooks/team" is listed twice (first at webhooks.endpoints[0].path)"#]
        )
    }
}
