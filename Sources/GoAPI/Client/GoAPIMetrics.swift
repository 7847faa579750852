import Common
import Metrics

/// The client's metrics: requests by outcome, time to the first byte of GoAPI's response and time to the end of
/// the turn. Created through the process's `MetricsSystem`, which only the executable bootstraps.
enum GoAPIMetrics {
    /// Counts a finished question by outcome: `ok`, `incomplete` (cut off, partial text kept) or the error code
    /// (`rate_limited`, `server_error`, `connect_failed`, `idle_timeout`, …).
    static func record(_ result: Result<ConversationReply, GoAPIError>) {
        let outcome: String
        switch result {
        case .success(let reply): outcome = reply.isComplete ? "ok" : "incomplete"
        case .failure(let error): outcome = error.code.metricsLabel
        }
        Self.requests[outcome].increment()
    }

    private static let requests = MetricHandles<Counter, String> {
        Counter(label: "goapi_requests_total", dimensions: [("outcome", $0)])
    }
    private static let timers = MetricHandles<Timer, String> { Timer(label: $0) }

    /// Records how long GoAPI took to start answering one HTTP request.
    static func recordTimeToFirstByte(_ duration: Duration) {
        Self.timers["goapi_time_to_first_byte_seconds"].record(duration)
    }

    /// Records how long a question took from asking to the reply's `end_turn`, retries included.
    static func recordTimeToEndTurn(_ duration: Duration) {
        Self.timers["goapi_time_to_end_turn_seconds"].record(duration)
    }
}

extension Timer {
    /// Records a `Duration`.
    fileprivate func record(_ duration: Duration) {
        let (seconds, attoseconds) = duration.components
        self.recordNanoseconds(seconds * 1_000_000_000 + attoseconds / 1_000_000_000)
    }
}

extension GoAPIError.Code {
    /// The code in snake_case, as metrics labels are written.
    var metricsLabel: String {
        var label = ""
        for character in self.rawValue {
            if character.isUppercase, !label.isEmpty { label.append("_") }
            label.append(contentsOf: character.lowercased())
        }
        return label
    }
}
