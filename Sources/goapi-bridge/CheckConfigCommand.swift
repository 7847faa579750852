import ArgumentParser

/// `goapi-bridge check-config`: validates the configuration without connecting anywhere, for CI and for
/// checking an edit before a restart.
struct CheckConfigCommand: AsyncParsableCommand {
    /// Name and help text.
    static let configuration = CommandConfiguration(
        commandName: "check-config",
        abstract: "Validate the configuration and print every problem with its JSON path."
    )

    /// The configuration file to check.
    @OptionGroup var options: ConfigOptions

    /// Prints `config OK: <summary>`, or every problem and exits with status 1.
    func run() async throws {
        let configuration = try options.loadOrExit()
        print("config OK: \(configuration.summary)")
    }
}
