extension BridgeConfiguration {
    /// Reads the whole document, reporting every problem; `nil` when a required part is unusable.
    init?(reading object: ConfigObject) {
        let goapi = object.object("goapi", required: true).flatMap(GoAPISection.init(reading:))
        let storage = StorageSection(reading: object.objectOrEmpty("storage"))
        let hasIRC = object.contains("irc")
        let irc = object.object("irc").flatMap(IRCSection.init(reading:))
        let hasWebhooks = object.contains("webhooks")
        let webhooksObject = object.object("webhooks")
        let webhooks = webhooksObject.flatMap(WebhooksSection.init(reading:))
        let admin = AdminSection(reading: object.objectOrEmpty("admin"))
        let logging = LoggingSection(reading: object.objectOrEmpty("logging"))
        let shutdown = ShutdownSection(reading: object.objectOrEmpty("shutdown"))
        object.finish()
        if !hasIRC, !hasWebhooks || webhooks?.endpoints.isEmpty == true {
            object.reader.report(
                ConfigViolation("nothing to do: configure irc.networks or webhooks.endpoints"),
                at: object.path
            )
        }
        // Compared even when another webhooks key is wrong, so `check-config` names this problem in the same run.
        let webhooksListen = webhooks?.listen ?? webhooksObject.flatMap(Self.listenAddress(in:))
        if let webhooksListen, admin.listen.conflicts(with: webhooksListen) {
            object.reader.report(
                ConfigViolation("\(admin.listen) is also webhooks.listen", hint: "the admin server needs its own port"),
                at: object.path.appending("admin").appending("listen")
            )
        }
        guard let goapi else { return nil }
        self.init(
            goapi: goapi,
            storage: storage,
            irc: irc,
            webhooks: webhooks,
            admin: admin,
            logging: logging,
            shutdown: shutdown
        )
    }
}

extension BridgeConfiguration {
    /// A section's `listen` when it is a valid address; its problems, if any, were reported when it was read.
    fileprivate static func listenAddress(in section: ConfigObject) -> ListenAddress? {
        guard case .string(let text) = section.value("listen") else { return nil }
        return try? ListenAddress(parsing: text)
    }
}

extension ListenAddress {
    /// Whether two servers could not both bind: same port (other than "any free port") and the same host under
    /// any spelling (`LOCALHOST`, `localhost` against a loopback address), or either one listening on every
    /// address.
    fileprivate func conflicts(with other: ListenAddress) -> Bool {
        let wildcards: Set = ["0.0.0.0", "::"]
        let loopback: Set = ["127.0.0.1", "::1", "localhost"]
        let (one, two) = (host.lowercased(), other.host.lowercased())
        return port != 0 && port == other.port
            && (one == two || wildcards.contains(one) || wildcards.contains(two)
                || ((one == "localhost" || two == "localhost") && loopback.contains(one) && loopback.contains(two)))
    }
}
