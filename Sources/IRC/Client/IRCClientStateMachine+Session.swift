extension IRCClientStateMachine {
    /// Messages that matter once registered: membership changes, kicks, private and channel messages.
    mutating func receiveSessionMessage(_ message: IRCMessage, now: Instant) -> [IRCClientAction] {
        let sender = message.userHost
        let fromSelf = sender.map { self.fold($0.nick) == self.fold(self.nick) } ?? false
        switch message.command {
        case "NICK":
            guard let sender, let newNick = message.parameters.first else { return [] }
            self.roster.rename(self.fold(sender.nick), to: self.fold(newNick))
            if fromSelf {
                let lostMainNick = self.nick == self.configuration.nick && newNick != self.configuration.nick
                self.nick = newNick
                if newNick == self.configuration.nick {
                    self.mainNickSince = now
                } else if lostMainNick {
                    // A rename the bot did not ask for (a nick collision after a netsplit, services' SVSNICK or Guest
                    // rename) may never be followed by a QUIT or NICK that frees the configured nick: the regain
                    // timer must run, or the bot keeps the wrong nick, and its nick-addressed triggers, until it
                    // reconnects. Services protecting a nick someone else registered rename the bot every time it
                    // takes the nick back, so each such rename in a row doubles the wait, or the channels would
                    // see the bot change nick back and forth every minute for ever.
                    let held = self.mainNickSince.map { now - $0 >= self.configuration.stableMembership } ?? false
                    self.nickSetbacks = (held ? 0 : self.nickSetbacks) + 1
                    self.nextRegainAt =
                        now
                        + self.setbackDelay(base: self.configuration.regainNickInterval, setbacks: self.nickSetbacks)
                    self.mainNickSince = nil
                } else if self.nextRegainAt == nil {
                    self.nextRegainAt = now + self.configuration.regainNickInterval
                }
                return [.event(.nickChanged(to: newNick))]
            }
            return [.event(.userRenamed(from: sender.nick, to: newNick))] + self.regainIfFreed(sender.nick)
        case "QUIT":
            guard let sender else { return [] }
            self.roster.removeEverywhere(self.fold(sender.nick))
            return [.event(.userQuit(nick: sender.nick))] + self.regainIfFreed(sender.nick)
        case "JOIN":
            guard let sender, let channel = message.parameters.first else { return [] }
            if fromSelf {
                if let user = sender.user, let host = sender.host { self.userHost = (user, host) }
                self.roster.join(channel: self.fold(channel))
                self.recordJoinTime(message, channel: channel)
                self.cannotSendReported.remove(self.fold(channel))
                self.updateChannel(channel) {
                    $0.joined = true
                    $0.retryAt = nil
                    $0.joinPending = false
                    $0.joinedAt = now
                    $0.problem = nil
                }
                return [.event(.joined(channel: channel))]
            }
            self.roster.add(self.fold(sender.nick), modes: [], to: self.fold(channel))
            return []
        case "PART":
            guard let sender, let channel = message.parameters.first else { return [] }
            if fromSelf {
                self.leave(channel, now: now, problem: "parted")
            } else {
                self.roster.remove(self.fold(sender.nick), from: self.fold(channel))
            }
            return []
        case "KICK":
            guard message.parameters.count >= 2 else { return [] }
            let channel = message.parameters[0]
            let victim = message.parameters[1]
            guard self.fold(victim) == self.fold(self.nick) else {
                self.roster.remove(self.fold(victim), from: self.fold(channel))
                return []
            }
            let by = sender?.nick ?? "server"
            let reason = message.parameters.count >= 3 ? message.parameters[2] : ""
            let wait = self.leave(channel, now: now, problem: "kicked by \(by): \(reason)")
            return [.event(.kicked(channel: channel, by: by, reason: reason, rejoinIn: wait))]
        case "353":
            // RPL_NAMREPLY: <me> <symbol> <channel> :<prefixed nicks>
            guard message.parameters.count >= 4 else { return [] }
            let channel = self.fold(message.parameters[2])
            for entry in message.parameters[3].split(separator: " ") {
                let (modes, nick) = self.isupport.splitPrefixes(String(entry))
                self.roster.add(self.fold(nick), modes: modes, to: channel)
            }
            return []
        case "MODE":
            guard message.parameters.count >= 2, self.isupport.isChannel(message.parameters[0]) else { return [] }
            for change in self.isupport.prefixModeChanges(Array(message.parameters.dropFirst())) {
                self.roster.setMode(
                    change.mode,
                    on: change.adding,
                    for: self.fold(change.nick),
                    in: self.fold(message.parameters[0])
                )
            }
            return []
        case "CHGHOST":
            if fromSelf, message.parameters.count >= 2 {
                self.userHost = (message.parameters[0], message.parameters[1])
            }
            return []
        case "PRIVMSG":
            guard let sender, !fromSelf else { return [] }
            return self.receivePrivateMessage(message, from: sender)
        default:
            return []
        }
    }

    /// A refused JOIN: report it and try again later (the ban may be lifted, the invite may come), waiting twice as
    /// long after each refusal in a row.
    mutating func receiveJoinFailure(_ message: IRCMessage, now: Instant) -> [IRCClientAction] {
        guard message.parameters.count >= 2 else { return [] }
        let channel = message.parameters[1]
        guard let state = self.channels[self.fold(channel)], !state.joined else { return [] }
        let reason = message.parameters.count >= 3 ? message.parameters.last ?? "" : ""
        let setbacks = state.setbacks + 1
        let wait = self.setbackDelay(base: self.configuration.joinRetryDelay, setbacks: setbacks)
        self.updateChannel(channel) {
            $0.setbacks = setbacks
            $0.joinPending = false
            $0.retryAt = now + wait
            $0.problem = reason.isEmpty ? message.command : "\(message.command) \(reason)"
        }
        return [.event(.joinFailed(channel: channel, code: message.command, reason: reason, retryIn: wait))]
    }

    /// The wait before the next JOIN after `setbacks` in a row: `base`, doubled for each further one, at most
    /// ``IRCClientConfiguration/maxJoinRetryDelay``.
    func setbackDelay(base: Duration, setbacks: Int) -> Duration {
        let doublings = min(max(setbacks - 1, 0), 20)
        return min(base * (1 << doublings), max(self.configuration.maxJoinRetryDelay, base))
    }

    /// Changes a configured channel's state; returns `false` for a channel the bot was not configured for.
    @discardableResult
    private mutating func updateChannel(_ name: String, _ change: (inout ChannelState) -> Void) -> Bool {
        let key = self.fold(name)
        guard var state = self.channels[key] else { return false }
        change(&state)
        self.channels[key] = state
        return true
    }

    /// The bot is out of `channel` (kicked, or parted by the server): rejoin after ``IRCClientConfiguration/
    /// rejoinDelay``, doubled for each removal since the bot last stayed ``IRCClientConfiguration/stableMembership``.
    /// Returns the wait.
    @discardableResult
    private mutating func leave(_ channel: String, now: Instant, problem: String) -> Duration {
        self.roster.part(channel: self.fold(channel))
        self.channelJoinTimes[self.fold(channel)] = nil
        guard let state = self.channels[self.fold(channel)] else { return .zero }
        let stayed = state.joinedAt.map { now - $0 >= self.configuration.stableMembership } ?? false
        let setbacks = (stayed ? 0 : state.setbacks) + 1
        let wait = self.setbackDelay(base: self.configuration.rejoinDelay, setbacks: setbacks)
        self.updateChannel(channel) {
            $0.joined = false
            $0.joinedAt = nil
            $0.joinPending = false
            $0.setbacks = setbacks
            $0.retryAt = now + wait
            $0.problem = problem
        }
        return wait
    }

    /// When someone holding our main nick leaves or renames, take it back at once.
    private mutating func regainIfFreed(_ nick: String) -> [IRCClientAction] {
        guard self.fold(nick) == self.fold(self.configuration.nick), self.fold(self.nick) != self.fold(nick) else {
            return []
        }
        return [.send(IRCMessage(command: "NICK", parameters: [self.configuration.nick]))]
    }

    /// PRIVMSG: answer CTCP VERSION/PING (never to an ignored sender), ignore other CTCP, hand everything else to the
    /// bridge, which applies the ignore masks to messages itself.
    ///
    /// A message to `@#chan` (STATUSMSG) is ignored whole: it is not private, so a private answer would be wrong,
    /// and an answer in the channel would show everyone what only its operators were meant to see.
    private mutating func receivePrivateMessage(_ message: IRCMessage, from sender: IRCUserHost) -> [IRCClientAction] {
        guard message.parameters.count >= 2 else { return [] }
        let target = message.parameters[0]
        let text = message.parameters[1]
        guard !self.isupport.isStatusMessage(target) else { return [] }
        // IRCv3 bot mode: the server tags messages from accounts marked as bots. Answering them could start two
        // bots (another bridge, say) answering each other for ever.
        guard message.tags["bot"] == nil else { return [] }
        let isPrivate = !self.isupport.isChannel(target)
        // An operator's server-mask broadcast (`PRIVMSG $*.example :…`, `$$*`) is an announcement to everyone, not
        // a question to answer in a query. (Not "any target but our nick": a query sent just before the bot's own
        // nick changed still names the old one.)
        guard !(isPrivate && target.hasPrefix("$")) else { return [] }
        if text.hasPrefix("\u{01}") {
            let caseMapping = self.isupport.caseMapping
            guard !self.configuration.ignoreMasks.contains(where: { $0.matches(sender, caseMapping: caseMapping) })
            else { return [] }
            return self.answerCTCP(text, to: sender.nick)
        }
        let incoming = IRCIncomingMessage(
            nick: sender.nick,
            source: sender.description,
            target: target,
            replyTarget: isPrivate ? sender.nick : target,
            isPrivate: isPrivate,
            text: text,
            messageID: message.tags["msgid"],
            senderIsChannelOperator: !isPrivate
                && self.roster.modes(of: self.fold(sender.nick), in: self.fold(target)).contains {
                    self.isupport.isOperatorMode($0)
                }
        )
        return [.event(.message(incoming))]
    }

    private func answerCTCP(_ text: String, to nick: String) -> [IRCClientAction] {
        let body =
            text.trimmingPrefix("\u{01}").split(separator: "\u{01}", omittingEmptySubsequences: false).first ?? ""
        let command = body.split(separator: " ", maxSplits: 1).first.map { $0.uppercased() } ?? ""
        let reply: String
        switch command {
        case "VERSION":
            reply = "VERSION \(self.configuration.versionReply)"
        case "PING":
            // Echo the token back, bounded in bytes (whole scalars) so a long token cannot make us send an
            // oversized line: 64 characters could be kilobytes of combining marks.
            var token = String.UnicodeScalarView()
            var bytes = 0
            for scalar in body.unicodeScalars {
                bytes += UTF8.width(scalar)
                guard bytes <= 64 else { break }
                token.append(scalar)
            }
            reply = String(token)
        default:
            return []
        }
        let notice = IRCMessage(command: "NOTICE", parameters: [nick, "\u{01}\(reply)\u{01}"])
        return [.sendThrottled(notice, target: nick)]
    }
}
