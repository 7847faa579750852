import Foundation
import Testing

@testable import Webhooks

@Suite struct GenericReplyBodyTests {
    static func json(_ answer: WebhookAnswer) throws -> [String: Any] {
        let body = GenericReplyBody(id: "msg_1", thread: "t", answer: answer).encoded()
        return try #require(try JSONSerialization.jsonObject(with: body) as? [String: Any])
    }

    @Test func aPlainAnswerHasExactlyTheDocumentedKeys() throws {
        let json = try Self.json(WebhookAnswer(conversationID: "c1", reply: "Hi."))
        #expect(Set(json.keys) == ["id", "thread", "conversation_id", "reply", "incomplete"])
        #expect(json["reply"] as? String == "Hi.")
        #expect(json["incomplete"] as? Bool == false)
    }

    @Test func backupAnswersAndMissingImagesAreMarked() throws {
        let answer = WebhookAnswer(
            conversationID: nil,
            reply: "Hi.",
            images: ["https://files.example/a.png"],
            unavailableImages: 1,
            fromBackup: true
        )
        let json = try Self.json(answer)
        #expect(json["source"] as? String == "backup")
        #expect(json["images"] as? [String] == ["https://files.example/a.png"])
        #expect(json["images_unavailable"] as? Int == 1)
        #expect(json["conversation_id"] is NSNull)
    }
}
