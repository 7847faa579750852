import Common
import Metrics

/// The bridge's own metrics: questions received, by `source` (`irc` or `webhook`), `origin` (the network or the
/// endpoint path) and what became of them on arrival (`accepted`, `busy`, `rate_limited`).
enum BridgeMetrics {
    /// Counts a question.
    static func question(source: String, origin: String, result: String) {
        Self.questions[QuestionKey(source: source, origin: origin, result: result)].increment()
    }

    private struct QuestionKey: Hashable {
        var source: String
        var origin: String
        var result: String
    }

    private static let questions = MetricHandles<Counter, QuestionKey> { key in
        Counter(
            label: "bridge_questions_total",
            dimensions: [("source", key.source), ("origin", key.origin), ("result", key.result)]
        )
    }
}
