import Metrics

/// The webhook side's metrics. Created through the process's `MetricsSystem`, which only the executable
/// bootstraps. Endpoint labels are configured paths only, never a requested path, so a scanner cannot grow the
/// number of series.
enum WebhookMetrics {
    /// Counts an answered request by endpoint (`unmatched` for unknown paths) and status code.
    static func request(endpoint: String?, status: Int) {
        Self.requestCounter(endpoint: endpoint, status: status).increment()
    }

    /// The counter ``request(endpoint:status:)`` increments; ``WebhookRequestCounters`` keeps them for reuse.
    static func requestCounter(endpoint: String?, status: Int) -> Counter {
        Counter(
            label: "webhook_requests_total",
            dimensions: [("endpoint", endpoint ?? "unmatched"), ("status", String(status))]
        )
    }

    /// Counts a question an endpoint's rate limit refused, in the bridge-wide `bridge_questions_total` (same
    /// dimensions as the answerer's `accepted` and `busy`).
    static func questionRateLimited(endpoint: String) {
        Counter(
            label: "bridge_questions_total",
            dimensions: [("source", "webhook"), ("origin", endpoint), ("result", "rate_limited")]
        ).increment()
    }

    /// Counts an outbox attempt by protocol (`generic`, `slack`, `mattermost`) and outcome (`delivered`, `retry`,
    /// `abandoned`).
    static func deliveryAttempt(kind: String, outcome: String) {
        Counter(label: "webhook_delivery_attempts_total", dimensions: [("kind", kind), ("outcome", outcome)])
            .increment()
    }

    /// Records how many rows wait in the outbox (questions to answer and replies to deliver).
    /// One question or reply given up (a dead letter), whatever the cause: refused, too old, its post gone, its
    /// endpoint removed. `webhook_delivery_attempts_total` counts only reply attempts, so questions given up before
    /// an answer (a Mattermost post that could not be looked up) were counted nowhere.
    static func deadLetter(kind: String, role: String) {
        Counter(label: "webhook_dead_letters_total", dimensions: [("kind", kind), ("role", role)]).increment()
    }

    static func outbox(depth: Int) {
        Gauge(label: "webhook_outbox_depth").record(depth)
    }
}
