import Logging
import NIOCore
import ServiceLifecycle
import Synchronization

extension IRCNetworkService {
    /// Runs one connection until it closes; returns why the state machine closed it (nil if the server did).
    func runSession(_ channel: NIOAsyncChannel<IRCLineFramer.Frame, ByteBuffer>) async throws -> IRCDisconnectReason? {
        try await channel.executeThenClose { inbound, outbound in
            let wakeup = AsyncStream<Void>.makeStream(bufferingPolicy: .bufferingNewest(1))
            let initial = self.state.withLock { state in
                state.outbound = outbound
                state.writerWakeup = wakeup.continuation
                return state.machine.connected(now: .now)
            }
            self.metrics.record(.registering)
            if let reason = try await self.perform(initial, outbound) { return reason }
            let shutdown = AsyncStream<Void>.makeStream()
            return try await withTaskCancellationHandler {
                try await self.runRegistered(inbound, outbound, wakeup: wakeup.stream, shutdown: shutdown)
            } onCancel: {
                self.quitAtOnce(channel.channel)
            }
        }
    }

    /// The session's loops, after the opening lines: reading, timers, writing, and goodbye at graceful shutdown.
    private func runRegistered(
        _ inbound: NIOAsyncChannelInboundStream<IRCLineFramer.Frame>,
        _ outbound: NIOAsyncChannelOutboundWriter<ByteBuffer>,
        wakeup: AsyncStream<Void>,
        shutdown: (stream: AsyncStream<Void>, continuation: AsyncStream<Void>.Continuation)
    ) async throws -> IRCDisconnectReason? {
        try await withGracefulShutdownHandler {
            try await withThrowingTaskGroup(of: IRCDisconnectReason?.self) { group in
                group.addTask { try await self.readLoop(inbound, outbound) }
                group.addTask { try await self.tickLoop(outbound) }
                group.addTask { try await self.writeLoop(outbound, wakeups: wakeup) }
                group.addTask {
                    for await _ in shutdown.stream { break }
                    // The wait also ends when the session ends for another reason and cancels this task;
                    // only a real shutdown request says goodbye.
                    guard !Task.isCancelled else { return nil }
                    try await self.quit(outbound)
                    return .shutdown
                }
                let first = try await group.next() ?? nil
                group.cancelAll()
                return first
            }
        } onGracefulShutdown: {
            shutdown.continuation.yield()
        }
    }

    /// Forced shutdown (the grace period is over, or a second signal came): the session's tasks are cancelled and
    /// can await nothing more, so the QUIT goes straight to the channel, where it is written ahead of the close
    /// that follows. The server then tells the channels the bot quit, instead of a "connection reset" some time
    /// later. The shutdown notices still held go first, so people whose questions were cut off, or whose answers
    /// were still queued, know to ask again. Nothing is sent if the graceful goodbye already went out. A line the
    /// write loop is writing at this very moment still holds its notice, so that asker may get both.
    private func quitAtOnce(_ channel: any Channel) {
        let (actions, notices) = self.state.withLock { self.goodbye(&$0) }
        let quits = actions.compactMap { action -> IRCMessage? in
            guard case .send(let message) = action else { return nil }
            return message
        }
        guard !quits.isEmpty else { return }
        for line in (notices.messages + quits).compactMap(self.wireLine) {
            channel.write(line, promise: nil)
            self.metrics.sent()
        }
        channel.flush()
        self.logQuit("sent QUIT (shutdown cut short)", notices: notices)
    }

    private func readLoop(
        _ inbound: NIOAsyncChannelInboundStream<IRCLineFramer.Frame>,
        _ outbound: NIOAsyncChannelOutboundWriter<ByteBuffer>
    ) async throws -> IRCDisconnectReason? {
        for try await frame in inbound {
            self.metrics.received()
            let actions: [IRCClientAction]
            switch frame {
            case .line(let line):
                do {
                    let message = try IRCMessage(parsing: line)
                    // Redacted too: with echo-message the server sends our own lines back, secrets included.
                    self.logger.trace("received", metadata: ["irc.line": "\(message.redactedForLog)"])
                    let (received, state) = self.state.withLock { state in
                        state.serverSpoke = true
                        let caseMapping = state.machine.isupport.caseMapping
                        let received = state.machine.receive(message, now: .now)
                        if state.machine.isupport.caseMapping != caseMapping {
                            // Waiting lines were queued under the old folding (see `FloodControl.renameTargets`).
                            state.flood.renameTargets(state.machine.isupport.caseMapping.fold)
                        }
                        for case .event(.userRenamed(let old, let new)) in received {
                            state.flood.retarget(state.machine.fold(old), to: state.machine.fold(new)) {
                                $0.retargeted(from: old, to: new, caseMapping: state.machine.isupport.caseMapping)
                            }
                        }
                        // Private lines still queued for someone who quit would go to whoever takes the nick next.
                        // Their answers are settled: no notice about them should come out of the blue at a shutdown.
                        for case .event(.userQuit(let nick)) in received {
                            let dropped = state.flood.removeLines(for: state.machine.fold(nick))
                            for case let notice? in dropped.map(\.settles) { state.shutdownNotices.withdraw(notice) }
                        }
                        return (received, state.machine.metricsState)
                    }
                    actions = received
                    self.metrics.record(state)
                } catch {
                    actions = [.event(.malformedLine(reason: "\(error)"))]
                }
            case .oversized(let byteCount):
                actions = [.event(.malformedLine(reason: "line of \(byteCount) bytes exceeds the IRC limit"))]
            }
            if let reason = try await self.perform(actions, outbound) { return reason }
        }
        return nil
    }

    private func tickLoop(_ outbound: NIOAsyncChannelOutboundWriter<ByteBuffer>) async throws -> IRCDisconnectReason? {
        while true {
            try await Task.sleep(for: .seconds(1))
            let actions = self.state.withLock { state in
                state.writerWakeup?.yield()
                return state.machine.tick(now: .now)
            }
            if let reason = try await self.perform(actions, outbound) { return reason }
        }
    }

    /// Drains the flood queue at the bucket's pace; sleeps until a token is due or new lines arrive.
    private func writeLoop(
        _ outbound: NIOAsyncChannelOutboundWriter<ByteBuffer>,
        wakeups: AsyncStream<Void>
    ) async throws -> IRCDisconnectReason? {
        var wakeups = wakeups.makeAsyncIterator()
        while true {
            let (decision, depth) = self.state.withLock { state in
                guard state.machine.isRegistered else {
                    return (FloodControl<QueuedLine, ContinuousClock.Instant>.Action.idle, state.flood.queueDepth)
                }
                let decision = state.flood.next(now: .now, holding: state.machine.channelsAwaitingJoin)
                if case .send = decision { state.linesBeingWritten += 1 }
                return (decision, state.flood.queueDepth)
            }
            self.metrics.queue(depth: depth)
            switch decision {
            case .send(let line, _):
                // Settled even when the write fails: the connection is gone with the line, and a notice about it
                // at some later shutdown would come out of the blue.
                defer {
                    self.state.withLock { state in
                        state.linesBeingWritten -= 1
                        if let notice = line.settles { state.shutdownNotices.withdraw(notice) }
                    }
                }
                try await outbound.write(ByteBuffer(string: line.text))
                self.metrics.sent()
            case .expired(let lines, let target):
                // An answer dropped for its age is settled too: a notice about it at some later shutdown would
                // come out of the blue.
                self.state.withLock { state in
                    for case let notice? in lines.lazy.map(\.settles) { state.shutdownNotices.withdraw(notice) }
                }
                self.logger.notice(
                    "dropped queued lines that waited too long",
                    metadata: ["irc.target": "\(target)", "irc.dropped_lines": "\(lines.count)"]
                )
            case .wait(let until):
                try await Task.sleep(until: until, clock: .continuous)
            case .idle:
                // Woken by new lines, and by every tick (so a finished registration is noticed within a second).
                guard await wakeups.next() != nil else { return nil }
            }
        }
    }

    /// Graceful shutdown: let the flood queue drain (replies finished during shutdown still reach people), for
    /// at most `drainTimeout`, then say goodbye. Whoever's answer is still queued then is told to ask again first.
    private func quit(_ outbound: NIOAsyncChannelOutboundWriter<ByteBuffer>) async throws {
        let deadline = ContinuousClock.now + self.drainTimeout
        // Cancelled means cut short: the QUIT has gone out already (see `quitAtOnce`). A line being written still
        // counts, so its answer's notice is settled before the goodbye looks at what is held.
        // Lines held for a channel the bot is out of cannot go, so they are not waited for (nor can a notice in
        // that channel reach their askers).
        // Before registration nothing is sent at all, so there is nothing to wait for either.
        let pending = {
            self.state.withLock { state in
                guard state.machine.isRegistered else { return state.linesBeingWritten }
                return state.flood.queueDepth(excluding: state.machine.channelsAwaitingJoin) + state.linesBeingWritten
            }
        }
        while pending() > 0, ContinuousClock.now < deadline, !Task.isCancelled {
            try? await Task.sleep(for: .milliseconds(50))
        }
        let (actions, notices) = self.state.withLock { self.goodbye(&$0) }
        // Cut short meanwhile: `quitAtOnce` said goodbye and logged it.
        guard !actions.isEmpty else { return }
        for line in notices.messages.compactMap(self.wireLine) {
            try await outbound.write(line)
            self.metrics.sent()
        }
        _ = try await self.perform(actions, outbound)
        self.logQuit("sent QUIT", notices: notices)
        // Give the server a moment to acknowledge with ERROR and close, as clients are expected to.
        try? await Task.sleep(for: .milliseconds(500))
    }

    /// Ends the session in the state machine. Returns its actions (the QUIT, unless it already went out) and the
    /// held shutdown notices to write just ahead of that QUIT, outside flood control: at most a flood burst of
    /// them, none before registration (a reconnect in progress, when the server would refuse them), and none
    /// when there is no QUIT to send, so a goodbye is never said twice.
    private func goodbye(
        _ state: inout State
    ) -> (actions: [IRCClientAction], notices: (messages: [IRCMessage], leftOut: Int)) {
        let limit = state.machine.isRegistered ? self.floodBurst : 0
        // The session as it was before the goodbye, to tell which channels the bot is out of.
        let machine = state.machine
        let actions = state.machine.shutdown()
        let quits = actions.contains { action in
            if case .send = action { return true }
            return false
        }
        guard quits else { return (actions, ([], 0)) }
        let notices = state.shutdownNotices.messages(limit: limit) { notice in
            notice.parameters.first.map(machine.isAwaitingJoin) ?? false
        }
        return (actions, notices)
    }

    /// Logs a goodbye with what it left unsaid: lines still queued, and the notices sent or left out.
    private func logQuit(_ message: Logger.Message, notices: (messages: [IRCMessage], leftOut: Int)) {
        self.logger.info(
            message,
            metadata: [
                "irc.unsent_lines": "\(self.queueDepth)", "irc.shutdown_notices": "\(notices.messages.count)",
                "irc.shutdown_notices_left_out": "\(notices.leftOut)",
            ]
        )
    }

    /// Carries out actions; returns a reason when one of them closes the connection.
    func perform(
        _ actions: [IRCClientAction],
        _ outbound: NIOAsyncChannelOutboundWriter<ByteBuffer>
    ) async throws -> IRCDisconnectReason? {
        for action in actions {
            switch action {
            case .send(let message):
                self.logger.trace("sending", metadata: ["irc.line": "\(message.redactedForLog)"])
                if let line = self.wireLine(message) {
                    try await outbound.write(line)
                    self.metrics.sent()
                }
            case .sendThrottled(let message, let target):
                if !self.enqueue([message], target: target, expiresAt: .now + .seconds(30)) {
                    self.logger.notice(
                        "flood queue full; dropped a protocol reply",
                        metadata: ["irc.target": "\(target)"]
                    )
                }
            case .event(let event):
                self.log(event)
                self.eventStream.continuation.yield(event)
            case .close(let reason):
                return reason
            }
        }
        return nil
    }

    private func log(_ event: IRCClientEvent) {
        switch event {
        case .registered(let nick):
            self.logger.info("registered", metadata: ["irc.nick": "\(nick)"])
        case .authenticated(let account):
            self.logger.info("SASL authentication succeeded", metadata: ["irc.account": "\(account)"])
        case .authenticationFailed(let reason):
            self.logger.error("SASL authentication failed; not joining channels", metadata: ["irc.reason": "\(reason)"])
        case .nickInUse(let tried, let next):
            self.logger.notice("nick unavailable", metadata: ["irc.nick": "\(tried)", "irc.next_nick": "\(next)"])
        case .nickChanged(let nick):
            self.logger.info("nick changed", metadata: ["irc.nick": "\(nick)"])
        case .joined(let channel):
            self.logger.info("joined channel", metadata: ["irc.channel": "\(channel)"])
        case .joinFailed(let channel, let code, let reason, let wait):
            self.logger.warning(
                "could not join channel; will retry",
                metadata: [
                    "irc.channel": "\(channel)", "irc.numeric": "\(code)", "irc.reason": "\(reason)",
                    "irc.retry_in_seconds": "\(wait.components.seconds)",
                ]
            )
        case .kicked(let channel, let by, let reason, let wait):
            self.logger.notice(
                "kicked; will rejoin",
                metadata: [
                    "irc.channel": "\(channel)", "irc.by": "\(by)", "irc.reason": "\(reason)",
                    "irc.rejoin_in_seconds": "\(wait.components.seconds)",
                ]
            )
        case .message, .userRenamed, .userQuit:
            break
        case .cannotSend(let channel, let reason):
            self.logger.warning(
                "the server refuses the bot's messages to a channel; answers there are lost",
                metadata: ["irc.channel": "\(channel)", "irc.reason": "\(reason)"]
            )
        case .malformedLine(let reason):
            self.logger.notice("skipped a malformed line from the server", metadata: ["irc.reason": "\(reason)"])
        }
    }
}

extension IRCNetworkService {
    /// The bytes for `message`, or `nil` (logged) when it cannot be sent safely: a parameter holding CR, LF or
    /// NUL would let text smuggle in a second command, so such a message is dropped rather than written.
    func wireLine(_ message: IRCMessage) -> ByteBuffer? {
        do {
            return ByteBuffer(string: try message.checkedSerialization() + "\r\n")
        } catch {
            // Not the error itself: it holds the line as it would have been written, credentials and all.
            self.logger.error(
                "refused to send an unsafe line",
                metadata: [
                    "irc.command": "\(message.command)", "irc.line": "\(message.redactedForLog)",
                    "error.code": "\(error.code.rawValue)",
                ]
            )
            return nil
        }
    }
}
