/// A channel's choice of custom GPT, distinguishing "no override" from "explicitly no GPT": the two differ whenever
/// the configuration names a default GPT, and `!gpt use default` must be able to return to it.
package enum GizmoSetting: Sendable, Hashable {
    /// No override: the channel or endpoint configuration (or the global `goapi.gizmoId`) decides.
    case inherit
    /// Plain ChatGPT without a custom GPT, even when the configuration names one.
    case none
    /// This custom GPT (`gizmo_id`, such as `g-3w1rEXGE0`), whatever the configuration says.
    case id(String)
}
