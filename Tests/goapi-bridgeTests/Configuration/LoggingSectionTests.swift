import Logging
import Testing

@testable import goapi_bridge

@Suite struct LoggingSectionTests {
    private func load(
        _ logging: JSONValue?,
        environment: [String: String] = [:]
    ) throws -> BridgeConfiguration.LoggingSection {
        let extra: [String: JSONValue] = logging.map { ["logging": $0] } ?? [:]
        return try ConfigFixture.load(ConfigFixture.document(extra: extra), environment: environment).logging
    }

    @Test func readsLevelAndFormat() throws {
        #expect(try load(["level": "debug", "format": "json"]) == .init(level: .debug, format: .json))
    }

    @Test func logLevelVariableOverridesTheFile() throws {
        #expect(try load(["level": "debug"], environment: ["LOG_LEVEL": "trace"]).level == .trace)
        #expect(try load(nil, environment: ["LOG_LEVEL": "error"]).level == .error)
    }

    @Test func emptyLogLevelVariableIsIgnored() throws {
        #expect(try load(["level": "warning"], environment: ["LOG_LEVEL": ""]).level == .warning)
    }

    @Test func invalidLogLevelVariableIsReported() {
        #expect(
            ConfigFixture.problems(ConfigFixture.document(), environment: ["LOG_LEVEL": "loud"]) == [
                #"logging.level: environment variable LOG_LEVEL is "loud", not a log level "#
                    + "(use one of trace, debug, info, notice, warning, error, critical)"
            ]
        )
    }

    @Test func invalidFormatIsReported() {
        #expect(
            ConfigFixture.problems(ConfigFixture.document(extra: ["logging": ["format": "text"]]))
                == [#"logging.format: "text" is not one of logfmt, json"#]
        )
    }
}
