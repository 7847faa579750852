import Foundation

extension BridgeProcess {
    /// What the bridge logs once the webhook server listens (at info level, in the default logfmt format).
    private static let listeningMarker = "webhooks.address=127.0.0.1:"

    /// The port the webhook server bound. With `webhooks.listen` on port 0 only the process knows it, and it says
    /// so in its log; the line is also the sign that requests can be sent.
    ///
    /// - Throws: ``BridgeProcessError`` if the line does not appear within `timeout` or names no port.
    func webhookPort(timeout: Duration = .seconds(60)) async throws -> Int {
        try await self.loggedPort(after: Self.listeningMarker, timeout: timeout)
    }

    /// The port the admin listener (`/healthz`, `/readyz`, `/metrics`) bound, from the bridge's log line.
    func adminPort(timeout: Duration = .seconds(60)) async throws -> Int {
        try await self.loggedPort(after: "admin.address=127.0.0.1:", timeout: timeout)
    }

    private func loggedPort(after marker: String, timeout: Duration) async throws -> Int {
        try await self.waitForLog(containing: marker, timeout: timeout)
        let log = self.log
        let digits = log.range(of: marker).map { log[$0.upperBound...].prefix { $0.isASCII && $0.isNumber } }
        guard let digits, let port = Int(digits), port > 0 else {
            throw BridgeProcessError(
                message: "goapi-bridge logged no usable port after \(marker)",
                logTail: self.logTail()
            )
        }
        return port
    }
}
