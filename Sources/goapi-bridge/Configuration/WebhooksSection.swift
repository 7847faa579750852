import Foundation

extension BridgeConfiguration {
    /// The `webhooks` section: the HTTP server that receives team webhooks.
    struct WebhooksSection: Equatable, Sendable {
        /// Where the HTTP server listens.
        var listen: ListenAddress
        /// Where people reach the server from outside (for full-reply pages), without a trailing slash.
        var publicBaseURL: URL?
        /// How long a full-reply page stays reachable.
        var replyPageTTL: Duration
        /// Larger request bodies are refused with 413 before they are read.
        var maxBodyBytes: Int
        /// The most connections the server holds open at once; more are closed as they arrive.
        var maxConnections: Int
        /// The configured endpoints, paths unique.
        var endpoints: [Endpoint]
        /// How replies waiting in the delivery outbox are retried.
        var outbox: Outbox
    }
}

extension BridgeConfiguration.WebhooksSection {
    /// One webhook path and the chat system behind it.
    struct Endpoint: Equatable, Sendable {
        /// The request path, starting with `/`.
        var path: String
        /// The chat system, with the credentials and reply target it needs.
        var kind: Kind
        /// The GPT this endpoint talks to, overriding `goapi.gizmoId`.
        var gizmoId: String?
        /// The model this endpoint uses, overriding the `goapi` default.
        var model: String?
        /// Requests accepted per period; more get 429.
        var rateLimit: BridgeConfiguration.RateLimit

        /// Whether the reply comes in the HTTP response or is delivered later.
        var mode: Mode {
            switch kind {
            case .generic(_, .sync), .mattermost(_, .sync): .sync
            case .generic(_, .async), .slack, .mattermost(_, .async): .async
            }
        }
    }

    /// How a reply reaches the asker.
    enum Mode: String, CaseIterable, Equatable, Sendable {
        /// Acknowledge at once; deliver the reply through the outbox.
        case async
        /// Hold the request open and answer in the response.
        case sync
    }

    /// The chat systems an endpoint can serve.
    enum KindName: String, CaseIterable, Equatable, Sendable {
        /// Standard Webhooks-signed JSON from the team's own tools.
        case generic
        /// Slack Events API.
        case slack
        /// Mattermost outgoing webhooks.
        case mattermost
    }

    /// An endpoint's chat system with exactly the settings that system needs, so a half-configured endpoint
    /// cannot exist.
    enum Kind: Equatable, Sendable {
        /// `secret` is the Standard Webhooks `whsec_` signing secret.
        case generic(secret: Secret, reply: GenericReply)
        /// Requests are verified with `signingSecret`; replies go through `chat.postMessage` with `botToken`.
        case slack(signingSecret: Secret, botToken: Secret, apiBaseURL: URL)
        /// Requests carry `token`; async replies are posted through the server's REST API.
        case mattermost(token: Secret, reply: MattermostReply)

        /// The kind as written in the file, for logs and metrics labels.
        var name: KindName {
            switch self {
            case .generic: .generic
            case .slack: .slack
            case .mattermost: .mattermost
            }
        }
    }

    /// Where a generic endpoint's reply goes.
    enum GenericReply: Equatable, Sendable {
        /// In the HTTP response.
        case sync
        /// POSTed, signed, to this URL from the configuration (never from the request).
        case async(replyURL: URL)
    }

    /// Where a Mattermost endpoint's reply goes.
    enum MattermostReply: Equatable, Sendable {
        /// In the outgoing-webhook response, which Mattermost posts as a comment.
        case sync
        /// Posted as a threaded comment through the REST API of `serverURL` with `botToken`.
        case async(serverURL: URL, botToken: Secret)
    }

    /// Retry policy for replies in the delivery outbox.
    struct Outbox: Equatable, Sendable {
        /// A reply still undelivered after this long is dropped and logged.
        var giveUpAfter: Duration
        /// The wait before the first retry; later waits double.
        var initialBackoff: Duration
        /// The longest wait between attempts.
        var maxBackoff: Duration
    }
}
