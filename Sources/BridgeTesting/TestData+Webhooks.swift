import Foundation

extension TestData {
    /// `webhooks/standard-webhooks.json`: the Standard Webhooks specification's reference example.
    package struct StandardWebhooksVector: Decodable, Sendable {
        /// The `whsec_…` secret.
        package var secret: String
        /// The raw body that was signed.
        package var body: String
        /// `webhook-id`.
        package var id: String
        /// `webhook-timestamp`, seconds since 1970.
        package var timestamp: String
        /// `webhook-signature`.
        package var signature: String

        /// When the example was signed, for an injected clock.
        package var signedAt: Date {
            Date(timeIntervalSince1970: Double(self.timestamp) ?? 0)
        }

        enum CodingKeys: String, CodingKey {
            case secret, body
            case id = "webhook-id"
            case timestamp = "webhook-timestamp"
            case signature = "webhook-signature"
        }
    }

    /// The Standard Webhooks reference example.
    package static func standardWebhooksVector() throws -> StandardWebhooksVector {
        try self.json(StandardWebhooksVector.self, "webhooks/standard-webhooks.json")
    }
}
