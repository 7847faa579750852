import IRC
import Logging
import ServiceLifecycle
import Store
import Synchronization
import Webhooks

/// The IRC front end of the bridge: reads every network's events, decides which lines are for the bot,
/// answers commands, and runs questions through GoAPI one at a time per conversation.
package final class IRCBridge: Service, Sendable {
    /// A question waiting for, or being given, an answer.
    struct Job: Sendable {
        var message: IRCIncomingMessage
        var question: String
        var key: String
        /// The line the network holds for the asker until the answer's last line is written (see
        /// ``IRCNetworkConnection/holdShutdownNotice(_:)``).
        var shutdownNotice: ShutdownNotices.ID
    }

    /// One network with the bridge's state for it.
    final class Network: Sendable {
        let service: any IRCNetworkConnection
        let configuration: IRCBridgeConfiguration
        let queues: ConversationQueues<Job>
        let limiter: Mutex<UserRateLimiter>
        /// Commands have a budget of their own, twice the questions' and at least 10 per period (an operator
        /// setting a channel up sends several in a row): each answers in the channel, so without one a single
        /// person could make the bot flood it (and fill its send queue for everyone else's answers).
        let commandLimiter: Mutex<UserRateLimiter>
        /// Who was just told of a refusal (see ``RefusalNotices``).
        let refusals = Mutex(RefusalNotices())
        let trigger: IRCTrigger
        /// Where the askers of waiting questions are now (see ``AskerNicks``).
        let askers = Mutex(AskerNicks())

        init(service: any IRCNetworkConnection, configuration: IRCBridgeConfiguration) {
            self.service = service
            self.configuration = configuration
            self.queues = ConversationQueues(limit: configuration.queueLimit)
            self.limiter = Mutex(
                UserRateLimiter(questions: configuration.userRateQuestions, period: configuration.userRatePeriod)
            )
            self.commandLimiter = Mutex(
                UserRateLimiter(
                    questions: max(2 * configuration.userRateQuestions, 10),
                    period: configuration.userRatePeriod
                )
            )
            self.trigger = IRCTrigger(prefix: configuration.commandPrefix)
        }
    }

    let networks: [Network]
    let asker: ConversationAsker
    let store: any BridgeStore
    let defaults: ProfileDefaults
    /// Saves answers longer than `maxLinesPerReply` as full-reply pages; nil when there is no public HTTP server
    /// to show them (no `webhooks.publicBaseURL`), and the overflow is then only stated.
    let replyPages: ReplyPagePublisher?
    let logger: Logger

    /// Creates the bridge over already-created network services.
    package init(
        networks: [(service: any IRCNetworkConnection, configuration: IRCBridgeConfiguration)],
        asker: ConversationAsker,
        store: any BridgeStore,
        defaults: ProfileDefaults,
        replyPages: ReplyPagePublisher? = nil,
        logger: Logger
    ) {
        self.networks = networks.map { Network(service: $0.service, configuration: $0.configuration) }
        self.asker = asker
        self.store = store
        self.defaults = defaults
        self.replyPages = replyPages
        self.logger = logger
    }

    /// Serves every network until graceful shutdown; questions already being answered are finished first.
    package func run() async throws {
        await withDiscardingTaskGroup { group in
            for network in self.networks {
                group.addTask { await self.serve(network) }
            }
        }
    }

    private func serve(_ network: Network) async {
        await withDiscardingTaskGroup { workers in
            for await event in network.service.events.cancelOnGracefulShutdown() {
                switch event {
                case .message(let message):
                    guard let job = await self.route(message, on: network) else { continue }
                    workers.addTask { await self.work(job, on: network) }
                case .userRenamed(let old, let new):
                    let caseMapping = network.service.snapshot.isupport.caseMapping
                    network.askers.withLock { $0.renamed(from: old, to: new, caseMapping: caseMapping) }
                    // Budgets follow the person: `/nick` must not refill them.
                    let (oldKey, newKey) = (caseMapping.fold(old), caseMapping.fold(new))
                    network.limiter.withLock { $0.renamed(from: oldKey, to: newKey, now: .now) }
                    network.commandLimiter.withLock { $0.renamed(from: oldKey, to: newKey, now: .now) }
                    network.refusals.withLock { $0.renamed(from: oldKey, to: newKey) }
                case .userQuit(let nick):
                    let caseMapping = network.service.snapshot.isupport.caseMapping
                    network.askers.withLock { $0.quit(nick, caseMapping: caseMapping) }
                default:
                    continue
                }
            }
        }
    }

    /// Answers `job`, then every question queued behind it in the same conversation.
    private func work(_ job: Job, on network: Network) async {
        var next: Job? = job
        while let current = next {
            // The answer's last line, once written, settles the asker's held shutdown notice.
            await self.answer(current, on: network)
            // Cancelled means a forced shutdown: the questions queued behind this one must not reach GoAPI any
            // more. Their held notices stay and go out ahead of the QUIT.
            guard !Task.isCancelled else { return }
            next = network.queues.next(after: current.key)
        }
    }

    /// Logger with the message's routing metadata.
    func logger(for message: IRCIncomingMessage, on network: Network) -> Logger {
        var logger = self.logger
        logger[metadataKey: "irc.network"] = .string(network.configuration.network)
        logger[metadataKey: "irc.channel"] = .string(message.replyTarget)
        logger[metadataKey: "irc.nick"] = .string(message.nick)
        return logger
    }
}
