import BridgeTesting
import Foundation
import Webhooks

extension StubWebhookReceiver.RecordedRequest {
    /// The body parsed as a JSON object, if it is one.
    var json: [String: Any]? {
        (try? JSONSerialization.jsonObject(with: self.body)) as? [String: Any]
    }

    /// Checks the Standard Webhooks headers against the raw body with the endpoint's `secret`, as a receiver does
    /// before trusting a reply; throws ``WebhookSignatureError`` when they do not match or the timestamp is more
    /// than five minutes from now.
    func verifySignature(secret: String) throws {
        try StandardWebhookSigner(secret: secret).verify(
            id: self.headers["webhook-id"],
            timestamp: self.headers["webhook-timestamp"],
            signatureHeader: self.headers["webhook-signature"],
            body: self.body,
            now: Date()
        )
    }
}
