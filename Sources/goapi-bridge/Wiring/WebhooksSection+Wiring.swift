import Bridge
import Foundation
import Store
import Webhooks

extension BridgeConfiguration.WebhooksSection {
    /// Mattermost waits 30 s for an outgoing webhook's response; a sync answer must come before that.
    static let mattermostSyncTimeout = Duration.seconds(25)

    /// The server's view of the configured endpoints; `syncTimeout` bounds generic sync answers.
    func serverEndpoints(syncTimeout: Duration) -> [WebhookServer.Endpoint] {
        self.endpoints.map { endpoint in
            WebhookServer.Endpoint(
                path: endpoint.path,
                kind: Self.serverKind(endpoint.kind, syncTimeout: syncTimeout),
                rateLimit: WebhookServer.RateLimit(
                    requests: endpoint.rateLimit.count,
                    period: endpoint.rateLimit.period
                )
            )
        }
    }

    private static func serverKind(_ kind: Kind, syncTimeout: Duration) -> WebhookServer.Kind {
        switch kind {
        case .generic(let secret, let reply):
            let mode: WebhookServer.GenericMode =
                switch reply {
                case .sync: .sync(timeout: syncTimeout)
                case .async(let url): .async(replyURL: url.absoluteString)
                }
            return .generic(WebhookServer.GenericEndpoint(secret: secret.exposedValue, mode: mode))
        case .slack(let signingSecret, let botToken, let apiBaseURL):
            return .slack(
                WebhookServer.SlackEndpoint(
                    signingSecret: signingSecret.exposedValue,
                    botToken: botToken.exposedValue,
                    apiBaseURL: apiBaseURL.absoluteString.withoutTrailingSlashes
                )
            )
        case .mattermost(let token, let reply):
            let mode: WebhookServer.MattermostMode =
                switch reply {
                case .sync: .sync(timeout: Self.mattermostSyncTimeout)
                case .async(let serverURL, let botToken):
                    .async(serverURL: serverURL.absoluteString.withoutTrailingSlashes, botToken: botToken.exposedValue)
                }
            return .mattermost(WebhookServer.MattermostEndpoint(token: token.exposedValue, mode: mode))
        }
    }

    /// Publishes full-reply pages when people can reach the webhook server (`publicBaseURL`), which serves them;
    /// nil otherwise, and long IRC replies then only say how much was left out.
    func replyPagePublisher(store: any BridgeStore) -> ReplyPagePublisher? {
        self.publicBaseURL.map {
            ReplyPagePublisher(store: store, publicBaseURL: $0.absoluteString, lifetime: self.replyPageTTL)
        }
    }

    /// Each endpoint's own GPT and model.
    var profiles: [String: WebhookConversationAnswerer.EndpointProfile] {
        Dictionary(
            self.endpoints.map {
                ($0.path, WebhookConversationAnswerer.EndpointProfile(gizmoID: $0.gizmoId, model: $0.model))
            },
            uniquingKeysWith: { first, _ in first }
        )
    }
}

extension String {
    /// The URL without trailing `/`, so API paths can be appended.
    fileprivate var withoutTrailingSlashes: String {
        var result = Substring(self)
        while result.hasSuffix("/") { result = result.dropLast() }
        return String(result)
    }
}

extension BridgeConfiguration.GoAPISection {
    /// The longest an answer can take: the reply timeout, or with a backup model twice that, since the backup asks
    /// only once the Conversation API has failed (at worst after its whole reply timeout) and has the same timeout.
    /// What a sync webhook request waits for before its 504.
    var longestAnswer: Duration {
        self.fallback == nil ? self.replyTimeout : self.replyTimeout * 2
    }
}
