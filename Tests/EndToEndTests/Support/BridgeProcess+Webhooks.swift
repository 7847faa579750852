import Foundation

extension BridgeProcess {
    /// What the webhook server logs once it listens (Hummingbird's own line, at info level).
    private static let listeningMarker = "Server started and listening on 127.0.0.1:"

    /// The port the webhook server bound. With `webhooks.listen` on port 0 only the process knows it, and it says
    /// so in its log; the line is also the sign that requests can be sent.
    ///
    /// - Throws: ``BridgeProcessError`` if the line does not appear within `timeout` or names no port.
    func webhookPort(timeout: Duration = .seconds(60)) async throws -> Int {
        try await self.waitForLog(containing: Self.listeningMarker, timeout: timeout)
        let log = self.log
        let digits = log.range(of: Self.listeningMarker).map {
            log[$0.upperBound...].prefix { $0.isASCII && $0.isNumber }
        }
        guard let digits, let port = Int(digits), port > 0 else {
            throw BridgeProcessError(message: "goapi-bridge logged no usable webhook port", logTail: self.logTail())
        }
        return port
    }
}
