/// The life of one IRC connection, as a pure state machine: registration (CAP, SASL, NICK/USER with fallbacks),
/// then the session (channels, PING/PONG, kicks, nick regain, CTCP). It takes server messages and clock ticks and
/// returns actions; the transport does the I/O. Time is always passed in, so tests drive it with fixed instants.
package struct IRCClientStateMachine: Sendable {
    package typealias Instant = ContinuousClock.Instant

    enum Phase: Sendable, Hashable {
        /// No connection yet (or it ended).
        case idle
        /// Connected, registration under way.
        case registering
        /// `001` received.
        case registered
        /// QUIT sent or close requested; nothing more is sent.
        case closed
    }

    enum SASLProgress: Sendable, Hashable {
        case notConfigured
        case pending
        case inProgress
        case succeeded
        case failed
    }

    /// One configured channel's state on this connection.
    struct ChannelState: Sendable, Hashable {
        var configured: IRCClientConfiguration.Channel
        var joined = false
        /// When to (re)send the JOIN: after a refusal, kick or part, or once a JOIN sent has gone unanswered for
        /// long enough; `nil` while joined.
        var retryAt: Instant?
        /// A JOIN was sent and neither the bot's JOIN nor a refusal has come back yet.
        var joinPending = false
        /// Refused or unanswered JOINs, kicks and forced parts since the bot last stayed in the channel; each
        /// doubles the wait before the next JOIN, so a channel that keeps refusing or removing the bot is asked
        /// less and less often instead of every minute forever (or every ten seconds, in a kick loop).
        var setbacks = 0
        /// When the bot joined, to tell a stay from a kick loop.
        var joinedAt: Instant?
        /// Why the channel is not joined, for `/readyz`; nil while the first JOIN is on its way.
        var problem: String?
    }

    package let configuration: IRCClientConfiguration
    var phase = Phase.idle
    var capabilities: CapabilityNegotiation
    var sasl: SASLProgress
    var channels: [String: ChannelState] = [:]
    var nickAttempt = 0
    var connectedAt: Instant?
    var lastReceived: Instant?
    var pingSentAt: Instant?
    var nextRegainAt: Instant?
    /// Times in a row the bot lost its configured nick to a rename soon after taking it (see
    /// ``receiveSessionMessage(_:now:)``); each doubles the wait before the next regain.
    var nickSetbacks = 0
    /// When the bot last got its configured nick, to tell a rename after a long hold from services' enforcement;
    /// `nil` while it has another nick.
    var mainNickSince: Instant?
    var botModeSet = false
    var motdDone = false
    /// When `001` arrived; a server that never ends its MOTD gets its JOINs ``motdWait`` after it anyway. The service
    /// also reads it when the connection ends: only time registered counts towards the backoff's stable minute.
    var registeredAt: Instant?
    /// Channels (folded) whose refused messages (`404`) were reported since the bot last joined them.
    var cannotSendReported: Set<String> = []
    /// References of the open IRCv3 batches that replay history (see `receiveBatch`): what they carry was said
    /// before, and answered then if it was a question.
    var historyBatches: Set<String> = []
    /// The `server-time` stamp of the bot's own JOIN of each channel it is in (folded), when the server sent one; see
    /// ``isStampedBeforeJoin(_:)``.
    var channelJoinTimes: [String: String] = [:]

    /// The nick the server knows us by (the wanted one until registration says otherwise).
    package internal(set) var nick: String
    /// Our user and host as the server shows them, once learned (own JOIN, `396`, `CHGHOST`), for line lengths.
    package internal(set) var userHost: (user: String, host: String)?
    /// The server's ISUPPORT (`005`) tokens.
    package internal(set) var isupport = ISupport()
    /// Who is in the channels the bot is in, with their prefix modes.
    package internal(set) var roster = ChannelRoster()

    /// Creates the machine for a network.
    package init(configuration: IRCClientConfiguration) {
        self.configuration = configuration
        self.nick = configuration.nick
        self.capabilities = CapabilityNegotiation(wantsSASL: configuration.sasl != nil)
        self.sasl = configuration.sasl == nil ? .notConfigured : .pending
    }

    /// Whether registration finished on the current connection.
    package var isRegistered: Bool { self.phase == .registered }

    /// Capabilities the server acknowledged.
    package var enabledCapabilities: Set<String> { self.capabilities.enabled }

    /// Channels the bot is currently in (configured names).
    package var joinedChannels: [String] {
        self.channels.values.filter(\.joined).map(\.configured.name).sorted()
    }

    /// Whether every configured channel is joined (for the connection-state metric).
    package var isFullyJoined: Bool {
        self.phase == .registered && self.channels.values.allSatisfy(\.joined)
    }

    /// The configured channels (folded, as flood-queue targets) the bot is not in while registered: lines for them
    /// wait until it is back.
    package var channelsAwaitingJoin: Set<String> {
        guard self.phase == .registered else { return [] }
        return Set(self.channels.lazy.filter { !$0.value.joined }.map(\.key))
    }

    /// Whether `target` (as written, any case) is a configured channel the bot is out of while registered.
    package func isAwaitingJoin(_ target: String) -> Bool {
        self.phase == .registered && self.channels[self.fold(target)].map { !$0.joined } ?? false
    }

    /// Each configured channel the bot is not in, with why (e.g. `474 Cannot join channel (+b)`), or "joining"
    /// while its JOIN is under way; empty before registration, when no channel can be joined.
    package var unjoinedChannels: [String: String] {
        guard self.phase == .registered else { return [:] }
        var result: [String: String] = [:]
        for state in self.channels.values where !state.joined {
            result[state.configured.name] = state.problem ?? "joining"
        }
        return result
    }

    /// Case-folds a nick or channel with the server's CASEMAPPING.
    package func fold(_ name: String) -> String {
        self.isupport.caseMapping.fold(name)
    }

    // MARK: Connection lifecycle

    /// The TCP/TLS connection is up: start registration.
    package mutating func connected(now: Instant) -> [IRCClientAction] {
        self.phase = .registering
        self.capabilities = CapabilityNegotiation(wantsSASL: self.configuration.sasl != nil)
        self.sasl = self.configuration.sasl == nil ? .notConfigured : .pending
        self.channels = [:]
        self.nickAttempt = 0
        self.nick = self.configuration.nick
        self.userHost = nil
        self.isupport = ISupport()
        self.roster = ChannelRoster()
        self.connectedAt = now
        self.lastReceived = now
        self.pingSentAt = nil
        self.nextRegainAt = nil
        self.nickSetbacks = 0
        self.mainNickSince = nil
        self.botModeSet = false
        self.motdDone = false
        self.registeredAt = nil
        self.historyBatches = []
        self.channelJoinTimes = [:]
        var actions: [IRCClientAction] = [.send(IRCMessage(command: "CAP", parameters: ["LS", "302"]))]
        if let password = self.configuration.password {
            actions.append(.send(IRCMessage(command: "PASS", parameters: [password])))
        }
        actions.append(.send(IRCMessage(command: "NICK", parameters: [self.nick])))
        actions.append(
            .send(
                IRCMessage(
                    command: "USER",
                    parameters: [self.configuration.username, "0", "*", self.configuration.realname]
                )
            )
        )
        return actions
    }

    /// The connection ended (either side).
    package mutating func disconnected() {
        self.phase = .idle
        // Read by the service just before, to tell a stable session from a failed attempt; a later attempt that
        // fails before it connects must not look registered.
        self.registeredAt = nil
        for key in self.channels.keys {
            self.channels[key]?.joined = false
        }
    }

    /// Graceful shutdown: say goodbye.
    package mutating func shutdown() -> [IRCClientAction] {
        switch self.phase {
        case .registering, .registered:
            self.phase = .closed
            return [.send(IRCMessage(command: "QUIT", parameters: [self.configuration.quitMessage]))]
        case .idle, .closed:
            self.phase = .closed
            return []
        }
    }

    /// Timers: registration timeout, keepalive PING and its timeout, JOIN retries, nick regain.
    package mutating func tick(now: Instant) -> [IRCClientAction] {
        switch self.phase {
        case .idle, .closed:
            return []
        case .registering:
            if let connectedAt, now - connectedAt >= self.configuration.registrationTimeout {
                self.phase = .closed
                return [.close(.registrationTimeout)]
            }
            return []
        case .registered:
            var actions = self.keepalive(now: now)
            if actions.contains(.close(.pingTimeout)) { return actions }
            if !self.motdDone, let registeredAt, now - registeredAt >= Self.motdWait {
                // No 376 or 422 (a bouncer or a broken server): without this the bot would sit in no channel,
                // with nothing left to wake it, until the next reconnect.
                actions += self.receiveEndOfMOTD(now: now)
            } else {
                actions += self.retryJoins(now: now)
            }
            if self.nick != self.configuration.nick, let due = self.nextRegainAt, now >= due {
                self.nextRegainAt = now + self.configuration.regainNickInterval
                actions.append(.send(IRCMessage(command: "NICK", parameters: [self.configuration.nick])))
            }
            return actions
        }
    }

    mutating func keepalive(now: Instant) -> [IRCClientAction] {
        if let pingSentAt {
            if now - pingSentAt >= self.configuration.pingTimeout {
                self.phase = .closed
                return [.close(.pingTimeout)]
            }
            return []
        }
        guard let lastReceived, now - lastReceived >= self.configuration.pingInterval else { return [] }
        self.pingSentAt = now
        return [.send(IRCMessage(command: "PING", parameters: ["goapi-bridge"]))]
    }

    // MARK: Server messages

    /// Handles one message from the server.
    package mutating func receive(_ message: IRCMessage, now: Instant) -> [IRCClientAction] {
        guard self.phase == .registering || self.phase == .registered else { return [] }
        self.lastReceived = now
        self.pingSentAt = nil
        if self.isReplayedHistory(message) || self.isStampedBeforeJoin(message) { return [] }
        switch message.command {
        case "PING":
            return [.send(IRCMessage(command: "PONG", parameters: Array(message.parameters.prefix(1))))]
        case "CAP":
            return self.receiveCap(message)
        case "AUTHENTICATE":
            return self.receiveAuthenticate(message)
        case "900", "903", "904", "905", "906", "907", "902":
            return self.receiveSASLNumeric(message)
        case "001":
            return self.receiveWelcome(message, now: now)
        case "005":
            return self.receiveISupport(message)
        case "376", "422":
            return self.receiveEndOfMOTD(now: now)
        case "437" where self.phase == .registered:
            // ERR_UNAVAILRESOURCE once registered is about a channel held during a netsplit (Solanum, Libera).
            return self.receiveJoinFailure(message, now: now)
        case "432", "433", "436", "437":
            return self.receiveNickUnavailable(message, now: now)
        case "403", "405", "470", "471", "473", "474", "475", "476", "477", "479", "480", "489", "520":
            // No such channel, too many channels, forwarded elsewhere, full, invite only, banned, bad key, bad
            // mask, registered nicks only, bad name, throttled, TLS users only, operators only.
            return self.receiveJoinFailure(message, now: now)
        case "396":
            if message.parameters.count >= 2, let user = self.userHost?.user {
                self.userHost = (user, message.parameters[1])
            }
            return []
        case "404":
            // ERR_CANNOTSENDTOCHAN: the answer in that channel is lost; say so once, not once per line.
            guard message.parameters.count >= 2,
                self.cannotSendReported.insert(self.fold(message.parameters[1])).inserted
            else { return [] }
            let reason = message.parameters.count >= 3 ? message.parameters.last ?? "" : ""
            return [.event(.cannotSend(channel: message.parameters[1], reason: reason))]
        case "464", "465":
            // ERR_PASSWDMISMATCH, ERR_YOUREBANNEDCREEP: the server closes the link next; say why it did.
            self.phase = .closed
            return [.close(.refused(code: message.command, reason: message.parameters.last ?? ""))]
        case "BATCH":
            return self.receiveBatch(message)
        case "ERROR":
            self.phase = .closed
            return [.close(.serverError(message.parameters.last ?? "closing link"))]
        default:
            return self.receiveSessionMessage(message, now: now)
        }
    }
}
