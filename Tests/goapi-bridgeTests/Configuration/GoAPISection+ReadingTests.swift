import Foundation
import Testing

@testable import goapi_bridge

@Suite struct GoAPISectionReadingTests {
    private func load(
        _ patch: [String: JSONValue],
        environment: [String: String] = [:]
    ) throws -> BridgeConfiguration.GoAPISection {
        try ConfigFixture.load(
            ConfigFixture.document(goapi: ConfigFixture.goapi.merging(patch)),
            environment: environment
        ).goapi
    }

    private func problems(_ patch: [String: JSONValue], environment: [String: String] = [:]) -> [String] {
        ConfigFixture.problems(
            ConfigFixture.document(goapi: ConfigFixture.goapi.merging(patch)),
            environment: environment
        )
    }

    @Test func goapiSectionIsRequired() {
        let document = ConfigFixture.document().merging(["goapi": nil])
        #expect(ConfigFixture.problems(document) == ["goapi: required key is missing"])
    }

    @Test func stripsTrailingSlashesFromTheBaseURL() throws {
        #expect(
            try load(["baseURL": "http://localhost:8080/goapi//"]).baseURL.absoluteString
                == "http://localhost:8080/goapi"
        )
    }

    @Test func readsEveryKey() throws {
        let goapi = try load([
            "model": "gpt-4o-mini", "gizmoId": "g-3w1rEXGE0", "gizmoModel": "gpt-4-gizmo", "replyTimeoutSeconds": 90,
            "connectTimeoutSeconds": 2.5, "idleTimeoutSeconds": 30, "maxConcurrentRequests": 256,
            "retry": ["maxAttempts": 10, "initialBackoffSeconds": 0, "maxBackoffSeconds": 1],
        ])
        #expect(goapi.model == "gpt-4o-mini")
        #expect(goapi.gizmoId == "g-3w1rEXGE0")
        #expect(goapi.gizmoModel == "gpt-4-gizmo")
        #expect(goapi.replyTimeout == .seconds(90))
        #expect(goapi.connectTimeout == .milliseconds(2500))
        #expect(goapi.idleTimeout == .seconds(30))
        #expect(goapi.maxConcurrentRequests == 256)
        #expect(goapi.retry == .init(maxAttempts: 10, initialBackoff: .zero, maxBackoff: .seconds(1)))
    }

    @Test(
        arguments: [
            (
                ["baseURL": "ftp://api.goapi.ai"],
                #"goapi.baseURL: "ftp://api.goapi.ai" is not an http or https URL"# + ConfigFixture.urlHint
            ),
            (
                ["baseURL": "https://"],
                #"goapi.baseURL: "https://" is not an http or https URL"# + ConfigFixture.urlHint
            ),
            (
                ["baseURL": "https://api.goapi.ai/?x=1"],
                #"goapi.baseURL: "https://api.goapi.ai/?…" must not have a query or fragment"#
            ),
            (
                ["baseURL": "https://api.goapi.ai:99999"],
                #"goapi.baseURL: "https://api.goapi.ai:99999" has port 99999, which is not between 1 and 65535"#
            ),
            (
                ["baseURL": "https://api.goapi.ai:0/"],
                #"goapi.baseURL: "https://api.goapi.ai:0/" has port 0, which is not between 1 and 65535"#
            ),
            (
                ["baseURL": "https://user:pw@api.goapi.ai"],
                "goapi.baseURL: must not contain a user name or password (credentials belong in their own keys)"
            ),
            (["model": "gpt 4o"], #"goapi.model: "gpt 4o" must not contain spaces"#),
            (
                ["model": "gpt\u{0}4o"],
                #"goapi.model: "gpt\u00004o" must not contain control or invisible formatting characters"#
            ),
            (
                ["model": "gpt-4o\u{202E}"],
                #"goapi.model: "gpt-4o\u202E" must not contain control or invisible formatting characters"#
            ),
            (["gizmoModel": ""], "goapi.gizmoModel: must not be empty"),
            (
                ["gizmoId": "g-abc-my-gpt"],
                #"goapi.gizmoId: "g-abc-my-gpt" is not a GPT id"# + ConfigFixture.gizmoHint
            ),
            (["replyTimeoutSeconds": 0], "goapi.replyTimeoutSeconds: must be greater than 0, not 0"),
            (["connectTimeoutSeconds": -1], "goapi.connectTimeoutSeconds: must be greater than 0, not -1"),
            (["maxConcurrentRequests": 257], "goapi.maxConcurrentRequests: must be 1-256, not 257"),
            (["retry": ["maxAttempts": 0]], "goapi.retry.maxAttempts: must be 1-10, not 0"),
            (["retry": ["maxAttempts": 11]], "goapi.retry.maxAttempts: must be 1-10, not 11"),
            (
                ["retry": ["initialBackoffSeconds": -0.5]],
                "goapi.retry.initialBackoffSeconds: must be 0 or more, not -0.5"
            ),
            (
                ["retry": ["initialBackoffSeconds": 10]],
                "goapi.retry.maxBackoffSeconds: must be at least initialBackoffSeconds (10), not 8"
            ),
            (
                ["retry": ["maxBackofSeconds": 10]],
                #"goapi.retry.maxBackofSeconds: unknown key (did you mean "maxBackoffSeconds"?)"#
            ),
        ] as [([String: JSONValue], String)]
    )
    func rejectsInvalidValues(patch: [String: JSONValue], problem: String) {
        #expect(problems(patch) == [problem])
    }

    @Test func invalidBackoffIsNotComparedAgainstTheOther() {
        #expect(
            problems(["retry": ["maxBackoffSeconds": -1]]) == [
                "goapi.retry.maxBackoffSeconds: must be greater than 0, not -1"
            ]
        )
    }

    @Test func baseURLMayListSeveralDomainsPreferredFirst() throws {
        let goapi = try load(["baseURL": ["https://api.goapi.ai/", "https://api.goapi.xyz"]])
        #expect(goapi.baseURL.absoluteString == "https://api.goapi.ai")
        #expect(goapi.alternateBaseURLs.map(\.absoluteString) == ["https://api.goapi.xyz"])
        #expect(try load(["baseURL": "https://api.goapi.xyz"]).alternateBaseURLs.isEmpty)
        #expect(problems(["baseURL": []]) == ["goapi.baseURL: must name at least one URL"])
        #expect(
            problems(["baseURL": ["https://a.example", "ftp://b.example", "https://a.example"]]) == [
                #"goapi.baseURL[1]: "ftp://b.example" is not an http or https URL"# + ConfigFixture.urlHint,
                #"goapi.baseURL[2]: "https://a.example" is listed twice"#,
            ]
        )
    }

    @Test func fallbackReadsItsBreakerContextAndNotice() throws {
        let fallback = try #require(
            try load([
                "fallback": [
                    "apiKey": "backup", "notice": "", "failureThreshold": 5, "probeAfterSeconds": 10,
                    "contextTurns": 4, "contextCharacters": 2_000, "contextRetentionSeconds": 3_600,
                ]
            ]).fallback
        )
        #expect(fallback.notice == "")
        #expect(fallback.failureThreshold == 5)
        #expect(fallback.probeAfter == .seconds(10))
        #expect(fallback.contextTurns == 4)
        #expect(fallback.contextCharacters == 2_000)
        #expect(fallback.contextRetention == .seconds(3_600))
        #expect(
            problems(["fallback": ["apiKey": "b", "failureThreshold": 0, "notice": "two\nlines"]]).sorted() == [
                "goapi.fallback.failureThreshold: must be 1-100, not 0",
                "goapi.fallback.notice: must be a single line",
            ]
        )
    }

    @Test func fallbackGetsDefaults() throws {
        let fallback = try #require(try load(["fallback": ["apiKey": "backup"]]).fallback)
        #expect(fallback.baseURL.absoluteString == "https://api.goapi.ai")
        #expect(fallback.apiKey.exposedValue == "backup")
        #expect(fallback.model == "gpt-4o-mini")
        #expect(fallback.notice == "(answered by the backup model)")
        #expect(fallback.failureThreshold == 3)
        #expect(fallback.probeAfter == .seconds(60))
        #expect(fallback.contextTurns == 20)
        #expect(fallback.contextCharacters == 12_000)
        #expect(fallback.contextRetention == .seconds(7 * 86_400))
    }

    @Test func enabledFallbackNeedsAnAPIKey() {
        #expect(problems(["fallback": ["model": "gpt-4o-mini"]]) == ["goapi.fallback.apiKey: required key is missing"])
    }

    @Test func disabledFallbackIsValidatedButItsKeyIsNotResolved() throws {
        let disabled: JSONValue = ["enabled": false, "apiKey": "env:UNSET_FALLBACK_KEY", "model": "gpt-4o-mini"]
        #expect(try load(["fallback": disabled]).fallback == nil)
        #expect(
            problems(["fallback": disabled.merging(["baseURL": "nope", "modle": "x"])]) == [
                #"goapi.fallback.baseURL: "nope" is not an http or https URL"# + ConfigFixture.urlHint,
                #"goapi.fallback.modle: unknown key (did you mean "model"?)"#,
            ]
        )
    }
}
