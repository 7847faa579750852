import Bridge
import Foundation
import GoAPI
import IRC
import Logging
import ServiceLifecycle
import Store
import UnixSignals

/// Turns a validated configuration into the running service: one `ServiceGroup` whose services start in
/// dependency order and shut down in reverse on SIGTERM/SIGINT.
struct BridgeApplication {
    /// The validated configuration to run with.
    let configuration: BridgeConfiguration

    /// Runs until a termination signal. Start-up failures surface as ``StartupError`` with one line to fix.
    func run() async throws {
        let logger = Self.bootstrapLogging(self.configuration.logging)
        let store: SQLiteBridgeStore
        do {
            store = try SQLiteBridgeStore(path: self.configuration.storage.sqlitePath, logger: logger)
        } catch let error as StoreError {
            throw StartupError(message: error.message)
        }
        let client = GoAPIClient(configuration: GoAPIClient.Configuration(self.configuration.goapi))
        if self.configuration.goapi.fallback != nil {
            logger.warning("goapi.fallback is configured but the backup LLM API is not implemented yet; it is ignored")
        }
        let networks = (self.configuration.irc?.networks ?? []).map { network in
            if network.tls && !network.tlsVerify {
                logger.warning(
                    "TLS certificate verification is off for this network",
                    metadata: ["irc.network": "\(network.name)"]
                )
            }
            return (
                service: IRCNetworkService(
                    configuration: network.clientConfiguration,
                    floodBurst: network.flood.burst,
                    floodInterval: network.flood.interval,
                    logger: logger
                ),
                configuration: network.bridgeConfiguration
            )
        }
        let goapi = self.configuration.goapi
        var services: [any Service] = [
            ShutdownHook(name: "store") { try store.close() },
            ShutdownHook(name: "goapi") { try await client.shutdown() },
        ]
        if !networks.isEmpty {
            // Started in dependency order; graceful shutdown runs in reverse, so the bridge finishes its questions
            // while IRC is still connected, then IRC says QUIT, then the client and the store close.
            let bridge = IRCBridge(
                networks: networks.map {
                    (service: $0.service as any IRCNetworkConnection, configuration: $0.configuration)
                },
                asker: ConversationAsker(client: client, store: store),
                store: store,
                defaults: ProfileDefaults(gizmoID: goapi.gizmoId, model: goapi.model, gizmoModel: goapi.gizmoModel),
                logger: logger
            )
            services += networks.map(\.service) + [bridge]
        }
        if let webhooks = self.configuration.webhooks {
            services += try self.webhookServices(webhooks, store: store, client: client, logger: logger)
        }
        let group = ServiceGroup(
            configuration: ServiceGroupConfiguration(
                services: services.map { .init(service: $0) },
                gracefulShutdownSignals: [.sigterm, .sigint],
                logger: logger
            )
        )
        logger.info("goapi-bridge started", metadata: ["version": "\(BridgeVersion.current)"])
        try await group.run()
        logger.info("goapi-bridge stopped")
    }

    /// Installs the structured log handler at the configured level and format; the only `bootstrap` call.
    static func bootstrapLogging(_ logging: BridgeConfiguration.LoggingSection) -> Logger {
        LoggingSystem.bootstrap { label in
            StructuredLogHandler(label: label, format: logging.format, level: logging.level)
        }
        return Logger(label: "goapi-bridge")
    }
}

/// A start-up failure with the one line an operator needs (which file, which key, what to do).
struct StartupError: Error, CustomStringConvertible {
    /// What went wrong and how to fix it.
    var message: String

    var description: String { self.message }
}

/// A service that does nothing but run `action` at graceful shutdown: closing resources that other services
/// used (the store, the HTTP client) after those services have stopped.
struct ShutdownHook: Service {
    /// For logs.
    let name: String
    /// What to run at shutdown.
    let action: @Sendable () async throws -> Void

    func run() async throws {
        try? await gracefulShutdown()
        try await self.action()
    }
}

extension GoAPIClient.Configuration {
    /// The client's settings from the `goapi` section.
    init(_ section: BridgeConfiguration.GoAPISection) {
        self.init(
            baseURL: section.baseURL.absoluteString,
            apiKey: section.apiKey.exposedValue,
            model: section.model,
            gizmoModel: section.gizmoModel,
            connectTimeout: section.connectTimeout,
            idleTimeout: section.idleTimeout,
            replyTimeout: section.replyTimeout,
            maxConcurrentRequests: section.maxConcurrentRequests,
            retry: RetryPolicy(
                maxAttempts: section.retry.maxAttempts,
                initialBackoff: section.retry.initialBackoff,
                maxBackoff: section.retry.maxBackoff
            )
        )
    }
}
