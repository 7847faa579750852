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
    /// Webhook signatures are accepted for five minutes, so a delivery id forgotten sooner could be replayed.
    static let minimumDeliveryIdRetention = Duration.seconds(300)

    /// Reads `storage`; every key has a default.
    init(reading object: ConfigObject) {
        let sqlitePath = object.string("sqlitePath", as: .nonEmpty, default: "goapi-bridge.sqlite")
        let retention = object.seconds("deliveryIdRetentionSeconds", default: 86_400)
        if retention < Self.minimumDeliveryIdRetention {
            object.report(
                "deliveryIdRetentionSeconds",
                ConfigViolation(
                    "must be at least 300, not \(retention.inSeconds.jsonDescription)",
                    hint:
                        "signed webhooks are accepted for 5 minutes, so their ids must be remembered at least that long"
                )
            )
        }
        object.finish()
        self.init(sqlitePath: sqlitePath, deliveryIdRetention: retention)
    }
}
