import Foundation

extension BridgeConfiguration.WebhooksSection.KindName {
    /// The keys this kind uses in any mode.
    var keys: [String] {
        switch self {
        case .generic: ["secret", "replyURL"]
        case .slack: ["signingSecret", "botToken", "apiBaseURL"]
        case .mattermost: ["token", "serverURL", "botToken"]
        }
    }

    /// The keys this kind uses only when the reply is delivered later.
    var asyncOnlyKeys: [String] {
        switch self {
        case .generic: ["replyURL"]
        case .slack: []
        case .mattermost: ["serverURL", "botToken"]
        }
    }
}

extension BridgeConfiguration.WebhooksSection.Endpoint {
    /// Where Slack's Web API is reached unless configured otherwise.
    static let defaultSlackAPIBaseURL = URL(string: "https://slack.com/api")!

    /// Reads one entry of `webhooks.endpoints`; keys of another kind or mode are reported as such rather
    /// than as unknown, because they are real keys in the wrong place.
    init?(reading object: ConfigObject) {
        typealias Section = BridgeConfiguration.WebhooksSection
        let path = object.requiredString("path", as: .endpointPath)
        let kindName = object.choice("kind", required: true, as: Section.KindName.self)
        let mode = object.choice("mode", as: Section.Mode.self) ?? .async
        let gizmoId = object.string("gizmoId", as: .gizmoId)
        let model = object.string("model", as: .word)
        let rateLimit = BridgeConfiguration.RateLimit(
            reading: object.objectOrEmpty("rateLimit"),
            countKey: "requests",
            defaultCount: 60,
            defaultSeconds: 60
        )
        let kind = kindName.flatMap { Self.readKind($0, mode: mode, from: object) }
        if kindName == nil {
            // Without a usable kind nothing can be said about these keys; the kind itself is reported.
            Section.KindName.allCases.flatMap(\.keys).forEach(object.accept)
        }
        object.finish { key in
            guard let kindName else { return nil }
            if kindName.asyncOnlyKeys.contains(key) {
                return ConfigViolation("only used when mode is \"async\"")
            }
            let otherKinds = Section.KindName.allCases.filter { $0 != kindName }
            guard otherKinds.contains(where: { $0.keys.contains(key) }) else { return nil }
            return ConfigViolation("not used by kind \"\(kindName.rawValue)\"")
        }
        guard let path, let kind else { return nil }
        self.init(path: path, kind: kind, gizmoId: gizmoId, model: model, rateLimit: rateLimit)
    }

    private static func readKind(
        _ name: BridgeConfiguration.WebhooksSection.KindName,
        mode: BridgeConfiguration.WebhooksSection.Mode,
        from object: ConfigObject
    ) -> BridgeConfiguration.WebhooksSection.Kind? {
        switch (name, mode) {
        case (.generic, .sync):
            return object.requiredSecret("secret", as: .standardWebhooksSecret).map {
                .generic(secret: $0, reply: .sync)
            }
        case (.generic, .async):
            let secret = object.requiredSecret("secret", as: .standardWebhooksSecret)
            let replyURL = object.requiredString("replyURL", as: .httpURL)
            guard let secret, let replyURL else { return nil }
            return .generic(secret: secret, reply: .async(replyURL: replyURL))
        case (.slack, _):
            if mode == .sync {
                object.report(
                    "mode",
                    ConfigViolation(
                        "slack endpoints only support \"async\"",
                        hint:
                            "Slack wants an acknowledgement within 3 seconds; replies are posted with chat.postMessage"
                    )
                )
            }
            let signingSecret = object.requiredSecret("signingSecret")
            let botToken = object.requiredSecret("botToken")
            let apiBaseURL = object.string("apiBaseURL", as: .httpBaseURL, default: Self.defaultSlackAPIBaseURL)
            guard let signingSecret, let botToken else { return nil }
            return .slack(signingSecret: signingSecret, botToken: botToken, apiBaseURL: apiBaseURL)
        case (.mattermost, .sync):
            return object.requiredSecret("token").map { .mattermost(token: $0, reply: .sync) }
        case (.mattermost, .async):
            let token = object.requiredSecret("token")
            let serverURL = object.requiredString("serverURL", as: .httpBaseURL)
            let botToken = object.requiredSecret("botToken")
            guard let token, let serverURL, let botToken else { return nil }
            return .mattermost(token: token, reply: .async(serverURL: serverURL, botToken: botToken))
        }
    }
}
