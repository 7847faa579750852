import ArgumentParser
import Testing

@testable import goapi_bridge

@Suite struct GoAPIBridgeCommandTests {
    @Test func checkConfigTakesAConfigPath() throws {
        let command = try GoAPIBridgeCommand.parseAsRoot(["check-config", "--config", "x"])
        #expect((command as? CheckConfigCommand)?.options.config == "x")
    }

    @Test func runDefaultsToConfigJSONInTheWorkingDirectory() throws {
        let command = try GoAPIBridgeCommand.parseAsRoot(["run"])
        #expect((command as? RunCommand)?.options.config == "./config.json")
    }

    @Test func rejectsUnknownOptions() {
        #expect(throws: (any Error).self) { try GoAPIBridgeCommand.parseAsRoot(["run", "--confg", "x"]) }
    }

    @Test func reportsTheVersion() {
        #expect(GoAPIBridgeCommand.configuration.version == BridgeVersion.current)
        #expect(BridgeVersion.current == "0.1.0")
    }

    @Test func helpListsBothSubcommands() {
        let help = GoAPIBridgeCommand.helpMessage()
        #expect(help.contains("run") && help.contains("check-config"))
        #expect(GoAPIBridgeCommand.helpMessage(for: CheckConfigCommand.self).contains("--config <config>"))
    }

    @Test func checkConfigExitsWithStatusOneOnProblems() async throws {
        let command = try #require(
            try GoAPIBridgeCommand.parseAsRoot(["check-config", "--config", "/nonexistent/config.json"])
                as? CheckConfigCommand
        )
        await #expect(throws: ExitCode(1)) { try await command.run() }
    }

    @Test func runRefusesToStartOnProblems() async throws {
        let command = try #require(
            try GoAPIBridgeCommand.parseAsRoot(["run", "--config", "/nonexistent/config.json"]) as? RunCommand
        )
        await #expect(throws: ExitCode(1)) { try await command.run() }
    }

    @Test func noSubcommandIsAUsageErrorNotHelp() async throws {
        let command = try GoAPIBridgeCommand.parseAsRoot([])
        let root = try #require(command as? GoAPIBridgeCommand)
        let error = await #expect(throws: ValidationError.self) { try await root.run() }
        #expect(GoAPIBridgeCommand.exitCode(for: try #require(error)) == .validationFailure)
    }
}
