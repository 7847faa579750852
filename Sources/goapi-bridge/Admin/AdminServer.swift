import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import Prometheus
import ServiceLifecycle
import Webhooks

/// The admin listener: `/healthz` (the process serves requests), `/readyz` (every part needed to answer is ready;
/// 503 with the failing parts otherwise) and `/metrics` (Prometheus text format). Loopback by default: health
/// details and metrics are for operators, not the public.
struct AdminServer: Service {
    private let application: Application<RouterResponder<BasicRequestContext>>
    private let accepted = AcceptedHTTPConnections()

    /// Creates the server; `onServerRunning` gets the bound port (useful with port 0).
    init(
        host: String,
        port: Int,
        registry: PrometheusCollectorRegistry,
        readiness: ReadinessProbe,
        logger: Logger,
        onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in }
    ) {
        let router = Router()
        router.get("/healthz") { _, _ in
            Response.adminJSON(status: .ok, Data(#"{"status":"ok"}"#.utf8))
        }
        router.get("/readyz") { _, _ in
            let report = await readiness.report()
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            let body = (try? encoder.encode(report)) ?? Data()
            return Response.adminJSON(status: report.ready ? .ok : .serviceUnavailable, body)
        }
        router.get("/metrics") { _, _ in
            Response(
                status: .ok,
                headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                body: ResponseBody(byteBuffer: ByteBuffer(bytes: registry.emitToBuffer()))
            )
        }
        self.application = Application(
            router: router,
            server: .heldHTTP1(self.accepted),
            configuration: ApplicationConfiguration(address: .hostname(host, port: port), serverName: nil),
            onServerRunning: { channel in
                let bound = channel.localAddress?.port ?? port
                logger.info("Admin listener ready", metadata: ["admin.address": "\(host):\(bound)"])
                await onServerRunning(bound)
            },
            logger: logger.forHTTPServer()
        )
    }

    func run() async throws {
        // A scrape accepted as the server stopped was never served: closed, the scraper does not wait it out.
        defer { self.accepted.closeUnclaimed() }
        try await self.application.run()
    }
}

extension Response {
    /// A small JSON response.
    fileprivate static func adminJSON(status: HTTPResponse.Status, _ body: Data) -> Response {
        Response(
            status: status,
            headers: [.contentType: "application/json; charset=utf-8"],
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: body))
        )
    }
}
