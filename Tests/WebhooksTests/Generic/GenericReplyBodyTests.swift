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

    /// The 202 body before it was written by hand, for comparison.
    private struct EncodedQueuedBody: Encodable {
        var id: String
        var thread: String
        var status = "queued"
    }

    @Test(arguments: JSONObjectWriterTests.hostile)
    func theAcceptedBodyIsWhatJSONEncoderWroteAndReadsBack(thread: String) throws {
        let body = GenericQueuedBody(id: "msg_\"1\"", thread: thread).encoded()
        #expect(body == (try JSONEncoder.webhooks.encode(EncodedQueuedBody(id: "msg_\"1\"", thread: thread))))
        let json = try #require(try JSONSerialization.jsonObject(with: body) as? [String: Any])
        #expect(json.count == 3)
        #expect(json["id"] as? String == "msg_\"1\"")
        #expect(json["thread"] as? String == thread)
        #expect(json["status"] as? String == "queued")
    }

    @Test(arguments: JSONObjectWriterTests.hostile)
    func theStoredAcknowledgementKeepsTheBodyExactly(thread: String) throws {
        let body = GenericQueuedBody(id: "msg_1", thread: thread).encoded()
        let stored = StoredAcknowledgement(status: 202, body: body).encoded()
        #expect(stored == (try JSONEncoder.webhooks.encode(StoredAcknowledgement(status: 202, body: body))))
        let read = try #require(StoredAcknowledgement(stored: stored))
        #expect(read.status == 202)
        #expect(Data(read.body.utf8) == body)
    }

    @Test(arguments: JSONObjectWriterTests.hostile, [nil, "ana", "\"user\"\n"])
    func aQueuedQuestionReadsBackAsItWasQueued(text: String, user: String?) throws {
        let question = GenericOutbox.QueuedQuestion(id: "wh\\1", thread: text, user: user, text: text + "?")
        let payload = question.encoded()
        #expect(payload == (try JSONEncoder.webhooks.encode(question)))
        #expect(try JSONDecoder().decode(GenericOutbox.QueuedQuestion.self, from: payload) == question)
    }
}
