import ArgumentParser
import Foundation

/// The `--config` option both subcommands take, and the loading they share so that `run` refuses exactly
/// what `check-config` reports.
struct ConfigOptions: ParsableArguments {
    /// Path of the JSON configuration file.
    @Option(name: .long, help: "Path of the JSON configuration file.")
    var config: String = "./config.json"

    /// Loads the configuration with the process environment, or prints every problem to standard error,
    /// one per line, and exits with status 1.
    func loadOrExit() throws -> BridgeConfiguration {
        do {
            return try ConfigurationLoader(environment: ProcessInfo.processInfo.environment).load(contentsOf: config)
        } catch {
            FileHandle.standardError.write(Data((error.description + "\n").utf8))
            throw ExitCode(1)
        }
    }
}
