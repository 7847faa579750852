import Synchronization

/// One question at a time per conversation: later questions wait in a bounded queue, so a busy channel gets
/// its answers in order and cannot pile up unbounded work. Shared by the IRC and webhook front ends.
package final class ConversationQueues<Job: Sendable>: Sendable {
    /// What happened to a submitted job.
    package enum Admission: Sendable, Hashable {
        /// Nothing was running for this conversation: the caller must start a worker (``next(after:)`` loop).
        case startWorker
        /// Queued behind `position` other jobs; the running worker will pick it up.
        case queued(position: Int)
        /// The queue is full; the job was not accepted.
        case full
    }

    private struct Lane {
        var waiting: [Job] = []
    }

    private let lanes = Mutex<[String: Lane]>([:])
    /// Jobs allowed to wait behind the running one.
    package let limit: Int

    /// Creates queues allowing `limit` waiting jobs per conversation.
    package init(limit: Int) {
        self.limit = limit
    }

    /// Submits `job` for conversation `key`.
    package func submit(_ job: Job, key: String) -> Admission {
        self.lanes.withLock { lanes in
            guard var lane = lanes[key] else {
                lanes[key] = Lane()
                return .startWorker
            }
            guard lane.waiting.count < self.limit else { return .full }
            lane.waiting.append(job)
            lanes[key] = lane
            return .queued(position: lane.waiting.count)
        }
    }

    /// The worker for `key` finished a job: returns the next one, or `nil` (and retires the lane) when none wait.
    package func next(after key: String) -> Job? {
        self.lanes.withLock { lanes in
            guard var lane = lanes[key], !lane.waiting.isEmpty else {
                lanes[key] = nil
                return nil
            }
            let job = lane.waiting.removeFirst()
            lanes[key] = lane
            return job
        }
    }

    /// Whether a job submitted for `key` now would be refused; lets callers check before spending anything
    /// (such as a person's rate-limit budget) on a question that cannot be queued.
    package func isFull(_ key: String) -> Bool {
        self.lanes.withLock { lanes in lanes[key].map { $0.waiting.count >= self.limit } ?? false }
    }

    /// Jobs waiting for `key` (not counting the running one).
    package func waiting(for key: String) -> Int {
        self.lanes.withLock { $0[key]?.waiting.count ?? 0 }
    }

    /// Conversations with a running worker.
    package var activeCount: Int {
        self.lanes.withLock { $0.count }
    }
}
