extension WebhookServer {
    /// Everything the webhook HTTP server needs, with safe defaults for the limits.
    package struct Configuration: Sendable {
        /// The address to listen on.
        package var host: String
        /// The port to listen on; 0 picks a free one (reported through `onServerRunning`).
        package var port: Int
        /// Larger request bodies are refused with 413, by `Content-Length` or while reading.
        package var maxBodyBytes: Int
        /// Signed timestamps further than this from now are refused as replays.
        package var replayWindow: Duration
        /// How long a delivery id is remembered so a repeat gets the original acknowledgement.
        package var deliveryIDRetention: Duration
        /// The endpoints, one per path.
        package var endpoints: [Endpoint]
        /// A connection that sends nothing for this long is closed, in the middle of a request head or between
        /// requests: a client that opens requests and stalls (slowloris) would otherwise hold a descriptor and a
        /// task each for ever, and the IRC connection, the database and reply delivery share the descriptors.
        package var idleTimeout: Duration = .seconds(30)
        /// The most connections held open at once; more are closed as they arrive (see ``ConnectionLimit``).
        package var maxConnections: Int

        /// The default ``maxConnections``: far more than chat servers and tools open, far fewer than the
        /// descriptors the shipped systemd unit allows (65,536).
        package static let defaultMaxConnections = 1_024

        /// Creates a configuration; only the listening address and endpoints are required.
        package init(
            host: String,
            port: Int,
            maxBodyBytes: Int = 65_536,
            replayWindow: Duration = .seconds(300),
            deliveryIDRetention: Duration = .seconds(86_400),
            maxConnections: Int = Self.defaultMaxConnections,
            endpoints: [Endpoint]
        ) {
            self.maxConnections = maxConnections
            self.host = host
            self.port = port
            self.maxBodyBytes = maxBodyBytes
            self.replayWindow = replayWindow
            self.deliveryIDRetention = deliveryIDRetention
            self.endpoints = endpoints
        }
    }

    /// One webhook path and what it serves.
    package struct Endpoint: Sendable {
        /// The exact request path, starting with `/` and not under `/r/` (full-reply pages are served there, so an
        /// endpoint below it would never be reached).
        package var path: String
        /// The sender's protocol, with its credentials.
        package var kind: Kind
        /// Requests accepted per period once their signature holds; more get 429.
        package var rateLimit: RateLimit

        /// Creates an endpoint.
        package init(path: String, kind: Kind, rateLimit: RateLimit = RateLimit(requests: 60, period: .seconds(60))) {
            self.path = path
            self.kind = kind
            self.rateLimit = rateLimit
        }
    }

    /// The protocols an endpoint can speak.
    package enum Kind: Sendable {
        /// Standard Webhooks-signed `{"thread", "user", "text"}` JSON.
        case generic(GenericEndpoint)
        /// Slack Events API requests, answered with `chat.postMessage`.
        case slack(SlackEndpoint)
        /// Mattermost outgoing webhooks, answered as threaded comments.
        case mattermost(MattermostEndpoint)
    }

    /// A Slack app's credentials and where its Web API is.
    package struct SlackEndpoint: Sendable {
        /// Verifies `X-Slack-Signature`. Never logged.
        package var signingSecret: String
        /// The `xoxb-` token `chat.postMessage` is called with. Never logged.
        package var botToken: String
        /// The Web API base, `https://slack.com/api` in production; tests point it at a stub.
        package var apiBaseURL: String

        /// Creates a Slack endpoint.
        package init(signingSecret: String, botToken: String, apiBaseURL: String = "https://slack.com/api") {
            self.signingSecret = signingSecret
            self.botToken = botToken
            self.apiBaseURL = apiBaseURL
        }
    }

    /// A Mattermost outgoing webhook's token and reply mode.
    package struct MattermostEndpoint: Sendable {
        /// The outgoing webhook's token, sent in every request body. Never logged.
        package var token: String
        /// Whether the answer is the webhook response or a post made later.
        package var mode: MattermostMode

        /// Creates a Mattermost endpoint.
        package init(token: String, mode: MattermostMode) {
            self.token = token
            self.mode = mode
        }
    }

    /// Where a Mattermost endpoint's answer goes.
    package enum MattermostMode: Sendable {
        /// As the webhook response, which Mattermost must get within its 30 s window; `timeout` stays below it.
        case sync(timeout: Duration)
        /// A threaded post made with the REST API (`POST {serverURL}/api/v4/posts`) as the bot.
        case async(serverURL: String, botToken: String)
    }

    /// A generic endpoint's credentials and reply mode.
    package struct GenericEndpoint: Sendable {
        /// The `whsec_…` secret that signs requests and replies. Never logged.
        package var secret: String
        /// Whether the answer comes in the response or is POSTed later.
        package var mode: GenericMode

        /// Creates a generic endpoint.
        package init(secret: String, mode: GenericMode) {
            self.secret = secret
            self.mode = mode
        }
    }

    /// Where a generic endpoint's answer goes.
    package enum GenericMode: Sendable {
        /// In the response (200), or 504 when answering takes longer than `timeout`.
        case sync(timeout: Duration)
        /// 202 at once; the answer is POSTed, signed, to `replyURL` from the configuration.
        case async(replyURL: String)
    }

    /// A request budget: `requests` per `period`, refilled evenly.
    package struct RateLimit: Sendable, Hashable {
        /// Requests allowed in one period (also the burst size).
        package var requests: Int
        /// The period the budget applies to.
        package var period: Duration

        /// Creates a rate limit.
        package init(requests: Int, period: Duration) {
            self.requests = requests
            self.period = period
        }
    }
}

extension Duration {
    /// The duration in seconds, for `Date` arithmetic.
    var timeInterval: Double {
        Double(self.components.seconds) + Double(self.components.attoseconds) * 1e-18
    }
}
