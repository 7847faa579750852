import NIOCore

/// Paces outgoing lines so the server never disconnects the bridge for flooding, and shares the pace fairly.
///
/// A token bucket: ``Configuration/burst`` lines may go at once, then one more per ``Configuration/interval``.
/// Lines wait in one queue per target and leave round-robin, so a long answer in `#busy` cannot hold back a
/// two-line answer in `#quiet`. Queues are bounded and lines may carry a deadline after which sending them would
/// only confuse (the conversation has moved on); expired lines are dropped and reported.
///
/// Pure: time is passed in, so a transport loops over ``next(now:)`` and sleeps on its own clock:
/// ```swift
/// switch bucket.next(now: clock.now) {
/// case .send(let line, let target): write(line)
/// case .wait(let deadline): try await clock.sleep(until: deadline)
/// case .expired(let lines, let target): logger.info("…", metadata: ["irc.channel": "\(target)"])
/// case .idle: await nextEnqueue()
/// }
/// ```
package struct FloodControl<Line: Sendable, Instant: InstantProtocol>: Sendable where Instant.Duration == Duration {
    /// The pace and the bounds.
    package struct Configuration: Sendable, Hashable {
        /// How many lines may be sent back to back after a quiet spell; at least 1.
        package var burst: Int
        /// How long it takes to earn one more line; at least one millisecond.
        package var interval: Duration
        /// How many lines one target may have waiting; more are refused so a runaway reply cannot eat memory.
        package var maximumQueueDepthPerTarget: Int

        /// Creates a configuration; the defaults (4 lines, then one per 2 s) stay under every common ircd's
        /// flood limit.
        package init(burst: Int = 4, interval: Duration = .seconds(2), maximumQueueDepthPerTarget: Int = 100) {
            self.burst = max(burst, 1)
            self.interval = max(interval, .milliseconds(1))
            self.maximumQueueDepthPerTarget = max(maximumQueueDepthPerTarget, 1)
        }
    }

    /// What the transport should do next.
    package enum Action: Sendable {
        /// Write `line` (addressed to `target`) now; a token has been spent on it.
        case send(Line, target: String)
        /// Lines are waiting but no token is left; ask again at `until`.
        case wait(until: Instant)
        /// `lines` for `target` passed their deadline and were dropped, in queue order; log it and ask again.
        case expired([Line], target: String)
        /// Nothing is queued; ask again after the next enqueue.
        case idle
    }

    /// Whether lines were queued.
    package enum EnqueueResult: Sendable, Hashable {
        /// All lines were queued; `depth` is the target's queue length now.
        case queued(depth: Int)
        /// The target's queue had no room for all of them, so none was queued (half a reply would mislead).
        case full
    }

    /// A queued line and its deadline.
    struct Item: Sendable {
        /// The line to send.
        var line: Line
        /// When the line stops being worth sending; `nil` for never.
        var expiresAt: Instant?
    }

    /// The pace and bounds in force.
    package let configuration: Configuration
    /// Lines that may be sent right now.
    var tokens: Int
    /// The instant the next token is counted from; `nil` while the bucket is full and earns nothing.
    var refillStart: Instant?
    /// Waiting lines per target.
    var queues: [String: CircularBuffer<Item>]
    /// Targets with waiting lines, in the order they get their next turn.
    var rotation: CircularBuffer<String>
    /// How many lines wait across all targets, for metrics and status replies.
    package internal(set) var queueDepth: Int

    /// Creates a full bucket with empty queues.
    package init(configuration: Configuration = Configuration()) {
        self.configuration = configuration
        self.tokens = configuration.burst
        self.refillStart = nil
        self.queues = [:]
        self.rotation = CircularBuffer()
        self.queueDepth = 0
    }

    /// How many lines wait for `target`.
    package func queueDepth(for target: String) -> Int {
        self.queues[target]?.count ?? 0
    }

    /// How many lines wait for targets other than `held` (see ``next(now:holding:)``), which are the lines that can
    /// go out now.
    package func queueDepth(excluding held: Set<String>) -> Int {
        held.isEmpty ? self.queueDepth : self.queueDepth - held.reduce(0) { $0 + self.queueDepth(for: $1) }
    }
}

extension FloodControl.Action: Equatable where Line: Equatable {}
