import AsyncHTTPClient
import Bridge
import GoAPI
import Logging
import NIOCore
import ServiceLifecycle
import Store
import Webhooks

extension BridgeApplication {
    /// The webhook HTTP server and the delivery worker that answers queued questions and POSTs replies.
    func webhookServices(
        _ webhooks: BridgeConfiguration.WebhooksSection,
        store: SQLiteBridgeStore,
        asker: ConversationAsker,
        logger: Logger
    ) async throws -> [any Service] {
        let goapi = self.configuration.goapi
        let endpoints = webhooks.serverEndpoints(syncTimeout: goapi.longestAnswer + .seconds(5))
        let answerer = WebhookConversationAnswerer(
            asker: asker,
            defaults: ProfileDefaults(gizmoID: goapi.gizmoId, model: goapi.model, gizmoModel: goapi.gizmoModel),
            profiles: webhooks.profiles,
            logger: logger
        )
        let wakeup = OutboxWakeup()
        var replyClientConfiguration = HTTPClient.Configuration.untraced
        // A signed reply goes to the configured URL or nowhere; a redirect could hand it to a third party.
        replyClientConfiguration.redirectConfiguration = .disallow
        replyClientConfiguration.timeout = .init(connect: .seconds(10), read: .seconds(30))
        let replyClient = HTTPClient(
            eventLoopGroup: HTTPClient.defaultEventLoopGroup,
            configuration: replyClientConfiguration
        )
        let server: WebhookServer
        let delivery: WebhookDeliveryService
        do {
            server = try WebhookServer(
                configuration: WebhookServer.Configuration(
                    host: webhooks.listen.host,
                    port: webhooks.listen.port,
                    maxBodyBytes: webhooks.maxBodyBytes,
                    deliveryIDRetention: self.configuration.storage.deliveryIdRetention,
                    maxConnections: webhooks.maxConnections,
                    endpoints: endpoints
                ),
                store: store,
                answerer: answerer,
                wakeup: wakeup,
                logger: logger,
                onServerRunning: { port in
                    logger.info(
                        "Webhook listener ready",
                        metadata: ["webhooks.address": "\(webhooks.listen.host):\(port)"]
                    )
                }
            )
            delivery = try WebhookDeliveryService(
                configuration: WebhookDeliveryService.Configuration(
                    retry: DeliveryRetryPolicy(
                        initialBackoff: webhooks.outbox.initialBackoff,
                        maxBackoff: webhooks.outbox.maxBackoff,
                        giveUpAfter: webhooks.outbox.giveUpAfter
                    ),
                    maxConcurrentQuestions: self.configuration.goapi.maxConcurrentRequests,
                    deliveryIDRetention: self.configuration.storage.deliveryIdRetention
                ),
                endpoints: endpoints,
                store: store,
                answerer: answerer,
                sender: HTTPClientReplySender(client: replyClient),
                wakeup: wakeup,
                logger: logger
            )
        } catch {
            // Not `syncShutdown()`: this runs on an event loop, where AsyncHTTPClient refuses to block.
            try? await replyClient.shutdown()
            throw StartupError(message: "webhooks: \(error)")
        }
        return [ShutdownHook(name: "webhook-replies") { try await replyClient.shutdown() }, delivery, server]
    }
}
