import ArgumentParser
import Foundation

/// `goapi-bridge run`: runs the service until SIGTERM or SIGINT.
struct RunCommand: AsyncParsableCommand {
    /// Name and help text.
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run the bridge until SIGTERM or SIGINT."
    )

    /// The configuration file to run with.
    @OptionGroup var options: ConfigOptions

    /// Refuses to start on any configuration problem (printed as `check-config` would), then runs the
    /// application.
    func run() async throws {
        let configuration = try options.loadOrExit()
        do {
            try await BridgeApplication(configuration: configuration).run()
        } catch let error as StartupError {
            FileHandle.standardError.write(Data("goapi-bridge: \(error.message)\n".utf8))
            throw ExitCode(1)
        }
    }
}
