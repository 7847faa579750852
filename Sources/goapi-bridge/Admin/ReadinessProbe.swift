import Foundation
import Synchronization

/// What `/readyz` checks: each part of the bridge that must work for questions to be answered, by name. A check
/// returns nil when its part is ready, or a short reason when it is not.
struct ReadinessProbe: Sendable {
    /// One named check.
    struct Check: Sendable {
        /// The part's name in the JSON body, e.g. `store` or `irc:libera`.
        var name: String
        /// Something an operator should know even while the part is ready (a channel the bot cannot join); shown
        /// as the detail when the part is ready.
        var note: @Sendable () async -> String?
        /// Nil when ready, else why not.
        var evaluate: @Sendable () async -> String?

        /// Creates a check.
        init(
            name: String,
            note: @escaping @Sendable () async -> String? = { nil },
            evaluate: @escaping @Sendable () async -> String?
        ) {
            self.name = name
            self.note = note
            self.evaluate = evaluate
        }
    }

    /// The result of running every check.
    struct Report: Sendable, Encodable {
        /// One part's state.
        struct Part: Sendable, Encodable {
            /// Whether the part is ready.
            var ready: Bool
            /// Why not, when not.
            var detail: String?
        }

        /// True when every part is ready.
        var ready: Bool
        /// Each part by name.
        var checks: [String: Part]
    }

    /// The checks, run concurrently.
    var checks: [Check]

    /// Runs every check.
    func report() async -> Report {
        let parts = await withTaskGroup(of: (String, Report.Part).self) { group in
            for check in self.checks {
                group.addTask {
                    guard let reason = await check.evaluate() else {
                        return (check.name, Report.Part(ready: true, detail: await check.note()))
                    }
                    return (check.name, Report.Part(ready: false, detail: reason))
                }
            }
            var parts: [String: Report.Part] = [:]
            for await (name, part) in group { parts[name] = part }
            return parts
        }
        return Report(ready: parts.values.allSatisfy(\.ready), checks: parts)
    }
}

extension ReadinessProbe.Check {
    /// Runs `body` with a deadline, so a hung part reports "not ready" instead of hanging the probe.
    ///
    /// The answer does not wait for `body` to end: a check that ignores cancellation (a SQLite write waiting out
    /// its busy timeout while another process holds the lock) is left to finish on its own, after it was cancelled,
    /// instead of holding the probe's answer past its bound.
    static func bounded(
        _ name: String,
        timeout: Duration = .seconds(2),
        _ body: @escaping @Sendable () async -> String?
    ) -> Self {
        Self(name: name) {
            await withCheckedContinuation { (continuation: CheckedContinuation<String?, Never>) in
                let pending = Mutex<CheckedContinuation<String?, Never>?>(continuation)
                let answer: @Sendable (String?) -> Bool = { result in
                    guard let waiting = pending.withLock({ $0.take() }) else { return false }
                    waiting.resume(returning: result)
                    return true
                }
                let check = Task { _ = answer(await body()) }
                Task {
                    try? await Task.sleep(for: timeout)
                    if answer("no answer within \(timeout)") { check.cancel() }
                }
            }
        }
    }
}
