import Foundation
import Store

/// A Slack endpoint's part in the outbox: the question row holds the ``SlackQuestion``, each reply row one message
/// posted into the question's thread with `chat.postMessage`, long answers as several messages in order.
struct SlackOutbox: OutboxEndpoint {
    /// The endpoint's Web API base URL and bot token.
    let endpoint: WebhookServer.SlackEndpoint
    /// Makes the API calls.
    let sender: any ReplySender
    /// Slack's last `Retry-After`, which holds back every reply of the endpoint, not only the one refused.
    let rateLimit = RetryAfterGate()

    var kind: String { Self.kind }

    /// The protocol's name in outbox targets.
    static let kind = "slack"

    /// Slack truncates text beyond 40,000 characters and advises staying under 4,000 per message.
    static let splitter = MessageSplitter(limit: 3_900, maxParts: 10, isSlackMarkup: true)

    /// Slack errors no retry can fix: the message or its place is wrong. Any other `ok: false` is retried until the
    /// give-up age, because most (`invalid_auth`, `not_in_channel`, `missing_scope`, outages) are fixed by the
    /// operator or by time, and a dropped answer is worse than a late one.
    static let permanentErrors: Set<String> = [
        "channel_not_found", "is_archived", "msg_too_long", "no_text", "invalid_arguments", "invalid_blocks",
        "too_many_attachments", "restricted_action", "cannot_reply_to_message", "thread_not_found",
    ]

    func thread(ofQuestion payload: Data) -> String? {
        (try? JSONDecoder().decode(SlackQuestion.self, from: payload))?.thread
    }

    func readQuestion(_ payload: Data, path: String) async -> QuestionReading {
        guard let queued = try? JSONDecoder().decode(SlackQuestion.self, from: payload) else {
            return .drop("unreadable queued Slack question")
        }
        let question = WebhookQuestion(endpoint: path, thread: queued.thread, user: queued.user, text: queued.text)
        return .ask(question) { answer in
            let text = SlackMarkdown.mrkdwn(fromMarkdown: ChatReply.markdown(for: answer))
            let reply = PendingReply(
                channel: queued.channel,
                threadTS: queued.threadTS,
                part: 1,
                parts: Self.splitter.parts(of: text)
            )
            return (try? JSONEncoder.webhooks.encode(reply)) ?? Data()
        }
    }

    func deliver(_ row: OutboxDelivery) async -> ReplyAttempt {
        guard let reply = try? JSONDecoder().decode(PendingReply.self, from: row.payload), let text = reply.parts.first
        else { return ReplyAttempt(.refused("unreadable queued Slack reply"), reference: row.id) }
        let reference = "\(reply.channel)/\(reply.threadTS) part \(reply.part)"
        if let wait = self.rateLimit.remainingSeconds() {
            // Not sent: Slack asked for a pause after an earlier reply. Retried when the pause is over.
            return ReplyAttempt(.response(status: 429, retryAfter: wait), reference: reference + " (held back)")
        }
        let body: [String: any Sendable] = ["channel": reply.channel, "thread_ts": reply.threadTS, "text": text]
        let request = OutgoingRequest(
            method: "POST",
            url: self.endpoint.apiBaseURL + "/chat.postMessage",
            headers: [
                ("content-type", "application/json; charset=utf-8"),
                ("authorization", "Bearer \(self.endpoint.botToken)"),
            ],
            body: Array((try? JSONSerialization.data(withJSONObject: body, options: [.sortedKeys])) ?? Data())
        )
        let result: ReplySendResult
        do {
            result = try await self.sender.send(request)
        } catch {
            return ReplyAttempt(.failed("\(error)"), reference: reference)
        }
        let outcome = Self.outcome(of: result)
        if case .response(429, let retryAfter?) = outcome { self.rateLimit.close(for: retryAfter) }
        guard case .response(200, _) = outcome else { return ReplyAttempt(outcome, reference: reference) }
        return ReplyAttempt(outcome, next: reply.continuation(afterRow: row.id), reference: reference)
    }

    /// Reads Slack's answer: HTTP 200 with `{"ok": true}` is success, `{"ok": false, "error": …}` a failure that is
    /// retried unless permanent, and 429 carries `Retry-After`.
    static func outcome(of result: ReplySendResult) -> DeliveryRetryPolicy.Outcome {
        guard result.status == 200 else { return .response(status: result.status, retryAfter: result.retryAfter) }
        guard let json = try? JSONSerialization.jsonObject(with: Data(result.body)) as? [String: Any],
            let ok = json["ok"] as? Bool
        else { return .failed("Slack answered 200 without an \"ok\" field") }
        if ok { return .response(status: 200, retryAfter: nil) }
        let error = json["error"] as? String ?? "unknown_error"
        if error == "ratelimited" { return .response(status: 429, retryAfter: result.retryAfter) }
        if Self.permanentErrors.contains(error) { return .refused("Slack chat.postMessage refused: \(error)") }
        return .failed("Slack chat.postMessage failed: \(error)")
    }

    /// A reply row's payload: where it goes and the messages still to post, the first one next.
    struct PendingReply: Codable, Hashable, ChatPartsReply {
        /// The channel id.
        var channel: String
        /// The thread's root timestamp.
        var threadTS: String
        /// The number of the next message, counting from 1.
        var part: Int
        /// The messages still to post, in `mrkdwn`.
        var parts: [String]
    }
}
