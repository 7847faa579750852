import Bridge
import Foundation
import Webhooks

extension BridgeConfiguration.WebhooksSection {
    /// The endpoints this version serves (generic), and the paths of the ones it does not serve yet.
    func serverEndpoints(syncTimeout: Duration) -> (served: [WebhookServer.Endpoint], unsupported: [String]) {
        var served: [WebhookServer.Endpoint] = []
        var unsupported: [String] = []
        for endpoint in self.endpoints {
            let rateLimit = WebhookServer.RateLimit(
                requests: endpoint.rateLimit.count,
                period: endpoint.rateLimit.period
            )
            switch endpoint.kind {
            case .generic(let secret, let reply):
                let mode: WebhookServer.GenericMode =
                    switch reply {
                    case .sync: .sync(timeout: syncTimeout)
                    case .async(let url): .async(replyURL: url.absoluteString)
                    }
                served.append(
                    WebhookServer.Endpoint(
                        path: endpoint.path,
                        kind: .generic(WebhookServer.GenericEndpoint(secret: secret.exposedValue, mode: mode)),
                        rateLimit: rateLimit
                    )
                )
            case .slack, .mattermost:
                unsupported.append(endpoint.path)
            }
        }
        return (served, unsupported)
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
