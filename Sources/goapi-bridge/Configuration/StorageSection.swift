extension BridgeConfiguration {
    /// The `storage` section.
    struct StorageSection: Equatable, Sendable {
        /// The SQLite database file, relative to the working directory unless absolute.
        var sqlitePath: String
        /// How long webhook delivery ids are remembered to answer repeats without a second GoAPI call.
        var deliveryIdRetention: Duration
    }
}

extension BridgeConfiguration.StorageSection {
    /// Signed requests are accepted with timestamps up to five minutes either side of the clock, so a signature seen
    /// now can stay valid for ten: a delivery id forgotten sooner could be replayed.
    static let minimumDeliveryIdRetention = Duration.seconds(600)

    /// Reads `storage`; every key has a default.
    init(reading object: ConfigObject) {
        let sqlitePath = object.string("sqlitePath", as: .nonEmpty, default: "goapi-bridge.sqlite")
        let retention = object.seconds("deliveryIdRetentionSeconds", default: 86_400)
        if retention < Self.minimumDeliveryIdRetention {
            object.report(
                "deliveryIdRetentionSeconds",
                ConfigViolation(
                    "must be at least 600, not \(retention.inSeconds.jsonDescription)",
                    hint: "signed webhooks are accepted with timestamps up to 5 minutes either side of now, so a "
                        + "signature can stay valid for 10 minutes after it arrives"
                )
            )
        }
        object.finish()
        self.init(sqlitePath: sqlitePath, deliveryIdRetention: retention)
    }
}
