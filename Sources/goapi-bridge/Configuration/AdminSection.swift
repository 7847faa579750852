extension BridgeConfiguration {
    /// The `admin` section: where `/healthz`, `/readyz` and `/metrics` are served.
    struct AdminSection: Equatable, Sendable {
        /// Loopback by default, because metrics and health details are not for the public.
        var listen: ListenAddress
    }
}

extension BridgeConfiguration.AdminSection {
    /// Reads `admin`; every key has a default.
    init(reading object: ConfigObject) {
        let listen = object.string("listen", as: .listenAddress, default: ListenAddress(host: "127.0.0.1", port: 9090))
        object.finish()
        self.init(listen: listen)
    }
}
