import BridgeTesting
import CoreMetrics
import Foundation
import Logging
import NIOCore
import NIOPosix
import Prometheus
import Synchronization
import Testing

@testable import goapi_bridge

@Suite struct AdminServerTests {
    /// Runs an admin server on a free port with `readiness`, calls `body` with the port, then stops it.
    static func withServer(
        registry: PrometheusCollectorRegistry = PrometheusCollectorRegistry(),
        readiness: ReadinessProbe,
        _ body: (Int) async throws -> Void
    ) async throws {
        let (ports, continuation) = AsyncStream.makeStream(of: Int.self)
        let server = AdminServer(
            host: "127.0.0.1",
            port: 0,
            registry: registry,
            readiness: readiness,
            logger: Logger(label: "admin-tests", factory: { _ in SwiftLogNoOpLogHandler() }),
            onServerRunning: { continuation.yield($0) }
        )
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await server.run() }
            defer { group.cancelAll() }
            var iterator = ports.makeAsyncIterator()
            guard let port = await iterator.next() else { throw CancellationError() }
            try await body(port)
        }
    }

    static func get(_ path: String, port: Int) async throws -> TestHTTPClient.Response {
        try await TestHTTPClient.send(method: "GET", port: port, path: path)
    }

    @Test func healthIsAlwaysOKAndReadinessNamesWhatIsNotReady() async throws {
        let ircReady = Mutex(false)
        let readiness = ReadinessProbe(checks: [
            .init(name: "store") { nil },
            .init(name: "irc:libera") { ircReady.withLock { $0 } ? nil : "not registered" },
        ])
        try await Self.withServer(readiness: readiness) { port in
            let health = try await Self.get("/healthz", port: port)
            #expect(health.status == 200)
            #expect(health.json?["status"] as? String == "ok")

            let notReady = try await Self.get("/readyz", port: port)
            #expect(notReady.status == 503)
            #expect(notReady.json?["ready"] as? Bool == false)
            let checks = try #require(notReady.json?["checks"] as? [String: [String: Any]])
            #expect(checks["irc:libera"]?["ready"] as? Bool == false)
            #expect(checks["irc:libera"]?["detail"] as? String == "not registered")
            #expect(checks["store"]?["ready"] as? Bool == true)

            ircReady.withLock { $0 = true }
            let ready = try await Self.get("/readyz", port: port)
            #expect(ready.status == 200)
            #expect(ready.json?["ready"] as? Bool == true)
        }
    }

    @Test func aReadyPartCanCarryANoteAndStaysReady() async throws {
        let readiness = ReadinessProbe(checks: [
            .init(name: "irc:libera", note: { "not joined: #ops (474 Cannot join channel (+b))" }, evaluate: { nil }),
            .init(name: "store", note: { "never shown: the part is not ready" }, evaluate: { "not writable" }),
        ])
        let report = await readiness.report()
        #expect(report.ready == false)
        #expect(report.checks["irc:libera"]?.ready == true)
        #expect(report.checks["irc:libera"]?.detail == "not joined: #ops (474 Cannot join channel (+b))")
        #expect(report.checks["store"]?.detail == "not writable")
    }

    @Test func aHangingCheckCountsAsNotReadyInsteadOfHangingTheProbe() async throws {
        let readiness = ReadinessProbe(checks: [
            .bounded("store", timeout: .milliseconds(100)) {
                try? await Task.sleep(for: .seconds(60))
                return nil
            }
        ])
        let report = await readiness.report()
        #expect(report.ready == false)
        #expect(report.checks["store"]?.detail?.hasPrefix("no answer within") == true)
    }

    /// The store's check is a SQLite write, which waits out the 5 s busy timeout when another process holds the
    /// write lock (a `sqlite3` shell in a transaction) and does not stop for cancellation. Against the real binary,
    /// `/readyz` then answered after 5.03 s with `"detail":"no answer within 2.0 seconds"`: probes with shorter
    /// timeouts saw no answer at all instead of the 503 report.
    @Test func aCheckThatIgnoresCancellationStillAnswersWithinTheBound() async throws {
        // The check ends only when the test lets it, after the report (or, should the report wait for it, after
        // 60 s): no wall-clock bound, which a loaded two-core machine running the suite could break.
        let pending = Mutex<CheckedContinuation<Void, Never>?>(nil)
        let endedBeforeTheReport = Mutex(false)
        let release = { @Sendable (early: Bool) in
            guard let check = pending.withLock({ $0.take() }) else { return }
            if early { endedBeforeTheReport.withLock { $0 = true } }
            check.resume()
        }
        let readiness = ReadinessProbe(checks: [
            .bounded("store", timeout: .milliseconds(100)) {
                await withCheckedContinuation { (check: CheckedContinuation<Void, Never>) in
                    pending.withLock { $0 = check }
                    DispatchQueue.global().asyncAfter(deadline: .now() + 60) { release(true) }
                }
                return nil
            }
        ])
        let report = await readiness.report()
        #expect(!endedBeforeTheReport.withLock { $0 }, "the report waited for a check past its bound")
        release(false)
        #expect(report.ready == false)
        #expect(report.checks["store"]?.detail?.hasPrefix("no answer within") == true)
    }

    @Test func metricsAreServedInPrometheusTextFormat() async throws {
        let registry = PrometheusCollectorRegistry()
        let factory = PrometheusMetricsFactory(registry: registry)
        let counter = factory.makeCounter(
            label: "webhook_requests_total",
            dimensions: [("endpoint", "/hooks/team"), ("status", "202")]
        )
        counter.increment(by: Int64(3))
        try await Self.withServer(registry: registry, readiness: ReadinessProbe(checks: [])) { port in
            let metrics = try await Self.get("/metrics", port: port)
            #expect(metrics.status == 200)
            #expect(metrics.headers["content-type"]?.hasPrefix("text/plain; version=0.0.4") == true)
            let text = String(decoding: metrics.body, as: UTF8.self)
            #expect(text.contains("# TYPE webhook_requests_total counter"))
            #expect(text.contains(#"webhook_requests_total{endpoint="/hooks/team",status="202"} 3"#))
            #expect(try await Self.get("/nothing", port: port).status == 404)
        }
    }

    @Test func aPortInUseIsOneLineSayingWhatToDo() async throws {
        let readiness = ReadinessProbe(checks: [])
        try await Self.withServer(readiness: readiness) { port in
            let error = await #expect(throws: StartupError.self) {
                try await PortCheck.ensureAvailable([(ListenAddress(host: "127.0.0.1", port: port), "admin.listen")])
            }
            #expect(
                error?.message
                    == "admin.listen 127.0.0.1:\(port): address already in use; stop the other process listening there or choose another port"
            )
        }
    }

    /// Two spellings of one socket pass when each is bound and closed alone; held together, the second is named,
    /// with the first, in one line (not "Address already in use (errno: 98)" from deep in a server's start).
    @Test func twoSpellingsOfOneSocketAreOneLineNamingBoth() async throws {
        let probe = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .bind(host: "127.0.0.1", port: 0).get()
        let port = try #require(probe.localAddress?.port)
        try await probe.close()
        let error = await #expect(throws: StartupError.self) {
            try await PortCheck.ensureAvailable([
                (ListenAddress(host: "localhost", port: port), "admin.listen"),
                (ListenAddress(host: "127.0.0.1", port: port), "webhooks.listen"),
            ])
        }
        #expect(error?.message.hasPrefix("webhooks.listen 127.0.0.1:\(port): address already in use") == true)
        #expect(error?.message.contains("admin.listen localhost:\(port) may be the same socket") == true)
    }

    /// A restart right after a stop finds the previous run's closed connections in TIME_WAIT on the listen port
    /// (a keep-alive Prometheus scraper or reverse proxy leaves them). The listener binds regardless
    /// (SO_REUSEADDR); so must the check, or every quick restart fails for a minute with a false "in use".
    @Test func connectionsLeftInTimeWaitDoNotBlockARestart() async throws {
        let listener = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in channel.pipeline.addHandler(CloseOnActive()) }
            .bind(host: "127.0.0.1", port: 0).get()
        let port = try #require(listener.localAddress?.port)
        // The server closes first, so its side of the connection is the one left in TIME_WAIT.
        let client = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connect(host: "127.0.0.1", port: port).get()
        try await client.closeFuture.get()
        try await listener.close()
        try await PortCheck.ensureAvailable([(ListenAddress(host: "127.0.0.1", port: port), "admin.listen")])
    }
}

/// Closes each accepted connection at once, from the server's side.
private final class CloseOnActive: ChannelInboundHandler, Sendable {
    typealias InboundIn = Never

    func channelActive(context: ChannelHandlerContext) {
        context.close(promise: nil)
    }
}
