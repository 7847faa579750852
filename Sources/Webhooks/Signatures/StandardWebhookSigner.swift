import Crypto
import Foundation

/// Standard Webhooks signatures (standardwebhooks.com): `v1,` + base64(HMAC-SHA256(key, id.timestamp.body)),
/// where the key is the base64 part of a `whsec_…` secret. Used both to verify incoming generic webhooks and to
/// sign the replies the bridge POSTs back.
package struct StandardWebhookSigner: Sendable {
    /// An HMAC that has absorbed the key: each message starts from a copy, so the key pads are hashed once, not for
    /// every request.
    private let keyed: HMAC<SHA256>

    /// The secret is not in the `whsec_<base64>` form.
    package struct InvalidSecret: Error, Sendable, CustomStringConvertible {
        package var description: String { "webhook secret must be whsec_ followed by base64" }
    }

    /// Creates a signer from a `whsec_…` secret.
    package init(secret: String) throws {
        guard secret.hasPrefix("whsec_"), let bytes = Data(base64Encoded: String(secret.dropFirst(6))), !bytes.isEmpty
        else { throw InvalidSecret() }
        self.keyed = HMAC<SHA256>(key: SymmetricKey(data: bytes))
    }

    /// The `webhook-signature` header value for a message.
    package func signature(id: String, timestamp: Int, body: some DataProtocol) -> String {
        "v1," + Data(self.code(id: id, timestamp: timestamp, body: body)).base64EncodedString()
    }

    /// Checks the headers of a received message against its raw body.
    ///
    /// The header may carry several space-separated signatures (during secret rotation); one valid `v1` entry is
    /// enough. Comparison is constant-time. The timestamp must be within `tolerance` of `now` either way, which
    /// stops replays of captured requests.
    package func verify(
        id: String?,
        timestamp: String?,
        signatureHeader: String?,
        body: some DataProtocol,
        now: Date,
        tolerance: TimeInterval = 300
    ) throws(WebhookSignatureError) {
        guard let id, !id.isEmpty else { throw WebhookSignatureError(.missingHeader, "webhook-id header is missing") }
        guard let timestamp else { throw WebhookSignatureError(.missingHeader, "webhook-timestamp header is missing") }
        guard let signatureHeader else {
            throw WebhookSignatureError(.missingHeader, "webhook-signature header is missing")
        }
        guard let seconds = Int(timestamp) else {
            throw WebhookSignatureError(.malformedTimestamp, "webhook-timestamp is not a number of seconds")
        }
        guard abs(now.timeIntervalSince1970 - Double(seconds)) <= tolerance else {
            throw WebhookSignatureError(.staleTimestamp, "webhook-timestamp is outside the \(Int(tolerance)) s window")
        }
        let expected = self.code(id: id, timestamp: seconds, body: body)
        for entry in signatureHeader.split(separator: " ") {
            let parts = entry.split(separator: ",", maxSplits: 1)
            guard parts.count == 2, parts[0] == "v1", let mac = Data(base64Encoded: String(parts[1])) else { continue }
            // Constant-time, and false for a MAC of the wrong length.
            if expected == mac { return }
        }
        throw WebhookSignatureError(.mismatch, "no v1 signature matches the body")
    }

    /// HMAC-SHA256 over `id.timestamp.body`, fed in pieces rather than copied into one buffer first.
    private func code(id: String, timestamp: Int, body: some DataProtocol) -> HashedAuthenticationCode<SHA256> {
        var mac = self.keyed
        mac.update(data: Data("\(id).\(timestamp).".utf8))
        mac.update(data: body)
        return mac.finalize()
    }
}
