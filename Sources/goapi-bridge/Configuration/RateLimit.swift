extension BridgeConfiguration {
    /// At most `count` events per `period`, per user (IRC) or per endpoint (webhooks).
    struct RateLimit: Equatable, Sendable {
        /// Events allowed in one period.
        var count: Int
        /// The window the count applies to.
        var period: Duration
    }
}

extension BridgeConfiguration.RateLimit {
    /// Reads a `{ <countKey>, perSeconds }` object; the count key names what is limited (`questions`,
    /// `requests`) so the file reads naturally.
    init(reading object: ConfigObject, countKey: String, defaultCount: Int, defaultSeconds: Double) {
        let count = object.integer(countKey, default: defaultCount, in: 1...100_000)
        let period = object.seconds("perSeconds", default: defaultSeconds)
        object.finish()
        self.init(count: count, period: period)
    }
}
