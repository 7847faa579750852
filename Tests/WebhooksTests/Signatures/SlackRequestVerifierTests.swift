import BridgeTesting
import Foundation
import Testing
import Webhooks

@Suite struct SlackRequestVerifierTests {
    struct Vector: Decodable {
        var signingSecret: String
        var timestamp: String
        var body: String
        var signature: String

        enum CodingKeys: String, CodingKey {
            case body
            case signingSecret = "signing_secret"
            case timestamp = "X-Slack-Request-Timestamp"
            case signature = "X-Slack-Signature"
        }
    }

    let vector: Vector
    let now: Date

    init() throws {
        self.vector = try TestData.json(Vector.self, "webhooks/slack-signature.json")
        self.now = Date(timeIntervalSince1970: Double(self.vector.timestamp)! + 10)
    }

    @Test func verifiesSlacksWorkedExample() throws {
        try SlackRequestVerifier(signingSecret: self.vector.signingSecret).verify(
            timestamp: self.vector.timestamp,
            signature: self.vector.signature,
            body: Data(self.vector.body.utf8),
            now: self.now
        )
    }

    @Test func refusesATamperedBodyAWrongSecretAndAStaleTimestamp() {
        let verifier = SlackRequestVerifier(signingSecret: self.vector.signingSecret)
        let tampered = #expect(throws: WebhookSignatureError.self) {
            try verifier.verify(
                timestamp: self.vector.timestamp,
                signature: self.vector.signature,
                body: Data((self.vector.body + "x").utf8),
                now: self.now
            )
        }
        #expect(tampered?.code == .mismatch)
        let wrongSecret = #expect(throws: WebhookSignatureError.self) {
            try SlackRequestVerifier(signingSecret: "not-the-secret").verify(
                timestamp: self.vector.timestamp,
                signature: self.vector.signature,
                body: Data(self.vector.body.utf8),
                now: self.now
            )
        }
        #expect(wrongSecret?.code == .mismatch)
        let stale = #expect(throws: WebhookSignatureError.self) {
            try verifier.verify(
                timestamp: self.vector.timestamp,
                signature: self.vector.signature,
                body: Data(self.vector.body.utf8),
                now: self.now.addingTimeInterval(3600)
            )
        }
        #expect(stale?.code == .staleTimestamp)
    }

    @Test(arguments: [
        "v1=abc", "v0=zz", "v0=" + String(repeating: "0", count: 64),
        // 64 bytes in 63 characters: stepping two characters at a time once ran past the end and stopped the process.
        "v0=é" + String(repeating: "0", count: 62),
        "v0=+f" + String(repeating: "0", count: 62), "v0=" + String(repeating: "0", count: 63) + "g",
    ])
    func refusesMalformedSignatures(signature: String) {
        #expect(throws: WebhookSignatureError.self) {
            try SlackRequestVerifier(signingSecret: self.vector.signingSecret).verify(
                timestamp: self.vector.timestamp,
                signature: signature,
                body: Data(self.vector.body.utf8),
                now: self.now
            )
        }
    }
}
