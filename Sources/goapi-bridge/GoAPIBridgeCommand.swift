import ArgumentParser

/// The `goapi-bridge` executable: puts GoAPI's ChatGPT conversations into IRC and team webhooks.
struct GoAPIBridgeCommand: AsyncParsableCommand {
    /// The subcommands and the `--version` text.
    static let configuration = CommandConfiguration(
        commandName: "goapi-bridge",
        abstract: "Bridge GoAPI's ChatGPT / GPTs conversations into IRC channels and team webhooks.",
        version: BridgeVersion.current,
        subcommands: [RunCommand.self, CheckConfigCommand.self]
    )

    /// No subcommand is an error, not a request for help: a unit file or container whose command lost its `run`
    /// would otherwise print the help, exit 0, and look to systemd like a service that finished.
    func run() async throws {
        throw ValidationError("name a subcommand: run or check-config (see --help)")
    }
}
