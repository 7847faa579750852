import Foundation
import IRC
import Logging
import Store
import Synchronization

extension IRCBridge {
    /// Told privately to someone whose question cannot be queued behind the ones in progress.
    static let busyNotice = "I am still answering earlier questions here; please ask again shortly."
    /// Said to the asker of every question still waiting, being answered, or with its answer still queued when
    /// the bot quits.
    static let shutdownNotice = "I am shutting down before I could answer that; please ask again when I am back."

    /// Decides what to do with a PRIVMSG; returns a job when a worker must be started for its conversation.
    func route(_ message: IRCIncomingMessage, on network: Network) async -> Job? {
        let snapshot = network.service.snapshot
        let caseMapping = snapshot.isupport.caseMapping
        let configuration = network.configuration
        if configuration.ignoreMasks.contains(where: { IRCMask($0).matches(message.source, caseMapping: caseMapping) })
        {
            return nil
        }
        guard
            let input = network.trigger.input(
                message.text,
                botNick: snapshot.nick,
                isPrivate: message.isPrivate,
                caseMapping: caseMapping
            )
        else { return nil }
        let key =
            message.isPrivate
            ? ConversationKey.ircQuery(network: configuration.network, foldedNick: caseMapping.fold(message.nick))
            : ConversationKey.ircChannel(
                network: configuration.network,
                foldedChannel: caseMapping.fold(message.target)
            )
        switch input {
        case .command(let command):
            if let wait = network.commandLimiter.withLock({ $0.take(caseMapping.fold(message.nick), now: .now) }) {
                self.slowDown("sending commands", wait: wait, to: message, on: network)
                return nil
            }
            await self.handle(command, message: message, key: key, on: network)
            return nil
        case .question(let question):
            let count = { (result: String) in
                BridgeMetrics.question(source: "irc", origin: configuration.network, result: result)
            }
            guard !network.queues.isFull(key) else {
                count("busy")
                self.refuse(Self.busyNotice, to: message, on: network)
                return nil
            }
            if let wait = network.limiter.withLock({ $0.take(caseMapping.fold(message.nick), now: .now) }) {
                count("rate_limited")
                self.slowDown("asking", wait: wait, to: message, on: network)
                return nil
            }
            let notice = network.service.holdShutdownNotice(self.shutdownNotice(to: message, on: network))
            let job = Job(message: message, question: question, key: key, shutdownNotice: notice)
            network.askers.withLock { $0.asked(notice, nick: message.nick) }
            switch network.queues.submit(job, key: key) {
            case .startWorker:
                count("accepted")
                return job
            case .queued:
                count("accepted")
                return nil
            case .full:
                network.service.withdrawShutdownNotice(notice)
                _ = network.askers.withLock { $0.answering(notice) }
                count("busy")
                self.refuse(Self.busyNotice, to: message, on: network)
                return nil
            }
        }
    }

    /// The profile (GPT and model) a conversation uses now.
    func profile(for message: IRCIncomingMessage, key: String, on network: Network) async -> ChatProfile {
        let settings: ChannelSettings?
        do {
            settings = try await self.store.channelSettings(key: key)
        } catch {
            self.logger(for: message, on: network).error(
                "could not read channel settings",
                metadata: ["error": "\(error)"]
            )
            settings = nil
        }
        let caseMapping = network.service.snapshot.isupport.caseMapping
        let configured =
            message.isPrivate
            ? nil
            : network.configuration.channels.first { caseMapping.equal($0.key, message.target) }?.value
        return self.defaults.resolve(
            configuredGizmoID: configured?.gizmoID,
            configuredModel: configured?.model,
            settings: settings
        )
    }

    /// Sends `lines` to where `message` came from, the first addressed by the caller; they expire after the TTL.
    /// The held shutdown notice `settling` stays held until the last line is written.
    func send(
        _ lines: [String],
        replyingTo message: IRCIncomingMessage,
        on network: Network,
        tags: [String: String] = [:],
        settling notice: ShutdownNotices.ID? = nil
    ) {
        let messages = lines.enumerated().map { index, line in
            IRCMessage(tags: index == 0 ? tags : [:], command: "PRIVMSG", parameters: [message.replyTarget, line])
        }
        let accepted = network.service.enqueue(
            messages,
            target: message.replyTarget,
            expiresAt: .now + network.configuration.replyTTL,
            settling: notice
        )
        if !accepted {
            self.logger(for: message, on: network).warning("send queue full; reply dropped")
        }
    }

    /// The line held for `message`'s asker in case the bot quits before the answer is out.
    private func shutdownNotice(to message: IRCIncomingMessage, on network: Network) -> IRCMessage {
        let line =
            self.formatter(for: message.replyTarget, on: network)
            .notice(Self.shutdownNotice, asker: message.nick).first ?? Self.shutdownNotice
        return IRCMessage(command: "PRIVMSG", parameters: [message.replyTarget, line])
    }

    /// Tells the sender of `message` they are `activity` faster than the bot allows, and when to try again.
    private func slowDown(_ activity: String, wait: Duration, to message: IRCIncomingMessage, on network: Network) {
        self.refuse(
            "you are \(activity) faster than this bot allows; please try again in \(Self.spoken(wait)).",
            to: message,
            on: network
        )
    }

    /// Tells the sender of `message` why their line was refused, unless they were told so moments ago (see
    /// ``RefusalNotices``): repeating a refused line must not turn the bot's output into notices to one person.
    private func refuse(_ text: String, to message: IRCIncomingMessage, on network: Network) {
        let person = network.service.snapshot.isupport.caseMapping.fold(message.nick)
        guard network.refusals.withLock({ $0.shouldTell(person, now: .now) }) else { return }
        self.notice(text, to: message, on: network)
    }

    /// A private NOTICE to the sender (refusals that the channel need not see).
    func notice(_ text: String, to message: IRCIncomingMessage, on network: Network) {
        let notice = IRCMessage(command: "NOTICE", parameters: [message.nick, text])
        network.service.enqueue([notice], target: message.nick, expiresAt: .now + .seconds(60))
    }

    /// A formatter sized for replies to `target` with the bot's current prefix.
    func formatter(for target: String, on network: Network) -> IRCReplyFormatter {
        let snapshot = network.service.snapshot
        // Sized for the longest nick the bot may have when the lines go out: they wait through a reconnect, which
        // may end under a fallback nick (`gptbot_`) while the old connection still holds the main one.
        let payload = ReplySplitter.maximumPayloadBytes(
            nickBytes: snapshot.longestNickBytes,
            user: snapshot.userHost?.user,
            host: snapshot.userHost?.host,
            target: target,
            lineLength: snapshot.isupport.lineLength
        )
        return IRCReplyFormatter(maximumPayloadBytes: payload, maxLines: network.configuration.maxLinesPerReply)
    }
}

extension IRCBridge {
    /// `wait` in words, rounded up: "20 seconds", "3 minutes", "2 hours". A refusal that said "a minute" whatever
    /// the budget had people refused again and again when it refills hourly.
    static func spoken(_ wait: Duration) -> String {
        let seconds = max(1, Int(wait.seconds.rounded(.up)))
        let (count, unit) =
            seconds < 60
            ? (seconds, "second")
            : seconds < 3_600 ? ((seconds + 59) / 60, "minute") : ((seconds + 3_599) / 3_600, "hour")
        return "\(count) \(unit)\(count == 1 ? "" : "s")"
    }
}
