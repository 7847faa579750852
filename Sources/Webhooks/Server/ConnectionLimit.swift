import Synchronization

/// How many connections the webhook server holds open, against its limit. Every connection costs a file
/// descriptor, which the IRC connections, the database and reply delivery share: a flood of connections (or many
/// stalled ones) must not leave the rest of the bridge without.
final class ConnectionLimit: Sendable {
    /// The most connections held open at once.
    let maximum: Int
    private let open = Atomic<Int>(0)
    private let refusals = Mutex(Refusals())

    private struct Refusals {
        var unreported = 0
        var reportedAt: ContinuousClock.Instant?
    }

    init(maximum: Int) {
        self.maximum = max(maximum, 1)
    }

    /// Connections open now.
    var count: Int { self.open.load(ordering: .relaxed) }

    /// Counts a new connection in; false (and nothing counted) when the limit is reached.
    func tryOpen() -> Bool {
        let (_, now) = self.open.add(1, ordering: .relaxed)
        guard now > self.maximum else { return true }
        self.open.subtract(1, ordering: .relaxed)
        self.refusals.withLock { $0.unreported += 1 }
        return false
    }

    /// Counts a connection out.
    func close() {
        self.open.subtract(1, ordering: .relaxed)
    }

    /// Refusals since the last report, when one is due: the first refusal at once, then at most one report a
    /// minute, so a flood of connections is one log line a minute rather than one per connection.
    func refusalsToReport(now: ContinuousClock.Instant) -> Int? {
        self.refusals.withLock { refusals in
            guard refusals.unreported > 0 else { return nil }
            if let reportedAt = refusals.reportedAt, now - reportedAt < .seconds(60) { return nil }
            defer { refusals = Refusals(unreported: 0, reportedAt: now) }
            return refusals.unreported
        }
    }
}
