import Foundation

extension InspIRCdServer {
    /// What kind of server a test wants.
    package struct Options: Sendable {
        /// Link Atheme services (NickServ, SaslServ) so SASL works and accounts can be registered.
        /// Costs a second process and a link handshake, so only tests that need SASL should ask.
        package var withServices: Bool
        /// How InspIRCd treats clients that send fast; off unless a test is about flooding.
        package var floodControl: FloodControl
        /// How long `start` may take before it gives up (the server, then services linking).
        package var startTimeout: Duration
        /// Raw InspIRCd configuration appended after the generated one, for tests that need an extra module
        /// or tag (`<module name="sakick">`). It cannot replace a generated tag: for a tag InspIRCd expects
        /// once it reads the first, and an extra `<connect>` only matches clients the generated one does not.
        package var extraConfiguration: String
        /// Keep the temp directory (config, certificates, logs) after `stop`. Defaults to true when the
        /// environment variable `IRC_HARNESS_KEEP_DIRS` is set, for looking at a failed run's logs.
        package var keepDirectory: Bool

        /// Creates options; the defaults give a plain server with flood control off.
        package init(
            withServices: Bool = false,
            floodControl: FloodControl = .disabled,
            startTimeout: Duration = .seconds(30),
            extraConfiguration: String = "",
            keepDirectory: Bool = ProcessInfo.processInfo.environment["IRC_HARNESS_KEEP_DIRS"] != nil
        ) {
            self.withServices = withServices
            self.floodControl = floodControl
            self.startTimeout = startTimeout
            self.extraConfiguration = extraConfiguration
            self.keepDirectory = keepDirectory
        }
    }

    /// InspIRCd's per-client flood handling, the `<connect>` settings `threshold`, `commandrate` and `fakelag`.
    package enum FloodControl: Sendable, Hashable {
        /// No throttling: fakelag off and limits so high no test reaches them. Fakelag makes the server hold
        /// a client's commands once it passes `threshold` penalty points, so a test that sends a burst would
        /// otherwise see answers seconds late; with fakelag off the same burst would get it killed for
        /// "Excess Flood" unless the limits are out of reach too.
        case disabled
        /// What InspIRCd ships: fakelag on, `threshold="10"`, `commandrate="1000"` (one command a second
        /// after the first ten), for tests of the bot's own flood control.
        case inspircdDefaults
        /// Explicit values: `threshold` penalty points, `commandRate` in thousandths of a command per
        /// second, and whether flooders are lagged (`true`) or disconnected (`false`).
        case custom(threshold: Int, commandRate: Int, fakeLag: Bool)

        /// The `<connect threshold>` value.
        var threshold: Int {
            switch self {
            case .disabled: 1_000_000
            case .inspircdDefaults: 10
            case .custom(let threshold, _, _): threshold
            }
        }

        /// The `<connect commandrate>` value.
        var commandRate: Int {
            switch self {
            case .disabled: 1_000_000_000
            case .inspircdDefaults: 1000
            case .custom(_, let commandRate, _): commandRate
            }
        }

        /// The `<connect fakelag>` value.
        var fakeLag: Bool {
            switch self {
            case .disabled: false
            case .inspircdDefaults: true
            case .custom(_, _, let fakeLag): fakeLag
            }
        }
    }
}
