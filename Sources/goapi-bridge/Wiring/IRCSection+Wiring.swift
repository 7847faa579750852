import Bridge
import IRC

extension BridgeConfiguration.IRCSection.Network {
    /// The IRC module's connection settings for this network.
    var clientConfiguration: IRCClientConfiguration {
        let sasl: IRCClientConfiguration.SASL? =
            switch self.sasl {
            case .plain(let username, let password): .plain(username: username, password: password.exposedValue)
            case .external: .external
            case nil: nil
            }
        return IRCClientConfiguration(
            name: self.name,
            host: self.host,
            port: self.port,
            tls: IRCClientConfiguration.TLS(
                enabled: self.tls,
                verify: self.tlsVerify,
                caFile: self.caFile,
                clientCertificateFile: self.clientCertificate?.certificateFile,
                clientKeyFile: self.clientCertificate?.keyFile
            ),
            password: self.password?.exposedValue,
            nick: self.nick,
            altNicks: self.altNicks,
            username: self.username,
            realname: self.realname,
            sasl: sasl,
            channels: self.channels.map { IRCClientConfiguration.Channel(name: $0.name, key: $0.key?.exposedValue) },
            quitMessage: self.quitMessage,
            versionReply: "goapi-bridge \(BridgeVersion.current)",
            ignoreMasks: self.ignore.map(IRCMask.init)
        )
    }

    /// The bridge's behaviour on this network.
    var bridgeConfiguration: IRCBridgeConfiguration {
        IRCBridgeConfiguration(
            network: self.name,
            commandPrefix: self.commandPrefix,
            adminMasks: self.admins,
            ignoreMasks: self.ignore,
            maxLinesPerReply: self.maxLinesPerReply,
            replyTTL: self.replyTTL,
            queueLimit: self.queueLimit,
            userRateQuestions: self.userRateLimit.count,
            userRatePeriod: self.userRateLimit.period,
            channels: Dictionary(
                self.channels.map {
                    ($0.name, IRCBridgeConfiguration.ChannelProfile(gizmoID: $0.gizmoId, model: $0.model))
                },
                uniquingKeysWith: { first, _ in first }
            )
        )
    }
}
