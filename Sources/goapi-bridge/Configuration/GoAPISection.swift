import Foundation

extension BridgeConfiguration {
    /// The `goapi` section: which account, model and GPT to use and how patiently to talk to the API.
    struct GoAPISection: Equatable, Sendable {
        /// The API root, without a trailing slash.
        var baseURL: URL
        /// Further API domains, tried in order when the ones before cannot be reached.
        var alternateBaseURLs: [URL]
        /// Sent as `X-API-Key`.
        var apiKey: Secret
        /// The model used when no GPT is selected.
        var model: String
        /// The default custom GPT; `nil` talks to the plain model.
        var gizmoId: String?
        /// The model sent together with a GPT; GoAPI's docs disagree on the right value, so it is configurable.
        var gizmoModel: String
        /// How long a whole answer may take before it is reported as cut off.
        var replyTimeout: Duration
        /// How long to wait for the TCP and TLS connection.
        var connectTimeout: Duration
        /// How long the stream may stay silent before the request is given up.
        var idleTimeout: Duration
        /// A global cap on simultaneous GoAPI requests, so a busy channel cannot exhaust the account.
        var maxConcurrentRequests: Int
        /// How failed requests are retried.
        var retry: Retry
        /// The backup LLM API used when GoAPI is unavailable; `nil` when absent or disabled.
        var fallback: Fallback?

        /// Retry policy for requests that fail before any answer text arrived.
        struct Retry: Equatable, Sendable {
            /// Attempts in total, including the first.
            var maxAttempts: Int
            /// The wait before the first retry; later waits double.
            var initialBackoff: Duration
            /// The longest wait between attempts.
            var maxBackoff: Duration
        }

        /// The OpenAI-style chat completions API used as a backup.
        struct Fallback: Equatable, Sendable {
            /// The API root, without a trailing slash.
            var baseURL: URL
            /// Sent as a bearer token.
            var apiKey: Secret
            /// The model to ask.
            var model: String
            /// Appended to backup answers; empty for none.
            var notice: String
            /// Consecutive Conversation API failures that send questions straight to the backup.
            var failureThreshold: Int
            /// How long questions go straight to the backup before the Conversation API is probed again.
            var probeAfter: Duration
            /// Messages of recent history kept per conversation as the backup's context.
            var contextTurns: Int
            /// Characters of that history kept per conversation.
            var contextCharacters: Int
            /// History older than this is neither used nor kept.
            var contextRetention: Duration
        }
    }
}
