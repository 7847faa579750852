extension BridgeConfiguration {
    /// The `shutdown` section: how long a graceful shutdown may take.
    struct ShutdownSection: Equatable, Sendable {
        /// After SIGTERM/SIGINT, answers in progress get this long to finish and be delivered; then the rest is
        /// cancelled (webhook questions stay in the outbox for the next start).
        var gracePeriod: Duration
    }
}

extension BridgeConfiguration.ShutdownSection {
    /// Reads `shutdown`; every key has a default.
    init(reading object: ConfigObject) {
        let gracePeriod = object.seconds("gracePeriodSeconds", default: 30)
        object.finish()
        self.init(gracePeriod: gracePeriod)
    }
}
