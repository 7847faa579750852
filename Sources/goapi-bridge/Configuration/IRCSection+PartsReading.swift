extension BridgeConfiguration.IRCSection.Channel {
    /// Reads one entry of `channels`.
    init?(reading object: ConfigObject) {
        let name = object.requiredString("name", as: .ircChannel)
        let key = object.secret("key", as: .ircChannelKey)
        let gizmoId = object.string("gizmoId", as: .gizmoId)
        let model = object.string("model", as: .word)
        object.finish()
        guard let name else { return nil }
        self.init(name: name, key: key, gizmoId: gizmoId, model: model)
    }
}

extension BridgeConfiguration.IRCSection.ClientCertificate {
    /// Reads `clientCertFile` and `clientKeyFile` from a network; one without the other is reported, since a
    /// certificate is useless without its key.
    init?(reading network: ConfigObject) {
        let hasCertificate = network.contains("clientCertFile")
        let hasKey = network.contains("clientKeyFile")
        let certificateFile = network.string("clientCertFile", as: .readableFile)
        let keyFile = network.string("clientKeyFile", as: .readableFile)
        if hasCertificate != hasKey {
            let (missing, present) =
                hasCertificate ? ("clientKeyFile", "clientCertFile") : ("clientCertFile", "clientKeyFile")
            network.report(missing, ConfigViolation("required when \(present) is set"))
        }
        guard let certificateFile, let keyFile else { return nil }
        self.init(certificateFile: certificateFile, keyFile: keyFile)
    }
}

extension BridgeConfiguration.IRCSection.SASL {
    /// The mechanisms the bridge implements.
    enum Mechanism: String, CaseIterable {
        /// Account name and password.
        case plain = "PLAIN"
        /// TLS client certificate.
        case external = "EXTERNAL"
    }

    /// Reads a network's `sasl`; EXTERNAL needs the network's client certificate.
    init?(reading object: ConfigObject, hasClientCertificate: Bool) {
        let mechanism = object.choice("mechanism", required: true, as: Mechanism.self)
        switch mechanism {
        case .plain:
            // Control characters (a NUL above all) would corrupt the PLAIN payload, which separates its fields with NUL.
            let username = object.requiredString("username", as: .ircText)
            let password = object.requiredSecret("password", as: .password)
            object.finish()
            guard let username, let password else { return nil }
            self = .plain(username: username, password: password)
        case .external:
            if !hasClientCertificate {
                object.report(
                    "mechanism",
                    ConfigViolation("EXTERNAL needs clientCertFile and clientKeyFile on the network")
                )
            }
            object.finish {
                ["username", "password"].contains($0) ? ConfigViolation("not used by mechanism EXTERNAL") : nil
            }
            self = .external
        case nil:
            object.accept("username")
            object.accept("password")
            object.finish()
            return nil
        }
    }
}

extension BridgeConfiguration.IRCSection.Flood {
    /// Reads a network's `flood`; every key has a default.
    init(reading object: ConfigObject) {
        let burst = object.integer("burst", default: 4, in: 1...100)
        let interval = object.seconds("intervalSeconds", default: 2)
        object.finish()
        self.init(burst: burst, interval: interval)
    }
}

extension String {
    /// The RFC 1459 case folding servers apply by default: ASCII lowercase plus `[]\~` as `{}|^`, so
    /// `#Ops` and `#ops` are one channel.
    var rfc1459CaseFolded: String {
        let folds: [Character: Character] = ["[": "{", "]": "}", "\\": "|", "~": "^"]
        return String(map { folds[$0] ?? ($0.isASCII ? Character($0.lowercased()) : $0) })
    }
}
