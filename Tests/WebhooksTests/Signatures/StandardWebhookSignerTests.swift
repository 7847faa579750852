import BridgeTesting
import Foundation
import Testing
import Webhooks

@Suite struct StandardWebhookSignerTests {
    let vector: TestData.StandardWebhooksVector
    let signer: StandardWebhookSigner
    let signedAt: Date

    init() throws {
        self.vector = try TestData.standardWebhooksVector()
        self.signer = try StandardWebhookSigner(secret: self.vector.secret)
        self.signedAt = self.vector.signedAt
    }

    @Test func signsTheReferenceVector() throws {
        let timestamp = try #require(Int(self.vector.timestamp))
        #expect(
            self.signer.signature(id: self.vector.id, timestamp: timestamp, body: Data(self.vector.body.utf8))
                == self.vector.signature
        )
    }

    @Test func verifiesTheReferenceVector() throws {
        try self.signer.verify(
            id: self.vector.id,
            timestamp: self.vector.timestamp,
            signatureHeader: self.vector.signature,
            body: Data(self.vector.body.utf8),
            now: self.signedAt.addingTimeInterval(120)
        )
    }

    @Test func acceptsAnyOfSeveralSignatures() throws {
        try self.signer.verify(
            id: self.vector.id,
            timestamp: self.vector.timestamp,
            signatureHeader: "v1,AAAA v2,whatever \(self.vector.signature)",
            body: Data(self.vector.body.utf8),
            now: self.signedAt
        )
    }

    @Test(arguments: [
        ("{\"test\": 2432232315}", WebhookSignatureError.Code.mismatch),
        ("{\"test\": 2432232314} ", .mismatch),
    ])
    func refusesAChangedBody(body: String, code: WebhookSignatureError.Code) {
        #expect(throws: WebhookSignatureError.self) {
            try self.signer.verify(
                id: self.vector.id,
                timestamp: self.vector.timestamp,
                signatureHeader: self.vector.signature,
                body: Data(body.utf8),
                now: self.signedAt
            )
        }
    }

    @Test func refusesReplaysOutsideTheWindow() {
        let error = #expect(throws: WebhookSignatureError.self) {
            try self.signer.verify(
                id: self.vector.id,
                timestamp: self.vector.timestamp,
                signatureHeader: self.vector.signature,
                body: Data(self.vector.body.utf8),
                now: self.signedAt.addingTimeInterval(301)
            )
        }
        #expect(error?.code == .staleTimestamp)
    }

    @Test func refusesMissingHeadersAndWrongSecrets() throws {
        let missing = #expect(throws: WebhookSignatureError.self) {
            try self.signer.verify(
                id: self.vector.id,
                timestamp: self.vector.timestamp,
                signatureHeader: nil,
                body: Data(self.vector.body.utf8),
                now: self.signedAt
            )
        }
        #expect(missing?.code == .missingHeader)
        let other = try StandardWebhookSigner(secret: "whsec_" + Data("another secret".utf8).base64EncodedString())
        let mismatch = #expect(throws: WebhookSignatureError.self) {
            try other.verify(
                id: self.vector.id,
                timestamp: self.vector.timestamp,
                signatureHeader: self.vector.signature,
                body: Data(self.vector.body.utf8),
                now: self.signedAt
            )
        }
        #expect(mismatch?.code == .mismatch)
        #expect(throws: StandardWebhookSigner.InvalidSecret.self) {
            try StandardWebhookSigner(secret: "MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")
        }
    }
}
