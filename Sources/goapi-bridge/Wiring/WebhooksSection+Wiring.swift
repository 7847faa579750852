import Bridge
import Foundation
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
