import Synchronization
import Timers

/// Tells the delivery service that new outbox work exists, so a question queued by the HTTP server is answered at
/// once instead of at the next poll. Signals coalesce: many signals before a wait wake it once.
///
/// One waiter at a time (the delivery service's loop); a second concurrent waiter is a programming error.
package final class OutboxWakeup: Sendable {
    private struct State {
        var pending = false
        var waiter: CheckedContinuation<Void, Never>?
    }

    private let state = Mutex(State())

    /// Creates a wakeup with no signal pending.
    package init() {}

    /// Wakes the waiter, or the next one if none is waiting.
    package func signal() {
        let waiter = self.state.withLock { state -> CheckedContinuation<Void, Never>? in
            guard let waiter = state.waiter else {
                state.pending = true
                return nil
            }
            state.waiter = nil
            return waiter
        }
        waiter?.resume()
    }

    /// Returns on a signal, after `timeout`, or when the task is cancelled, whichever comes first.
    func wait(upTo timeout: Duration) async {
        // A signal already pending needs no timer and no child tasks: under load that is the common case.
        let signalled = self.state.withLock { state in
            defer { state.pending = false }
            return state.pending
        }
        guard !signalled else { return }
        await withTaskGroup(of: Void.self) { group in
            // A signal usually ends the wait early; Timers.sleep then frees its timer (Task.sleep would not).
            group.addTask { try? await Timers.sleep(for: timeout) }
            group.addTask { await self.nextSignal() }
            await group.next()
            group.cancelAll()
        }
    }

    private func nextSignal() async {
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let resumeNow = self.state.withLock { state -> Bool in
                    if state.pending || Task.isCancelled {
                        state.pending = false
                        return true
                    }
                    precondition(state.waiter == nil, "OutboxWakeup supports one waiter at a time")
                    state.waiter = continuation
                    return false
                }
                if resumeNow { continuation.resume() }
            }
        } onCancel: {
            let waiter = self.state.withLock { state -> CheckedContinuation<Void, Never>? in
                defer { state.waiter = nil }
                return state.waiter
            }
            waiter?.resume()
        }
    }
}
