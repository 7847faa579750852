import Foundation
import Store

/// One endpoint protocol's part in the outbox: what its queued question rows mean and how its reply rows are
/// delivered. The delivery service owns the rules every protocol shares (ordering, retries, give-up, dead
/// letters); an `OutboxEndpoint` only speaks its receiver's API.
protocol OutboxEndpoint: Sendable {
    /// The protocol's name in outbox targets, e.g. `slack` in `slack-reply:/hooks/slack`.
    var kind: String { get }

    /// Reads a queued question: what to ask, and how to turn the answer into the first reply row's payload.
    func readQuestion(_ payload: Data, path: String) async -> QuestionReading

    /// The thread of a queued question, read without any request, so questions of one thread are started in
    /// order (see `WebhookDeliveryService.WorkSet`); nil when the payload is unreadable.
    func thread(ofQuestion payload: Data) -> String?

    /// Attempts to deliver one reply row.
    func deliver(_ reply: OutboxDelivery) async -> ReplyAttempt
}

/// What a queued question row comes to.
enum QuestionReading: Sendable {
    /// Ask `question`; `replyPayload` makes the reply row's payload from the answer.
    case ask(WebhookQuestion, replyPayload: @Sendable (WebhookAnswer) -> Data)
    /// Not now (e.g. an API needed to place the reply was unreachable): try again after a backoff.
    case retryLater(String)
    /// Never: keep a dead letter with this reason.
    case drop(String)
    /// Not a question after all (e.g. the bot's own post): remove the row, with this reason in the log.
    case ignore(String)
}

/// How an attempt to deliver a reply row went.
struct ReplyAttempt: Sendable {
    /// The receiver's verdict.
    var outcome: DeliveryRetryPolicy.Outcome
    /// After an accepted attempt, the row that continues the reply (the next part of a long one): its id and payload.
    var next: (id: String, payload: Data)?
    /// A name for the attempt in logs, e.g. the reply's `webhook-id`; never a secret.
    var reference: String

    /// Creates an attempt result.
    init(_ outcome: DeliveryRetryPolicy.Outcome, next: (id: String, payload: Data)? = nil, reference: String) {
        self.outcome = outcome
        self.next = next
        self.reference = reference
    }
}

/// The outbox's row naming, shared by every protocol. A request is first a question row (the work to do), then one
/// reply row at a time (the message to send); targets carry the protocol and the endpoint path, so credentials and
/// URLs are looked up in the configuration at delivery time and never come from a request.
///
/// Row ids include the path because two endpoints' senders may pick the same delivery id.
enum OutboxRow {
    /// The two kinds of rows.
    enum Role: String {
        /// A question waiting for its answer.
        case question
        /// A reply waiting to be delivered.
        case reply
    }

    /// The target of a row of `role` for the `kind` endpoint at `path`, e.g. `generic-question:/hooks/team`.
    static func target(_ role: Role, kind: String, path: String) -> String {
        "\(kind)-\(role.rawValue):\(path)"
    }

    /// Splits a target into protocol, role and path; nil for rows that are not the webhooks'.
    static func parse(target: String) -> (kind: String, role: Role, path: String)? {
        guard let colon = target.firstIndex(of: ":") else { return nil }
        let head = target[..<colon]
        guard let dash = head.lastIndex(of: "-"), let role = Role(rawValue: String(head[head.index(after: dash)...]))
        else { return nil }
        return (String(head[..<dash]), role, String(target[target.index(after: colon)...]))
    }

    /// The id of the question row for the request `key` (a delivery id, or a message's channel and timestamp)
    /// accepted at `time`.
    ///
    /// The acceptance time comes first, as 16 zero-padded decimal microseconds, so ids sort in the order requests
    /// arrive. SQLite then appends each burst of accepted requests to the end of the id index, instead of writing
    /// one page of it at a random place per request: replaying the webhook benchmark's writes against SQLite
    /// alone, that cut SQLite's CPU time per accepted request by about a third. The key keeps the id unique, and
    /// readable in the database, whatever the clock does. Repeated deliveries are recognised by the delivery ids
    /// the store remembers (`acceptDelivery`), not by this id, which differs for each arrival.
    static func questionID(path: String, key: String, at time: Date) -> String {
        let microseconds = UInt64(max(0, (time.timeIntervalSince1970 * 1_000_000).rounded()))
        let digits = String(microseconds)
        let padding = String(repeating: "0", count: max(0, 16 - digits.utf8.count))
        return "q:\(path):\(padding)\(digits):\(key)"
    }

    /// The id of the first reply row for a question row.
    static func replyID(question id: String) -> String {
        "r" + id.dropFirst()
    }

    /// How every reply row's id starts (question ids start with `q:`).
    static let replyIDPrefix = "r:"

    /// The id of part `part + 1` of a reply whose part `part` (counting from 1) has the row id `id`: the first
    /// part's id with `#2`, `#3`, … appended.
    static func replyID(afterPart part: Int, id: String) -> String {
        let suffix = "#\(part)"
        let first = part > 1 && id.hasSuffix(suffix) ? String(id.dropLast(suffix.count)) : id
        return first + "#\(part + 1)"
    }
}
