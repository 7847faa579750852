import Foundation
import Hummingbird
import Logging
import NIOCore
import NIOHTTPTypes
import ServiceLifecycle
import Store

/// The webhook HTTP server: a Hummingbird application serving the configured endpoints, and the full-reply pages
/// at `/r/<id>` (the bridge's one public HTTP server). Its `run()` is its lifetime, so it runs in the executable's
/// `ServiceGroup` after the store and before nothing that needs it.
///
/// Async endpoints only queue work in the store's outbox; a ``WebhookDeliveryService`` sharing the same store and
/// ``OutboxWakeup`` answers and delivers it.
package struct WebhookServer: Service {
    private let application: Application<WebhookResponder>
    private let outlivingWork = OutlivingWork()
    private let accepted = AcceptedHTTPConnections()

    /// Creates the server. Throws ``StandardWebhookSigner/InvalidSecret`` when an endpoint's secret is unusable.
    ///
    /// - Parameters:
    ///   - onServerRunning: Called with the bound port once the server listens (useful with port 0).
    ///   - now: The wall clock used for replay windows and the store; tests pass a fixed one.
    package init(
        configuration: Configuration,
        store: any BridgeStore,
        answerer: any WebhookAnswerer,
        wakeup: OutboxWakeup,
        logger: Logger,
        now: @escaping @Sendable () -> Date = { Date() },
        onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in }
    ) throws {
        let environment = WebhookEnvironment(
            store: store,
            answerer: answerer,
            wakeup: wakeup,
            now: now,
            logger: logger,
            outlivingWork: self.outlivingWork
        )
        var handlers: [String: any EndpointHandler] = [:]
        for endpoint in configuration.endpoints {
            let (path, limit) = (endpoint.path, endpoint.rateLimit)
            switch endpoint.kind {
            case .generic(let generic):
                handlers[path] = try GenericWebhookHandler(
                    path: path,
                    endpoint: generic,
                    rateLimit: limit,
                    configuration: configuration,
                    environment: environment
                )
            case .slack(let slack):
                handlers[path] = SlackEventHandler(
                    path: path,
                    endpoint: slack,
                    rateLimit: limit,
                    configuration: configuration,
                    environment: environment
                )
            case .mattermost(let mattermost):
                handlers[path] = MattermostWebhookHandler(
                    path: path,
                    endpoint: mattermost,
                    rateLimit: limit,
                    configuration: configuration,
                    environment: environment
                )
            }
        }
        let responder = WebhookResponder(
            handlers: handlers,
            maxBodyBytes: configuration.maxBodyBytes,
            pages: ReplyPageRoute(store: store, now: now),
            logger: logger
        )
        self.application = Application(
            responder: responder,
            server: WebhookHTTP1Channel.serverBuilder(configuration, accepted: self.accepted),
            configuration: ApplicationConfiguration(address: .hostname(configuration.host, port: configuration.port)),
            onServerRunning: { channel in await onServerRunning(channel.localAddress?.port ?? configuration.port) },
            logger: logger.forHTTPServer()
        )
    }

    /// Serves until cancelled or shut down gracefully. Sync answers still coming once the server has stopped are
    /// cancelled then: their requests have ended, and a retry after the next start answers them again.
    package func run() async throws {
        let application = self.application
        // Connections accepted as the server stopped were never served; without this, their senders would wait for
        // their own timeouts instead of retrying at once.
        defer { self.accepted.closeUnclaimed() }
        try await self.outlivingWork.run { try await application.run() }
    }
}
