/// Who has just been told they were refused, so that someone who keeps asking gets one notice, not one per line.
///
/// Every refusal notice spends a line of the connection's flood budget. Without this, a person repeating a
/// refused question (or a script doing it for them) made the bot spend its whole budget on notices to them, and
/// the answers to everyone else waited behind those notices. Pure; time is passed in.
package struct RefusalNotices: Sendable {
    /// How long after a notice further refusals of the same person stay silent.
    package let quietPeriod: Duration
    private var toldAt: [String: ContinuousClock.Instant] = [:]

    /// Creates the record; `quietPeriod` is at least one second.
    package init(quietPeriod: Duration = .seconds(30)) {
        self.quietPeriod = max(quietPeriod, .seconds(1))
    }

    /// Whether `person` (folded) should be told of a refusal at `now`; records the notice when they should.
    package mutating func shouldTell(_ person: String, now: ContinuousClock.Instant) -> Bool {
        if let told = self.toldAt[person], now - told < self.quietPeriod { return false }
        self.toldAt[person] = now
        if self.toldAt.count > 1_000 { self.toldAt = self.toldAt.filter { now - $0.value < self.quietPeriod } }
        return true
    }

    /// `old` is now called `new` (both folded): a nick change does not buy another notice.
    package mutating func renamed(from old: String, to new: String) {
        guard old != new, let told = self.toldAt.removeValue(forKey: old) else { return }
        self.toldAt[new] = max(told, self.toldAt[new] ?? told)
    }
}
