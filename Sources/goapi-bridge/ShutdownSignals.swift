/// What each SIGTERM or SIGINT asks for: the first starts a graceful shutdown, a later one cancels what is left of
/// it. Pure; time is passed in.
///
/// A signal within ``duplicateWindow`` of the first is the same request delivered twice, not a second one: GNU
/// `timeout` signals the process and then its whole process group, and some supervisors and shells do the same.
/// Taken as a second signal, it skipped the grace period and cut answers short that nobody asked to cut short.
struct ShutdownSignals: Sendable {
    /// What to do about a signal.
    enum Action: Sendable, Hashable {
        /// Start the graceful shutdown.
        case shutDownGracefully
        /// A repeat of the first signal's delivery; nothing more to do.
        case ignoreRepeat
        /// Cancel what is left of the shutdown.
        case cancelShutdown
    }

    /// How close to the first signal another one counts as the same request.
    static let duplicateWindow: Duration = .milliseconds(500)

    private var firstAt: ContinuousClock.Instant?

    /// Decides what the signal received at `now` asks for.
    mutating func received(at now: ContinuousClock.Instant) -> Action {
        guard let firstAt else {
            self.firstAt = now
            return .shutDownGracefully
        }
        return now - firstAt < Self.duplicateWindow ? .ignoreRepeat : .cancelShutdown
    }
}
