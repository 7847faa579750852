import Store

/// Which GPT and model a conversation talks to.
package struct ChatProfile: Sendable, Hashable {
    /// The custom GPT, or `nil` for the plain model.
    package var gizmoID: String?
    /// The model sent to GoAPI.
    package var model: String

    /// Creates a profile.
    package init(gizmoID: String?, model: String) {
        self.gizmoID = gizmoID
        self.model = model
    }
}

/// The defaults a profile falls back to, from the `goapi` config section.
package struct ProfileDefaults: Sendable, Hashable {
    /// `goapi.gizmoId`.
    package var gizmoID: String?
    /// `goapi.model`, used without a GPT.
    package var model: String
    /// `goapi.gizmoModel`, used with a GPT.
    package var gizmoModel: String

    /// Creates defaults.
    package init(gizmoID: String?, model: String, gizmoModel: String) {
        self.gizmoID = gizmoID
        self.model = model
        self.gizmoModel = gizmoModel
    }

    /// The profile for a conversation: a stored override (`!gpt use`/`!gpt model`) beats the channel's or
    /// endpoint's config, which beats these defaults. The model follows the GPT choice unless set explicitly.
    package func resolve(
        configuredGizmoID: String?,
        configuredModel: String?,
        settings: ChannelSettings?
    ) -> ChatProfile {
        let gizmoID: String?
        switch settings?.gizmo ?? .inherit {
        case .inherit: gizmoID = configuredGizmoID ?? self.gizmoID
        case .none: gizmoID = nil
        case .id(let id): gizmoID = id
        }
        let model = settings?.model ?? configuredModel ?? (gizmoID == nil ? self.model : self.gizmoModel)
        return ChatProfile(gizmoID: gizmoID, model: model)
    }
}
