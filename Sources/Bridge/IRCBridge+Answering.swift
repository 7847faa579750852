import Foundation
import GoAPI
import IRC
import Logging
import Synchronization
import Timers
import Webhooks

extension IRCBridge {
    /// Asks GoAPI and posts the reply (or one clear line about what went wrong).
    func answer(_ job: Job, on network: Network) async {
        let logger = self.logger(for: job.message, on: network)
        let profile = await self.profile(for: job.message, key: job.key, on: network)
        logger.debug("asking GoAPI", metadata: ["goapi.model": "\(profile.model)"])
        let snapshot = network.service.snapshot
        let clientTags = snapshot.capabilities.contains("message-tags")
        let typing = clientTags && snapshot.isupport.allowsClientTag("typing")
        let result = await withTaskGroup(of: Result<ConversationReply, AskFailure>?.self) { group in
            group.addTask {
                // The speaker's name lets the model tell the people in a channel apart.
                await self.asker.ask(
                    key: job.key,
                    profile: profile,
                    text: "\(job.message.nick): \(job.question)",
                    logger: logger
                )
            }
            if typing {
                group.addTask {
                    await self.showTyping(
                        to: job.message,
                        on: network,
                        replyTag: clientTags && snapshot.isupport.allowsClientTag("reply")
                    )
                    return nil
                }
            }
            var outcome: Result<ConversationReply, AskFailure>?
            for await value in group {
                if let value {
                    outcome = value
                    group.cancelAll()
                }
            }
            guard let outcome else { preconditionFailure("Invalid state: the ask task returned no result") }
            return outcome
        }
        // Cancelled means a forced shutdown: nothing queued from now on is written before the connection closes,
        // and the asker's held notice, which stays held, says more than a cut-off answer would.
        guard !Task.isCancelled else {
            logger.notice("reply not sent: the shutdown was cut short")
            return
        }
        // The asker may have changed nick meanwhile, and someone else may hold the old one now.
        var message = job.message
        switch network.askers.withLock({ $0.answering(job.shutdownNotice) }) {
        case .present(let nick):
            message.nick = nick
            if message.isPrivate { message.replyTarget = nick }
        case .quit where message.isPrivate:
            network.service.withdrawShutdownNotice(job.shutdownNotice)
            logger.notice("private answer not sent: the asker left the network")
            return
        case .quit, nil:
            break
        }
        let lines = await self.lines(
            for: result,
            asker: message.nick,
            target: message.replyTarget,
            on: network,
            logger: logger
        )
        let allowsReplyTag = clientTags && snapshot.isupport.allowsClientTag("reply")
        let tags = allowsReplyTag ? message.messageID.map { ["+reply": $0] } ?? [:] : [:]
        self.send(lines, replyingTo: message, on: network, tags: tags, settling: job.shutdownNotice)
        // Logged once the reply is queued: the log line is not worth delaying the answer for.
        result.logOutcome(logger: logger)
    }

    /// The reply's lines; an answer too long for them is saved as a full-reply page first, when pages are
    /// published, and its last line links to the page. A page that cannot be saved leaves the overflow stated.
    private func lines(
        for result: Result<ConversationReply, AskFailure>,
        asker: String,
        target: String,
        on network: Network,
        logger: Logger
    ) async -> [String] {
        let formatter = self.formatter(for: target, on: network)
        guard let replyPages = self.replyPages, case .success(let reply) = result,
            formatter.cutsAnswer(result, asker: asker)
        else {
            return formatter.lines(for: result, asker: asker)
        }
        do {
            let link = try await replyPages.publish(reply.pageMarkdown, now: Date())
            return formatter.lines(for: result, asker: asker, fullReplyLink: link)
        } catch {
            logger.warning(
                "could not save the full-reply page; the overflow is stated",
                metadata: ["error": "\(error)"]
            )
            return formatter.lines(for: result, asker: asker)
        }
    }

    /// `+typing=active` every 3 seconds while GoAPI streams, so people see the bot is working. Best effort: sent
    /// only when nothing is queued and the bucket is full, never queued, and paid for like any line, so the server
    /// never sees more than the bucket allows; a reply that follows at once has one token less of its burst (with
    /// a burst of 1 it waits one interval). A skipped indicator is simply tried again 3 s later.
    ///
    /// The first indicator waits ``typingDelay``: an answer that comes sooner needs none, and sent at once it would
    /// take its turn on the event loop ahead of the GoAPI request, adding to every answer's latency.
    private func showTyping(to message: IRCIncomingMessage, on network: Network, replyTag: Bool) async {
        var tags = ["+typing": "active"]
        if replyTag, let messageID = message.messageID { tags["+reply"] = messageID }
        let tagMessage = IRCMessage(tags: tags, command: "TAGMSG", parameters: [message.replyTarget])
        do {
            try await Timers.sleep(for: Self.typingDelay)
            while !Task.isCancelled {
                await network.service.sendIfSpare(tagMessage)
                try await Timers.sleep(for: .seconds(3))
            }
        } catch {
            // Cancelled: the answer is here.
        }
    }

    /// How long an answer may take before people are shown that the bot is typing.
    package static let typingDelay = Duration.milliseconds(100)
}
