extension IRCClientStateMachine {
    /// `CAP` subcommands: LS (maybe multi-line), ACK, NAK, NEW, DEL.
    mutating func receiveCap(_ message: IRCMessage) -> [IRCClientAction] {
        guard message.parameters.count >= 3 else { return [] }
        let caps = message.parameters.last ?? ""
        switch message.parameters[1].uppercased() {
        case "LS":
            guard let request = self.capabilities.receiveList(message.parameters) else { return [] }
            if request.isEmpty {
                return self.finishCapabilities()
            }
            return [.send(IRCMessage(command: "CAP", parameters: ["REQ", request.joined(separator: " ")]))]
        case "ACK":
            self.capabilities.receiveAck(caps)
            return self.afterCapabilityReply()
        case "NAK":
            self.capabilities.receiveNak(caps)
            return self.afterCapabilityReply()
        case "NEW":
            let fresh = self.capabilities.receiveNew(caps)
            return fresh.isEmpty
                ? [] : [.send(IRCMessage(command: "CAP", parameters: ["REQ", fresh.joined(separator: " ")]))]
        case "DEL":
            self.capabilities.receiveDel(caps)
            return []
        default:
            return []
        }
    }

    /// After ACK/NAK: start SASL if it was granted and wanted, or end negotiation.
    private mutating func afterCapabilityReply() -> [IRCClientAction] {
        guard self.phase == .registering, self.capabilities.pendingRequest.isEmpty else { return [] }
        return self.finishCapabilities()
    }

    /// Either starts SASL or sends `CAP END`. A configured SASL that cannot even start is a failure: joining
    /// unauthenticated could expose the bot's nick or break channel access rules.
    private mutating func finishCapabilities() -> [IRCClientAction] {
        guard self.phase == .registering else { return [] }
        guard self.sasl == .pending, let sasl = self.configuration.sasl else {
            return [.send(IRCMessage(command: "CAP", parameters: ["END"]))]
        }
        let mechanism = Self.mechanism(sasl)
        guard self.capabilities.enabled.contains("sasl"), self.capabilities.offersSASL(mechanism: mechanism) else {
            return self.failSASL("the server does not offer SASL \(mechanism)")
        }
        self.sasl = .inProgress
        return [.send(IRCMessage(command: "AUTHENTICATE", parameters: [mechanism]))]
    }

    private static func mechanism(_ sasl: IRCClientConfiguration.SASL) -> String {
        switch sasl {
        case .plain: "PLAIN"
        case .external: "EXTERNAL"
        }
    }

    /// `AUTHENTICATE +`: the server is ready for our credential.
    mutating func receiveAuthenticate(_ message: IRCMessage) -> [IRCClientAction] {
        guard self.sasl == .inProgress, message.parameters.first == "+", let sasl = self.configuration.sasl else {
            return []
        }
        let payload: [String]
        switch sasl {
        case .plain(let username, let password):
            payload = SASLPayload.plain(username: username, password: password)
        case .external:
            payload = ["+"]
        }
        return payload.map { .send(IRCMessage(command: "AUTHENTICATE", parameters: [$0])) }
    }

    /// SASL numerics: 900 logged in, 903 success, 902/904/905/906 failure, 907 already authenticated.
    mutating func receiveSASLNumeric(_ message: IRCMessage) -> [IRCClientAction] {
        switch message.command {
        case "900":
            let account = message.parameters.count >= 3 ? message.parameters[2] : "?"
            return [.event(.authenticated(account: account))]
        case "903", "907":
            guard self.sasl == .inProgress else { return [] }
            self.sasl = .succeeded
            return [.send(IRCMessage(command: "CAP", parameters: ["END"]))]
        default:
            guard self.sasl == .inProgress else { return [] }
            return self.failSASL("\(message.command) \(message.parameters.last ?? "")")
        }
    }

    private mutating func failSASL(_ reason: String) -> [IRCClientAction] {
        self.sasl = .failed
        self.phase = .closed
        return [.event(.authenticationFailed(reason: reason)), .close(.authenticationFailed(reason))]
    }

    /// `001`: registration complete; the first parameter is the nick the server gave us.
    ///
    /// A configured SASL that has not succeeded by now never will on this connection: the server registered us
    /// without it (it does not know `CAP` at all, or ignored our negotiation). That is a SASL failure, handled like
    /// any other, because joining unauthenticated is what configuring SASL is meant to prevent.
    mutating func receiveWelcome(_ message: IRCMessage, now: Instant) -> [IRCClientAction] {
        guard self.phase == .registering else { return [] }
        switch self.sasl {
        case .notConfigured, .succeeded:
            break
        case .pending, .failed:
            return self.failSASL("the server registered the connection without offering SASL (no CAP support?)")
        case .inProgress:
            return self.failSASL("the server registered the connection before SASL finished")
        }
        self.phase = .registered
        self.registeredAt = now
        if let nick = message.parameters.first, !nick.isEmpty { self.nick = nick }
        if self.nick != self.configuration.nick {
            self.nextRegainAt = now + self.configuration.regainNickInterval
        } else {
            self.mainNickSince = now
        }
        for channel in self.configuration.channels {
            let key = self.fold(channel.name)
            self.channels[key] = ChannelState(configured: channel)
        }
        return [.event(.registered(nick: self.nick))]
    }

    /// `005`: learn the server's limits; set bot mode as soon as the server says it has one.
    mutating func receiveISupport(_ message: IRCMessage) -> [IRCClientAction] {
        let previousMapping = self.isupport.caseMapping
        self.isupport.apply(message)
        if self.isupport.caseMapping != previousMapping {
            // Channel keys were folded with the old mapping.
            self.channels = Dictionary(
                self.channels.values.map { (self.fold($0.configured.name), $0) },
                uniquingKeysWith: { first, _ in first }
            )
        }
        guard self.phase == .registered, !self.botModeSet, let mode = self.isupport.botMode else { return [] }
        self.botModeSet = true
        return [.send(IRCMessage(command: "MODE", parameters: [self.nick, "+\(mode)"]))]
    }

    /// How long after `001` the channels are joined when the server never ends its MOTD (`376` or `422`).
    static let motdWait: Duration = .seconds(30)

    /// End of MOTD: the server is done greeting us; join the channels.
    mutating func receiveEndOfMOTD(now: Instant) -> [IRCClientAction] {
        guard self.phase == .registered, !self.motdDone else { return [] }
        self.motdDone = true
        for key in self.channels.keys {
            self.channels[key]?.retryAt = now
        }
        return self.retryJoins(now: now)
    }

    /// `433`/`436`/`432`/`437`: during registration try the next nick; later it only means regain failed.
    mutating func receiveNickUnavailable(_ message: IRCMessage, now: Instant) -> [IRCClientAction] {
        guard self.phase == .registering else { return [] }
        let tried = message.parameters.count >= 2 ? message.parameters[1] : self.nick
        let candidates = [self.configuration.nick] + self.configuration.altNicks
        self.nickAttempt += 1
        let next: String
        if self.nickAttempt < candidates.count {
            next = candidates[self.nickAttempt]
        } else {
            let underscores = self.nickAttempt - candidates.count + 1
            guard underscores <= IRCClientConfiguration.maximumNickUnderscores else {
                self.phase = .closed
                return [.close(.noUsableNick)]
            }
            next = self.configuration.nick + String(repeating: "_", count: underscores)
        }
        self.nick = next
        return [.event(.nickInUse(tried: tried, next: next)), .send(IRCMessage(command: "NICK", parameters: [next]))]
    }

    /// Sends JOIN for every configured channel whose retry time has come. A JOIN still unanswered by then counts as
    /// a setback: some refusals have no numeric this machine knows, and some servers drop a JOIN silently.
    mutating func retryJoins(now: Instant) -> [IRCClientAction] {
        guard self.phase == .registered, self.motdDone else { return [] }
        var actions: [IRCClientAction] = []
        for (key, var state) in self.channels.sorted(by: { $0.key < $1.key }) {
            guard !state.joined, let due = state.retryAt, now >= due else { continue }
            if state.joinPending {
                state.setbacks += 1
                state.problem = "no answer to JOIN"
            }
            state.joinPending = true
            state.retryAt =
                now
                + max(
                    self.configuration.joinAnswerTimeout,
                    self.setbackDelay(base: self.configuration.joinRetryDelay, setbacks: state.setbacks)
                )
            self.channels[key] = state
            var parameters = [state.configured.name]
            if let channelKey = state.configured.key { parameters.append(channelKey) }
            actions.append(.send(IRCMessage(command: "JOIN", parameters: parameters)))
        }
        return actions
    }
}
