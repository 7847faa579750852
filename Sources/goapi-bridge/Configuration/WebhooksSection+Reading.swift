extension BridgeConfiguration.WebhooksSection {
    /// Allowed `maxBodyBytes`: below 1 KiB even a short Slack event would be refused, and above 10 MiB a
    /// handful of requests could hold a lot of memory.
    static let bodyLimitRange = 1024...(10 * 1024 * 1024)
    /// Allowed `maxConnections`: a handful of senders already keep several connections each, and past 100,000
    /// the descriptors a process may hold (65,536 in the shipped systemd unit) run out first.
    static let connectionLimitRange = 16...100_000
    /// A week: long enough to come back to an answer, short enough that answers do not linger behind their links.
    static let defaultReplyPageTTLSeconds: Double = 7 * 24 * 60 * 60

    /// Reads `webhooks`; `nil` when a required key or an endpoint is unusable (already reported).
    init?(reading object: ConfigObject) {
        let listen = object.requiredString("listen", as: .listenAddress)
        let publicBaseURL = object.string("publicBaseURL", as: .httpBaseURL)
        let replyPageTTL = object.seconds("replyPageTTLSeconds", default: Self.defaultReplyPageTTLSeconds)
        let maxBodyBytes = object.integer("maxBodyBytes", default: 65_536, in: Self.bodyLimitRange)
        let maxConnections = object.integer("maxConnections", default: 1_024, in: Self.connectionLimitRange)
        // Two endpoints on one path would make one of them unreachable.
        let endpoints = object.readEach("endpoints", unique: "path", as: .endpointPath) { Endpoint(reading: $0) }
        let outbox = Outbox(reading: object.objectOrEmpty("outbox"))
        object.finish()
        guard let listen, let endpoints else { return nil }
        self.init(
            listen: listen,
            publicBaseURL: publicBaseURL,
            replyPageTTL: replyPageTTL,
            maxBodyBytes: maxBodyBytes,
            maxConnections: maxConnections,
            endpoints: endpoints,
            outbox: outbox
        )
    }
}

extension BridgeConfiguration.WebhooksSection.Outbox {
    /// Reads `webhooks.outbox`; every key has a default.
    init(reading object: ConfigObject) {
        let giveUpAfter = object.seconds("giveUpAfterSeconds", default: 86_400)
        let initialBackoff = object.seconds("initialBackoffSeconds", default: 1)
        let maxBackoff = object.seconds("maxBackoffSeconds", default: 600)
        object.requireOrdered("initialBackoffSeconds", initialBackoff, "maxBackoffSeconds", maxBackoff)
        object.finish()
        self.init(giveUpAfter: giveUpAfter, initialBackoff: initialBackoff, maxBackoff: maxBackoff)
    }
}
