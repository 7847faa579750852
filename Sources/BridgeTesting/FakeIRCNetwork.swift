import IRC
import Synchronization

/// An IRC network without a server, for testing the bridge's routing: a test pushes the events the IRC client
/// would produce, and reads back every line the bridge handed to the network, in order.
///
/// The session the bridge sees (nick, ISUPPORT, capabilities) is a plain ``snapshot`` a test may change at any
/// time, and ``refuseNextEnqueues(_:)`` makes ``enqueue(_:target:expiresAt:)`` refuse lines the way a full flood
/// queue does. Finishing the event stream (``finish()``) ends the bridge's loop for this network, as a
/// stopping network service does.
package final class FakeIRCNetwork: IRCNetworkConnection {
    /// A message the bridge handed to the network.
    package struct Sent: Sendable, Hashable {
        /// How the message was handed over.
        package enum Route: Sendable, Hashable {
            /// Through flood control with ``enqueue(_:target:expiresAt:)``, to be dropped if still waiting at the
            /// instant given.
            case queued(expiresAt: ContinuousClock.Instant)
            /// Best effort with ``sendIfSpare(_:)`` (the fake always has a token to spare).
            case bestEffort
        }

        /// The message.
        package var message: IRCMessage
        /// The target the bridge named (for ``Route/bestEffort``, the message's first parameter).
        package var target: String
        /// How it was handed over.
        package var route: Route

        /// The message's text (last parameter), or `""` for a message without parameters.
        package var text: String {
            self.message.parameters.last ?? ""
        }

        /// The expiry given to flood control, or `nil` for a best-effort message.
        package var expiresAt: ContinuousClock.Instant? {
            switch self.route {
            case .queued(let expiresAt): expiresAt
            case .bestEffort: nil
            }
        }

        /// Whether the real network service would put the message on the wire; it refuses (and only logs) a
        /// message that cannot be serialized safely, such as one with a line break in a parameter.
        package var isSendable: Bool {
            (try? self.message.checkedSerialization()) != nil
        }

        /// Whether a person in the target sees it as a line of text (PRIVMSG or NOTICE), unlike a TAGMSG.
        var isTextLine: Bool {
            self.message.command == "PRIVMSG" || self.message.command == "NOTICE"
        }
    }

    /// Why waiting for lines failed.
    package struct WaitTimedOut: Error, CustomStringConvertible {
        /// The target waited on.
        package var target: String
        /// Lines wanted.
        package var count: Int
        /// How long the test waited.
        package var timeout: Duration
        /// Unread lines to the target when the wait gave up.
        package var unread: [IRCMessage]
        /// Every message sent so far, to any target.
        package var allSent: [Sent]

        /// What was awaited and what had been sent instead, for the test's failure message.
        package var description: String {
            "no \(self.count) line(s) to \(self.target) within \(self.timeout); unread there: "
                + "\(self.unread.map(\.parameters)); everything sent: \(self.allSent.map(\.message.parameters))"
        }
    }

    private struct Waiter {
        var id: Int
        var foldedTarget: String
        var count: Int
        var continuation: CheckedContinuation<[IRCMessage], any Error>
    }

    private struct State {
        var snapshot: IRCNetworkService.Snapshot
        var refusalsLeft = 0
        var sent: [Sent] = []
        var rejected: [Sent] = []
        /// Text lines already returned by ``nextLines(to:count:timeout:)``, per folded target.
        var read: [String: Int] = [:]
        var waiters: [Waiter] = []
        var nextWaiterID = 0
        var observer: (@Sendable (Sent) -> Void)?
        var shutdownNotices = ShutdownNotices()

        func fold(_ target: String) -> String {
            self.snapshot.isupport.caseMapping.fold(target)
        }

        func textLines(toFolded target: String) -> [IRCMessage] {
            self.sent.filter { $0.isTextLine && self.fold($0.target) == target }.map(\.message)
        }

        /// Takes the next `count` unread text lines to `target`, or nothing when fewer have been sent.
        mutating func take(_ count: Int, toFolded target: String) -> [IRCMessage]? {
            let lines = self.textLines(toFolded: target)
            let start = self.read[target, default: 0]
            guard lines.count - start >= count else { return nil }
            self.read[target] = start + count
            return Array(lines[start..<(start + count)])
        }

        /// Hands newly sent lines to the waiters they complete, oldest waiter first.
        mutating func satisfiedWaiters() -> [(Waiter, [IRCMessage])] {
            var satisfied: [(Waiter, [IRCMessage])] = []
            var remaining: [Waiter] = []
            for waiter in self.waiters {
                if let lines = self.take(waiter.count, toFolded: waiter.foldedTarget) {
                    satisfied.append((waiter, lines))
                } else {
                    remaining.append(waiter)
                }
            }
            self.waiters = remaining
            return satisfied
        }
    }

    /// The nick the bot has in ``defaultSnapshot(messageTags:isupport:)``.
    package static let botNick = "gptbot"

    private let state: Mutex<State>
    private let eventStream:
        (stream: AsyncStream<IRCClientEvent>, continuation: AsyncStream<IRCClientEvent>.Continuation)

    /// Events for the bridge, as pushed by ``receive(_:)``; ends at ``finish()``.
    package var events: AsyncStream<IRCClientEvent> { self.eventStream.stream }

    /// Creates a network whose session is `snapshot`.
    package init(snapshot: IRCNetworkService.Snapshot = FakeIRCNetwork.defaultSnapshot()) {
        self.state = Mutex(State(snapshot: snapshot))
        self.eventStream = AsyncStream.makeStream()
    }

    /// A registered session as ``botNick`` on a server advertising `PREFIX=(ov)@+ CASEMAPPING=rfc1459` (plus
    /// `isupport`), with the `message-tags` capability acknowledged or not.
    package static func defaultSnapshot(
        messageTags: Bool = false,
        isupport: [String] = []
    ) -> IRCNetworkService.Snapshot {
        IRCNetworkService.Snapshot(
            nick: Self.botNick,
            userHost: (user: "gptbot", host: "bots.example.org"),
            isupport: ISupport(tokens: ["PREFIX=(ov)@+", "CASEMAPPING=rfc1459", "CHANTYPES=#&"] + isupport),
            capabilities: messageTags ? ["message-tags", "server-time"] : ["server-time"]
        )
    }

    /// The session the bridge sees; a test may replace it at any time.
    package var snapshot: IRCNetworkService.Snapshot {
        get { self.state.withLock { $0.snapshot } }
        set { self.state.withLock { $0.snapshot = newValue } }
    }

    /// Every message accepted so far (queued or sent at once), in order.
    package var sent: [Sent] {
        self.state.withLock { $0.sent }
    }

    /// Makes the next `count` calls of ``enqueue(_:target:expiresAt:)`` report a full queue, then accept again.
    package func refuseNextEnqueues(_ count: Int = 1) {
        self.state.withLock { $0.refusalsLeft += count }
    }

    /// Calls `observer` with every message accepted from now on, as the bridge hands it over (before the call
    /// returns to the bridge), so a test can note what else had happened by then.
    package func onSend(_ observer: @escaping @Sendable (Sent) -> Void) {
        self.state.withLock { $0.observer = observer }
    }

    /// Messages refused because the queue was full.
    package var rejected: [Sent] {
        self.state.withLock { $0.rejected }
    }

    /// Every PRIVMSG and NOTICE sent to `target` so far (compared with the snapshot's CASEMAPPING), read or not.
    package func lines(to target: String) -> [IRCMessage] {
        self.state.withLock { $0.textLines(toFolded: $0.fold(target)) }
    }

    /// Delivers an event to the bridge.
    package func receive(_ event: IRCClientEvent) {
        self.eventStream.continuation.yield(event)
    }

    /// Delivers a PRIVMSG to the bridge.
    package func receive(_ message: IRCIncomingMessage) {
        self.receive(.message(message))
    }

    /// Ends the event stream: the bridge stops reading this network once it has handled what came before.
    package func finish() {
        self.eventStream.continuation.finish()
    }

    /// Records `messages` as queued for `target`, unless the queue is made to look full (then `false`). They count
    /// as written at once, so the notice they settle is withdrawn at once, as the real service does in either case.
    @discardableResult
    package func enqueue(
        _ messages: [IRCMessage],
        target: String,
        expiresAt: ContinuousClock.Instant,
        settling notice: ShutdownNotices.ID?
    ) -> Bool {
        let records = messages.map { Sent(message: $0, target: target, route: .queued(expiresAt: expiresAt)) }
        let (accepted, observer) = self.state.withLock { state -> (Bool, (@Sendable (Sent) -> Void)?) in
            if let notice { state.shutdownNotices.withdraw(notice) }
            guard state.refusalsLeft == 0 else {
                state.refusalsLeft -= 1
                state.rejected += records
                return (false, nil)
            }
            return (true, state.observer)
        }
        guard accepted else { return false }
        self.record(records, observer: observer)
        return true
    }

    /// Records `message` as sent best effort, as if flood control always had a token to spare.
    package func sendIfSpare(_ message: IRCMessage) async {
        let record = Sent(message: message, target: message.parameters.first ?? "", route: .bestEffort)
        self.record([record], observer: self.state.withLock { $0.observer })
    }

    /// Holds `message` as the real service does; a QUIT would send what ``heldShutdownNotices`` lists.
    package func holdShutdownNotice(_ message: IRCMessage) -> ShutdownNotices.ID {
        self.state.withLock { $0.shutdownNotices.hold(message) }
    }

    package func withdrawShutdownNotice(_ id: ShutdownNotices.ID) {
        self.state.withLock { $0.shutdownNotices.withdraw(id) }
    }

    /// The distinct shutdown notices held now (``ShutdownNotices/all``).
    package var heldShutdownNotices: [IRCMessage] {
        self.state.withLock { $0.shutdownNotices.all }
    }

    /// Tells the observer first, then makes the messages visible to ``sent`` and to waiting tests.
    private func record(_ records: [Sent], observer: (@Sendable (Sent) -> Void)?) {
        for record in records { observer?(record) }
        let waiters = self.state.withLock { state in
            state.sent += records
            return state.satisfiedWaiters()
        }
        for (waiter, lines) in waiters {
            waiter.continuation.resume(returning: lines)
        }
    }

    /// Waits for the next `count` PRIVMSG or NOTICE lines to `target` (compared with the snapshot's CASEMAPPING)
    /// that no earlier call returned; throws ``WaitTimedOut`` after `timeout`. The default timeout is long: it
    /// only bounds how late lines that do come may be, and a loaded machine can be many times slower.
    package func nextLines(
        to target: String,
        count: Int = 1,
        timeout: Duration = .seconds(30)
    ) async throws -> [IRCMessage] {
        try await withThrowingTaskGroup(of: [IRCMessage].self) { group in
            group.addTask { try await self.waitForLines(to: target, count: count) }
            group.addTask {
                try await Task.sleep(for: timeout)
                throw self.state.withLock { state in
                    let folded = state.fold(target)
                    let lines = state.textLines(toFolded: folded)
                    return WaitTimedOut(
                        target: target,
                        count: count,
                        timeout: timeout,
                        unread: Array(lines.dropFirst(state.read[folded, default: 0])),
                        allSent: state.sent
                    )
                }
            }
            defer { group.cancelAll() }
            guard let lines = try await group.next() else {
                preconditionFailure("Invalid state: a task group with two tasks returned nothing")
            }
            return lines
        }
    }

    /// Waits for the next line to `target`; see ``nextLines(to:count:timeout:)``.
    package func nextLine(to target: String, timeout: Duration = .seconds(30)) async throws -> IRCMessage {
        try await self.nextLines(to: target, count: 1, timeout: timeout)[0]
    }

    private func waitForLines(to target: String, count: Int) async throws -> [IRCMessage] {
        let id = self.state.withLock { state in
            defer { state.nextWaiterID += 1 }
            return state.nextWaiterID
        }
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                let ready = self.state.withLock { state -> Result<[IRCMessage], any Error>? in
                    guard !Task.isCancelled else { return .failure(CancellationError()) }
                    let folded = state.fold(target)
                    if let lines = state.take(count, toFolded: folded) { return .success(lines) }
                    state.waiters.append(
                        Waiter(id: id, foldedTarget: folded, count: count, continuation: continuation)
                    )
                    return nil
                }
                if let ready { continuation.resume(with: ready) }
            }
        } onCancel: {
            let waiter = self.state.withLock { state -> Waiter? in
                guard let index = state.waiters.firstIndex(where: { $0.id == id }) else { return nil }
                return state.waiters.remove(at: index)
            }
            waiter?.continuation.resume(throwing: CancellationError())
        }
    }
}

extension FakeIRCNetwork {
    /// Delivers a channel line from `nick` (source `nick!nick@users.example.org` unless given).
    package func say(
        _ text: String,
        in channel: String,
        from nick: String,
        source: String? = nil,
        isOperator: Bool = false,
        messageID: String? = nil
    ) {
        self.receive(
            IRCIncomingMessage(
                nick: nick,
                source: source ?? "\(nick)!\(nick)@users.example.org",
                target: channel,
                replyTarget: channel,
                isPrivate: false,
                text: text,
                messageID: messageID,
                senderIsChannelOperator: isOperator
            )
        )
    }

    /// Delivers a private line from `nick` to the bot (source `nick!nick@users.example.org` unless given).
    package func query(_ text: String, from nick: String, source: String? = nil, messageID: String? = nil) {
        self.receive(
            IRCIncomingMessage(
                nick: nick,
                source: source ?? "\(nick)!\(nick)@users.example.org",
                target: self.snapshot.nick,
                replyTarget: nick,
                isPrivate: true,
                text: text,
                messageID: messageID
            )
        )
    }
}
