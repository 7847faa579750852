import IRC

extension BridgeConfiguration.IRCSection {
    /// Reads `irc`: a non-empty list of networks with unique names.
    init?(reading object: ConfigObject) {
        let networks = object.readEach(
            "networks",
            required: true,
            unique: "name",
            as: .networkName,
            fold: { $0.lowercased() }
        ) {
            Network(reading: $0)
        }
        object.finish()
        guard let networks else { return nil }
        guard !networks.isEmpty else {
            object.report(
                "networks",
                ConfigViolation("must not be empty", hint: "remove the irc section to run without IRC")
            )
            return nil
        }
        self.init(networks: networks)
    }
}

extension BridgeConfiguration.IRCSection.Network {
    /// Reads one entry of `irc.networks`; `nil` when a required key is unusable (already reported).
    init?(reading object: ConfigObject) {
        let name = object.requiredString("name", as: .networkName)
        let host = object.requiredString("host", as: .host)
        let tls = object.bool("tls", default: true)
        let port = object.integer("port", default: tls ? 6697 : 6667, in: 1...65535)
        let tlsVerify = object.bool("tlsVerify", default: true)
        let caFile = object.string("caFile", as: .readableFile)
        let clientCertificate = BridgeConfiguration.IRCSection.ClientCertificate(reading: object)
        if !tls {
            for key in ["caFile", "clientCertFile", "clientKeyFile"]
            where object.contains(key) && !object.rejectedKeys.contains(key) {
                object.report(key, ConfigViolation("only used when tls is true"))
            }
        } else if let problem = IRCClientConfiguration.TLS(
            caFile: caFile,
            clientCertificateFile: clientCertificate?.certificateFile,
            clientKeyFile: clientCertificate?.keyFile
        ).fileProblem {
            // Loaded now, so a file that is not PEM or a key of another certificate is a configuration error
            // rather than a failure at every connection attempt.
            object.report(problem.setting, ConfigViolation("\(problem.path.quoted) \(problem.problem)"))
        }
        let password = object.secret("password", as: .password)
        let nick = object.requiredString("nick", as: .ircNick)
        let altNicks = object.strings("altNicks", as: .ircNick)
        let username = object.string("username", as: .ircUsername)
        let realname = object.string("realname", as: .ircText, default: "goapi-bridge")
        let hasClientCertificate = object.contains("clientCertFile") && object.contains("clientKeyFile")
        let sasl = object.object("sasl").flatMap {
            BridgeConfiguration.IRCSection.SASL(reading: $0, hasClientCertificate: hasClientCertificate)
        }
        let flood = BridgeConfiguration.IRCSection.Flood(reading: object.objectOrEmpty("flood"))
        let maxLinesPerReply = object.integer("maxLinesPerReply", default: 10, in: 1...100)
        let commandPrefix = object.string("commandPrefix", as: .word, default: "!gpt")
        let admins = object.strings("admins", as: .ircMask)
        let ignore = object.strings("ignore", as: .ircMask)
        let replyTTL = object.seconds("replyTTLSeconds", default: 900)
        let queueLimit = object.integer("queueLimit", default: 5, in: 0...100)
        let userRateLimit = BridgeConfiguration.RateLimit(
            reading: object.objectOrEmpty("userRateLimit"),
            countKey: "questions",
            defaultCount: 5,
            defaultSeconds: 60
        )
        let quitMessage = object.string("quitMessage", as: .ircText, default: "goapi-bridge shutting down")
        let channels = object.readEach("channels", unique: "name", as: .ircChannel, fold: \.rfc1459CaseFolded) {
            BridgeConfiguration.IRCSection.Channel(reading: $0)
        }
        object.finish()
        guard let name, let host, let nick, let channels else { return nil }
        self.init(
            name: name,
            host: host,
            port: port,
            tls: tls,
            tlsVerify: tlsVerify,
            caFile: caFile,
            clientCertificate: clientCertificate,
            password: password,
            nick: nick,
            altNicks: altNicks,
            username: username ?? nick,
            realname: realname,
            sasl: sasl,
            flood: flood,
            maxLinesPerReply: maxLinesPerReply,
            commandPrefix: commandPrefix,
            admins: admins,
            ignore: ignore,
            replyTTL: replyTTL,
            queueLimit: queueLimit,
            userRateLimit: userRateLimit,
            quitMessage: quitMessage,
            channels: channels
        )
    }
}
