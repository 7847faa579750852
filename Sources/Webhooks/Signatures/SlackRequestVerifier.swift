import Common
import Crypto
import Foundation

/// Slack's request signing (v0): `X-Slack-Signature` = `v0=` + hex(HMAC-SHA256(signing secret,
/// `v0:<X-Slack-Request-Timestamp>:<raw body>`)), with a 5-minute replay window.
package struct SlackRequestVerifier: Sendable {
    private let key: SymmetricKey

    /// Creates a verifier for a Slack app's signing secret.
    package init(signingSecret: String) {
        self.key = SymmetricKey(data: Data(signingSecret.utf8))
    }

    /// Checks a request's signature headers against its raw body, in constant time.
    package func verify(
        timestamp: String?,
        signature: String?,
        body: some DataProtocol,
        now: Date,
        tolerance: TimeInterval = 300
    ) throws(WebhookSignatureError) {
        guard let timestamp else {
            throw WebhookSignatureError(.missingHeader, "X-Slack-Request-Timestamp header is missing")
        }
        guard let signature else { throw WebhookSignatureError(.missingHeader, "X-Slack-Signature header is missing") }
        guard let seconds = Int(timestamp) else {
            throw WebhookSignatureError(.malformedTimestamp, "X-Slack-Request-Timestamp is not a number of seconds")
        }
        guard abs(now.timeIntervalSince1970 - Double(seconds)) <= tolerance else {
            throw WebhookSignatureError(
                .staleTimestamp,
                "X-Slack-Request-Timestamp is outside the \(Int(tolerance)) s window"
            )
        }
        guard signature.hasPrefix("v0="), let mac = Self.hexBytes(signature.dropFirst(3)) else {
            throw WebhookSignatureError(.mismatch, "X-Slack-Signature is not a v0 signature")
        }
        var content = Data("v0:\(timestamp):".utf8)
        content.append(contentsOf: body)
        guard HMAC<SHA256>.isValidAuthenticationCode(mac, authenticating: content, using: self.key) else {
            throw WebhookSignatureError(.mismatch, "X-Slack-Signature does not match the body")
        }
    }

    /// The 32 bytes of 64 hex digits; nil for anything else. Read as UTF-8 bytes: the header is the sender's to fill,
    /// and a non-ASCII character must not change how far the reading steps.
    private static func hexBytes(_ hex: Substring) -> Data? {
        let digits = Array(hex.utf8)
        guard digits.count == 64 else { return nil }
        var bytes = Data(capacity: 32)
        for pair in stride(from: 0, to: digits.count, by: 2) {
            guard let high = HexDigit.value(of: digits[pair]), let low = HexDigit.value(of: digits[pair + 1]) else {
                return nil
            }
            bytes.append(high << 4 | low)
        }
        return bytes
    }
}
