/// The release this binary was built from, printed by `--version`.
enum BridgeVersion {
    /// Semantic version of the bridge.
    static let current = "0.1.0"
}
