import Testing

@testable import goapi_bridge

@Suite struct ConfigObjectScalarsTests {
    private func goapiProblems(_ patch: [String: JSONValue]) -> [String] {
        ConfigFixture.problems(ConfigFixture.document(goapi: ConfigFixture.goapi.merging(patch)))
    }

    @Test(
        arguments: [
            ("model", 5, "goapi.model: expected a string, found a number"),
            ("maxConcurrentRequests", "4", "goapi.maxConcurrentRequests: expected a number, found a string"),
            ("replyTimeoutSeconds", true, "goapi.replyTimeoutSeconds: expected a number of seconds, found a boolean"),
            ("retry", [], "goapi.retry: expected an object, found an array"),
            ("apiKey", ["env": "X"], "goapi.apiKey: expected a string, found an object"),
        ] as [(String, JSONValue, String)]
    )
    func wrongTypesNameTheExpectedType(key: String, value: JSONValue, problem: String) {
        #expect(goapiProblems([key: value]) == [problem])
    }

    @Test func wrongTypeInsideAnArrayNamesTheElement() {
        #expect(
            ConfigFixture.networkProblems(["altNicks": ["ok", 5]])
                == ["irc.networks[0].altNicks[1]: expected a string, found a number"]
        )
        #expect(
            ConfigFixture.networkProblems(["channels": ["#general"]])
                == ["irc.networks[0].channels[0]: expected an object, found a string"]
        )
    }

    @Test func nullMeansTheDefault() throws {
        let configuration = try ConfigFixture.load(
            ConfigFixture.document(goapi: ConfigFixture.goapi.merging(["model": nil, "retry": nil]))
        )
        #expect(configuration.goapi.model == "gpt-4o")
        #expect(configuration.goapi.retry.maxAttempts == 3)
    }

    @Test func integersMustBeWhole() {
        #expect(
            goapiProblems(["maxConcurrentRequests": 2.5]) == [
                "goapi.maxConcurrentRequests: expected a whole number, found 2.5"
            ]
        )
    }

    @Test func durationsMayBeFractional() throws {
        let network = ConfigFixture.network.setting("flood", to: ["intervalSeconds": 0.5])
        let configuration = try ConfigFixture.load(ConfigFixture.document(networks: [network]))
        #expect(configuration.irc?.networks.first?.flood.interval == .milliseconds(500))
    }

    @Test func durationsAreCappedAtOneYear() {
        #expect(
            goapiProblems(["idleTimeoutSeconds": 1e300]) == [
                "goapi.idleTimeoutSeconds: must be at most 31536000 (one year)"
            ]
        )
    }

    /// Greater than 0, yet a zero duration once read: a rate limit per zero seconds would limit nothing.
    @Test func durationsThatMustNotBeZeroAreAtLeastAMillisecond() {
        #expect(
            goapiProblems(["idleTimeoutSeconds": 1e-300]) == [
                "goapi.idleTimeoutSeconds: must be at least 0.001 (one millisecond), not 1e-300"
            ]
        )
        let endpoint = ConfigFixture.genericEndpoint.setting("rateLimit", to: ["requests": 5, "perSeconds": 1e-12])
        #expect(
            ConfigFixture.endpointProblems(endpoint) == [
                "webhooks.endpoints[0].rateLimit.perSeconds: must be at least 0.001 (one millisecond), not 1e-12"
            ]
        )
    }

    @Test func unknownKeySuggestsTheClosestKnownKey() {
        #expect(goapiProblems(["modle": "gpt-4o"]) == [#"goapi.modle: unknown key (did you mean "model"?)"#])
    }

    @Test func unknownKeyWithNothingCloseHasNoHint() {
        #expect(goapiProblems(["temperature": 1]) == ["goapi.temperature: unknown key"])
    }

    @Test func misspeltChoiceSuggestsTheClosestWord() {
        let document = ConfigFixture.document(extra: ["logging": ["format": "jsno"]])
        #expect(
            ConfigFixture.problems(document) == [
                #"logging.format: "jsno" is not one of logfmt, json (did you mean "json"?)"#
            ]
        )
    }
}
