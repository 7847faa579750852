import Bridge
import EventLoopExecutor
import Foundation
import GoAPI
import IRC
import Logging
import Metrics
import Prometheus
import ServiceLifecycle
import Store
import Synchronization
import UnixSignals

/// Turns a validated configuration into the running service: one `ServiceGroup` whose services start in
/// dependency order and shut down in reverse on SIGTERM/SIGINT.
struct BridgeApplication {
    /// The validated configuration to run with.
    let configuration: BridgeConfiguration

    /// Runs until a termination signal. Start-up failures surface as ``StartupError`` with one line to fix.
    func run() async throws {
        let (logger, logWriter) = Self.bootstrapLogging(self.configuration.logging)
        // Every line logged, including the last ones of a shutdown or a failed start, is out before the process
        // ends (a start-up error's own line is printed after this).
        defer { logWriter.flush() }
        let registry = Self.bootstrapMetrics()
        try await PortCheck.ensureAvailable(
            [(self.configuration.admin.listen, "admin.listen")]
                + (self.configuration.webhooks.map { [($0.listen, "webhooks.listen")] } ?? [])
        )
        let store: SQLiteBridgeStore
        do {
            store = try SQLiteBridgeStore(path: self.configuration.storage.sqlitePath, logger: logger)
        } catch let error as StoreError {
            throw StartupError(message: error.message)
        }
        let client = GoAPIClient(configuration: GoAPIClient.Configuration(self.configuration.goapi))
        let backup = self.backupModel(store: store, logger: logger)
        let asker = ConversationAsker(client: client, store: store, backup: backup?.model)
        let networks = self.networkServices(logger: logger)
        let stopping = ShutdownFlag()
        let readiness = ReadinessProbe(
            checks: Self.readinessChecks(store: store, networks: networks.map(\.service), stopping: stopping)
        )
        // Started in this order; graceful shutdown runs in reverse: the webhook server stops accepting first, the
        // bridge finishes its questions while IRC is still connected, IRC says QUIT, the admin listener answers
        // health checks until then, and the GoAPI client and the store close last.
        var services: [any Service] = [
            ShutdownHook(name: "store") { try store.close() },
            ShutdownHook(name: "goapi") { try await client.shutdown() },
        ]
        if let backup {
            services += [ShutdownHook(name: "backup") { try await backup.client.shutdown() }, backup.model]
        }
        services += [
            HeapTrimmer(releaseCaches: { store.releaseMemory() }, logger: logger),
            AdminServer(
                host: self.configuration.admin.listen.host,
                port: self.configuration.admin.listen.port,
                registry: registry,
                readiness: readiness,
                logger: logger
            ),
        ]
        if !networks.isEmpty {
            let goapi = self.configuration.goapi
            let bridge = IRCBridge(
                networks: networks.map {
                    (service: $0.service as any IRCNetworkConnection, configuration: $0.configuration)
                },
                asker: asker,
                store: store,
                defaults: ProfileDefaults(gizmoID: goapi.gizmoId, model: goapi.model, gizmoModel: goapi.gizmoModel),
                replyPages: self.configuration.webhooks?.replyPagePublisher(store: store),
                logger: logger
            )
            services += networks.map(\.service) + [bridge]
        }
        if let webhooks = self.configuration.webhooks {
            services += try await self.webhookServices(webhooks, store: store, asker: asker, logger: logger)
        }
        var groupConfiguration = ServiceGroupConfiguration(
            services: services.map { .init(service: $0) },
            logger: logger
        )
        groupConfiguration.maximumGracefulShutdownDuration = self.configuration.shutdown.gracePeriod
        let group = ServiceGroup(configuration: groupConfiguration)
        let tasksRunOn = await EventLoopExecutor.globalJobsRunOn()
        logger.info(
            "goapi-bridge started",
            metadata: [
                "version": "\(BridgeVersion.current)",
                "tasks_run_on": "\(tasksRunOn)",
            ]
        )
        try await self.run(group, stopping: stopping, logger: logger)
        logger.info("goapi-bridge stopped")
    }

    /// Runs `group` until it ends. The first SIGTERM or SIGINT starts a graceful shutdown (bounded by the grace
    /// period); a second one cancels what is left, unless it comes at once (see ``ShutdownSignals``). Either way the
    /// process then exits normally.
    private func run(_ group: ServiceGroup, stopping: ShutdownFlag, logger: Logger) async throws {
        struct SecondSignal: Error {}
        let signals = await UnixSignalsSequence(trapping: .sigterm, .sigint)
        let grace = self.configuration.shutdown.gracePeriod
        defer {
            // ServiceLifecycle says so only at debug: the operator should hear that work was cut short.
            if let began = stopping.raisedAt, ContinuousClock.now - began >= grace {
                logger.notice(
                    "The grace period ran out; what was still running was cancelled",
                    metadata: ["shutdown.grace_period_s": "\(grace.components.seconds)"]
                )
            }
        }
        do {
            try await withThrowingTaskGroup(of: Void.self) { tasks in
                tasks.addTask { try await group.run() }
                tasks.addTask {
                    var decisions = ShutdownSignals()
                    for await signal in signals {
                        switch decisions.received(at: .now) {
                        case .shutDownGracefully:
                            _ = stopping.raise()
                            logger.info(
                                "Shutting down gracefully",
                                metadata: [
                                    "signal": "\(signal)", "shutdown.grace_period_s": "\(grace.components.seconds)",
                                ]
                            )
                            await group.triggerGracefulShutdown()
                        case .ignoreRepeat:
                            logger.info(
                                "Signal repeated at once; taken as the same request to shut down",
                                metadata: ["signal": "\(signal)"]
                            )
                        case .cancelShutdown:
                            logger.warning(
                                "Second signal: cancelling the rest of the shutdown",
                                metadata: ["signal": "\(signal)"]
                            )
                            throw SecondSignal()
                        }
                    }
                }
                // The group ends after a shutdown (or a failure); the signal watcher then has nothing left to do.
                try await tasks.next()
                tasks.cancelAll()
            }
        } catch is SecondSignal {
            return
        } catch is CancellationError where stopping.isRaised {
            return
        }
    }

    /// The backup model, when `goapi.fallback` is configured.
    private func backupModel(
        store: SQLiteBridgeStore,
        logger: Logger
    ) -> (model: BackupModel, client: ChatCompletionsClient)? {
        guard let fallback = self.configuration.goapi.fallback else { return nil }
        let goapi = self.configuration.goapi
        let client = ChatCompletionsClient(
            configuration: ChatCompletionsClient.Configuration(
                baseURL: fallback.baseURL.absoluteString,
                apiKey: fallback.apiKey.exposedValue,
                model: fallback.model,
                connectTimeout: goapi.connectTimeout,
                idleTimeout: goapi.idleTimeout,
                replyTimeout: goapi.replyTimeout
            )
        )
        let settings = BackupModel.Settings(
            limits: TranscriptLimits(maxTurns: fallback.contextTurns, maxCharacters: fallback.contextCharacters),
            retention: fallback.contextRetention,
            notice: fallback.notice,
            failureThreshold: fallback.failureThreshold,
            probeAfter: fallback.probeAfter
        )
        return (BackupModel(client: client, store: store, settings: settings, logger: logger), client)
    }

    /// One service per configured IRC network, with the bridge's view of its configuration.
    private func networkServices(
        logger: Logger
    ) -> [(service: IRCNetworkService, configuration: IRCBridgeConfiguration)] {
        (self.configuration.irc?.networks ?? []).map { network in
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
    }

    /// `/readyz`: the store takes writes, every IRC network is registered with its channels joined, and no
    /// shutdown is under way.
    private static func readinessChecks(
        store: SQLiteBridgeStore,
        networks: [IRCNetworkService],
        stopping: ShutdownFlag
    ) -> [ReadinessProbe.Check] {
        var checks: [ReadinessProbe.Check] = [
            .bounded("store") {
                do {
                    try await store.checkWritable()
                    return nil
                } catch {
                    return "not writable: \(error)"
                }
            }
        ]
        checks.append(ReadinessProbe.Check(name: "shutdown") { stopping.isRaised ? "shutting down" : nil })
        for network in networks {
            // Registered is ready (DESIGN's `/readyz`): a channel the bot cannot join (banned, invite only) must not
            // take the whole bridge, webhooks included, out of a load balancer. Such channels are named in the
            // detail, and `irc_connection_state` tells registered from every channel joined.
            checks.append(
                ReadinessProbe.Check(name: "irc:\(network.configuration.name)") {
                    let unjoined = network.snapshot.unjoinedChannels
                    guard !unjoined.isEmpty else { return nil }
                    return "not joined: "
                        + unjoined.sorted { $0.key < $1.key }.map { "\($0) (\($1))" }.joined(separator: ", ")
                } evaluate: {
                    network.snapshot.isRegistered ? nil : "not registered"
                }
            )
        }
        return checks
    }

    /// Bootstraps swift-metrics with a Prometheus registry, once per process, and returns the registry.
    static func bootstrapMetrics() -> PrometheusCollectorRegistry {
        let registry = PrometheusCollectorRegistry()
        var factory = PrometheusMetricsFactory(registry: registry)
        factory.durationHistogramBuckets = [
            "goapi_time_to_first_byte_seconds": [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30].map(Duration.seconds),
            "goapi_time_to_end_turn_seconds": [0.5, 1, 2.5, 5, 10, 20, 30, 60, 120, 180, 300].map(Duration.seconds),
        ]
        MetricsSystem.bootstrap(factory)
        return registry
    }

    /// Installs the structured log handler at the configured level and format; the only `bootstrap` call. Returns
    /// the root logger and the writer to flush before the process exits.
    static func bootstrapLogging(_ logging: BridgeConfiguration.LoggingSection) -> (Logger, LogWriter) {
        let writer = StructuredLogHandler.standardErrorWriter(format: logging.format)
        LoggingSystem.bootstrap { label in
            StructuredLogHandler(label: label, format: logging.format, level: logging.level, writer: writer)
        }
        return (Logger(label: "goapi-bridge"), writer)
    }
}

/// Raised by the first termination signal; `/readyz` reports it so load balancers stop sending requests.
final class ShutdownFlag: Sendable {
    private let raised = Mutex<ContinuousClock.Instant?>(nil)

    /// Whether shutdown has begun.
    var isRaised: Bool { self.raisedAt != nil }

    /// When shutdown began, if it has.
    var raisedAt: ContinuousClock.Instant? { self.raised.withLock { $0 } }

    /// Raises the flag; returns true for the first call only.
    func raise() -> Bool {
        self.raised.withLock { raisedAt in
            guard raisedAt == nil else { return false }
            raisedAt = .now
            return true
        }
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
            alternateBaseURLs: section.alternateBaseURLs.map(\.absoluteString),
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
