extension Duration {
    /// The duration as fractional seconds, the unit the configuration file uses; for messages and for
    /// handing durations to APIs that take seconds.
    var inSeconds: Double {
        Double(components.seconds) + Double(components.attoseconds) / 1e18
    }
}
