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
}
