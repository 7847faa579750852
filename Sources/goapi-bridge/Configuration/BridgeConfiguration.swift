/// Everything the bridge needs to run, validated and with every default filled in.
///
/// Built only by ``ConfigurationLoader``, which refuses the file if anything is wrong, so code that receives
/// a `BridgeConfiguration` never re-checks it. Each section is turned into the matching module's own
/// `Configuration` when the application is wired.
struct BridgeConfiguration: Equatable, Sendable {
    /// The GoAPI account and request behaviour; the only required section.
    var goapi: GoAPISection
    /// Where conversations, settings and the delivery outbox are kept.
    var storage: StorageSection
    /// IRC networks to join; `nil` for webhook-only deployments.
    var irc: IRCSection?
    /// The webhook HTTP server; `nil` for IRC-only deployments.
    var webhooks: WebhooksSection?
    /// Health and metrics endpoints.
    var admin: AdminSection
    /// Log level and format.
    var logging: LoggingSection
    /// How long graceful shutdown may take.
    var shutdown: ShutdownSection
}
