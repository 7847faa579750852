import BridgeTesting
import Foundation

/// The bridge's admin listener as an operator's tooling sees it: `/healthz`, `/readyz` and `/metrics` over HTTP.
struct AdminClient: Sendable {
    /// What `/readyz` answered.
    struct Readiness: Sendable, CustomStringConvertible {
        /// 200 when ready, 503 when not.
        var status: Int
        /// Each check by name (`store`, `shutdown`, `irc:<network>`): nil when ready, else the reason given.
        var notReady: [String: String]
        /// Each check's detail, ready or not (a ready IRC network names the channels the bot is not in).
        var details: [String: String]
        /// The names of every check reported.
        var checks: Set<String>
        /// The raw body, for messages.
        var body: String

        var description: String { "\(self.status) \(self.body)" }
    }

    /// The admin listener's port on 127.0.0.1.
    let port: Int

    /// Finds the port in `bridge`'s log.
    init(_ bridge: BridgeProcess) async throws {
        self.port = try await bridge.adminPort()
    }

    /// GET `/healthz`'s status.
    func health() async throws -> Int {
        try await self.get("/healthz").status
    }

    /// GET `/readyz`.
    func readiness() async throws -> Readiness {
        let response = try await self.get("/readyz")
        let checks = response.json?["checks"] as? [String: Any] ?? [:]
        var notReady: [String: String] = [:]
        var details: [String: String] = [:]
        for (name, value) in checks {
            let part = value as? [String: Any] ?? [:]
            details[name] = part["detail"] as? String
            if part["ready"] as? Bool != true {
                notReady[name] = part["detail"] as? String ?? "(no detail)"
            }
        }
        return Readiness(
            status: response.status,
            notReady: notReady,
            details: details,
            checks: Set(checks.keys),
            body: String(decoding: response.body, as: UTF8.self)
        )
    }

    /// Polls `/readyz` until its status is `status`, and returns that answer.
    func waitForReadiness(status: Int, timeout: Duration = .seconds(60)) async throws -> Readiness {
        try await waitFor("/readyz answering \(status)", timeout: timeout) {
            let readiness = try await self.readiness()
            return readiness.status == status ? readiness : nil
        }
    }

    /// Polls `/readyz` until check `name`'s detail contains `text`, or has no detail when `text` is nil.
    func waitForDetail(
        of name: String,
        containing text: String?,
        timeout: Duration = .seconds(60)
    ) async throws
        -> Readiness
    {
        try await waitFor("/readyz detail of \(name) containing \(text ?? "nothing")", timeout: timeout) {
            let readiness = try await self.readiness()
            let detail = readiness.details[name]
            guard let text else { return detail == nil ? readiness : nil }
            return detail?.contains(text) == true ? readiness : nil
        }
    }

    /// GET `/metrics`, parsed.
    func metrics() async throws -> PrometheusText {
        let response = try await self.get("/metrics")
        guard response.status == 200 else {
            throw PrometheusText.Unreadable(line: "HTTP \(response.status) from /metrics")
        }
        return try PrometheusText(parsing: String(decoding: response.body, as: UTF8.self))
    }

    private func get(_ path: String) async throws -> TestHTTPClient.Response {
        try await TestHTTPClient.send(method: "GET", port: self.port, path: path, timeout: .seconds(20))
    }
}
