import BridgeTesting
import Foundation
import Webhooks

/// A generic webhook request as a team's tool sends it: body, `webhook-id`, timestamp and Standard Webhooks
/// signature are fixed when it is made, so sending it again is a byte-for-byte repeat, as a sender's retry is.
struct SignedWebhookRequest: Sendable {
    /// The endpoint path.
    var path: String
    /// `webhook-id`.
    var id: String
    /// `webhook-timestamp`, seconds since 1970.
    var timestamp: Int
    /// The raw JSON body.
    var body: Data
    /// `webhook-signature`.
    var signature: String

    /// Makes a request asking `text` in `thread`, signed with `secret` now.
    init(
        path: String = "/hooks/team",
        id: String = "msg_e2e_\(UUID().uuidString.prefix(8))",
        thread: String,
        user: String = "alice",
        text: String,
        secret: String = WebhookTestbed.secret
    ) throws {
        self.path = path
        self.id = id
        self.timestamp = Int(Date().timeIntervalSince1970)
        self.body = try JSONSerialization.data(
            withJSONObject: ["thread": thread, "user": user, "text": text],
            options: [.sortedKeys]
        )
        self.signature = try StandardWebhookSigner(secret: secret).signature(
            id: id,
            timestamp: self.timestamp,
            body: self.body
        )
    }

    /// POSTs it to the bridge's webhook server on `port`.
    func send(to port: Int, timeout: Duration = .seconds(30)) async throws -> TestHTTPClient.Response {
        try await TestHTTPClient.send(
            port: port,
            path: self.path,
            headers: [
                ("content-type", "application/json"),
                ("webhook-id", self.id),
                ("webhook-timestamp", String(self.timestamp)),
                ("webhook-signature", self.signature),
            ],
            body: self.body,
            timeout: timeout
        )
    }
}
