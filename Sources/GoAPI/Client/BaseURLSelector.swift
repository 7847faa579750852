/// Chooses among GoAPI's API domains: the first is preferred; a connect failure moves to the next one, and that
/// choice is kept for `stickiness` so every question does not first wait for the broken domain, after which the
/// preferred domain is tried again. Pure: time is an argument.
package struct BaseURLSelector<Instant: InstantProtocol>: Sendable where Instant.Duration == Duration {
    /// The domains, preferred first; never empty.
    package let baseURLs: [String]
    /// How long a move away from the preferred domain holds.
    package let stickiness: Duration
    private var current = 0
    private var until: Instant?

    /// Creates a selector; `baseURLs` must not be empty.
    package init(baseURLs: [String], stickiness: Duration = .seconds(600)) {
        precondition(!baseURLs.isEmpty, "at least one base URL is required")
        self.baseURLs = baseURLs
        self.stickiness = stickiness
    }

    /// The index of the domain to use now.
    package mutating func currentIndex(now: Instant) -> Int {
        if let until, now >= until {
            self.current = 0
            self.until = nil
        }
        return self.current
    }

    /// The domain at `index` could not be reached: moves on, unless another failure already did.
    package mutating func failed(index: Int, now: Instant) {
        guard index == self.currentIndex(now: now), self.baseURLs.count > 1 else { return }
        self.current = (index + 1) % self.baseURLs.count
        self.until = self.current == 0 ? nil : now.advanced(by: self.stickiness)
    }
}
