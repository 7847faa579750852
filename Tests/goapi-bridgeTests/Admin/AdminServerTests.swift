import BridgeTesting
import CoreMetrics
import Foundation
import Logging
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
                try await PortCheck.ensureAvailable(ListenAddress(host: "127.0.0.1", port: port), key: "admin.listen")
            }
            #expect(
                error?.message
                    == "admin.listen 127.0.0.1:\(port): address already in use; stop the other process listening there or choose another port"
            )
        }
    }
}
