import Foundation

/// Overrides chosen in a channel or thread with `!gpt use` and `!gpt model`. They outlive restarts so a channel
/// keeps talking to the GPT its operators picked.
package struct ChannelSettings: Sendable, Hashable {
    /// The bridge's conversation key the overrides apply to.
    package var key: String
    /// Which custom GPT to use; ``GizmoSetting/inherit`` leaves it to the configuration.
    package var gizmo: GizmoSetting
    /// The model to use; nil leaves it to the configuration.
    package var model: String?
    /// When the overrides were last changed, for `!gpt status` and for operators.
    package var updatedAt: Date

    /// Creates settings for `key`; both overrides default to inheriting the configuration.
    package init(key: String, gizmo: GizmoSetting = .inherit, model: String? = nil, updatedAt: Date) {
        self.key = key
        self.gizmo = gizmo
        self.model = model
        self.updatedAt = updatedAt
    }
}
