import Testing

@testable import goapi_bridge

@Suite struct ConfigProblemTests {
    @Test func printsPathMessageAndHint() {
        let problem = ConfigProblem(path: "goapi.modle", message: "unknown key", hint: #"did you mean "model"?"#)
        #expect(problem.description == #"goapi.modle: unknown key (did you mean "model"?)"#)
    }

    @Test func leavesOutAMissingHint() {
        #expect(
            ConfigProblem(path: "irc.networks[0].port", message: "must be 1-65535").description
                == "irc.networks[0].port: must be 1-65535"
        )
    }

    @Test func errorPrintsOneProblemPerLine() {
        let error = ConfigurationError(
            code: .invalidConfiguration,
            problems: [ConfigProblem(path: "a", message: "one"), ConfigProblem(path: "b", message: "two", hint: "fix")]
        )
        #expect(error.description == "a: one\nb: two (fix)")
        #expect(error.code.description == "invalidConfiguration")
    }
}
