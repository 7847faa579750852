import Common
import Metrics

/// The `webhook_requests_total` counters of one server, made once per endpoint and status and then reused: asking
/// the metrics factory for a counter on every request (name checks, a registry lock and lookup, a new handle) cost
/// more than incrementing it.
final class WebhookRequestCounters: Sendable {
    private struct Key: Hashable {
        var endpoint: String?
        var status: Int
    }

    private let counters = MetricHandles<Counter, Key> { key in
        WebhookMetrics.requestCounter(endpoint: key.endpoint, status: key.status)
    }

    /// Creates an empty cache; counters are made on first use, through the metrics factory of that moment.
    init() {}

    /// Counts an answered request by endpoint (`unmatched` for unknown paths) and status code.
    func increment(endpoint: String?, status: Int) {
        self.counters[Key(endpoint: endpoint, status: status)].increment()
    }
}
