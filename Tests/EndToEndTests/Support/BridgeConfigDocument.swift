import Foundation

/// A configuration file a test runs the binary with: ``BridgeConfigFile`` for IRC, ``WebhookBridgeConfigFile``
/// for webhook-only runs.
protocol BridgeConfigDocument: Sendable {
    /// The file's content.
    func json() throws -> Data
}
