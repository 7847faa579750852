import BridgeTesting
import Foundation
import Testing
import Webhooks

@Suite struct GenericWebhookBodyTests {
    @Test func readsAllFields() throws {
        let body = try GenericWebhookBody(parsing: Data(#"{"thread": "t-1", "user": "ana", "text": "Hi"}"#.utf8))
        #expect(body == GenericWebhookBody(thread: "t-1", user: "ana", text: "Hi"))
        let anonymous = try GenericWebhookBody(parsing: Data(#"{"thread": "t-1", "user": null, "text": "Hi"}"#.utf8))
        #expect(anonymous.user == nil)
    }

    @Test(arguments: [
        ("{", "the body is not a JSON object"),
        ("[1]", "the body is not a JSON object"),
        (#"{"text": "Hi"}"#, "field \"thread\" is missing"),
        (#"{"thread": 7, "text": "Hi"}"#, "field \"thread\" must be a string"),
        (#"{"thread": "", "text": "Hi"}"#, "field \"thread\" must not be empty"),
        (#"{"thread": "t"}"#, "field \"text\" is missing"),
        (#"{"thread": "t", "text": true}"#, "field \"text\" must be a string"),
        (#"{"thread": "t", "text": ""}"#, "field \"text\" must not be empty"),
        (#"{"thread": "t", "text": "   \n\t  "}"#, "field \"text\" holds only white space"),
        (#"{"thread": "t", "text": "\u00a0\u200b\ufeff"}"#, "field \"text\" holds only white space"),
        (#"{"thread": "t", "user": ["x"], "text": "Hi"}"#, "field \"user\" must be a string"),
    ])
    func namesTheBadField(body: String, message: String) {
        let error = #expect(throws: WebhookHTTPError.self) { try GenericWebhookBody(parsing: Data(body.utf8)) }
        #expect(error?.code == "invalid_body")
        #expect(error?.message == message)
    }

    @Test func badBodiesAre400OverHTTP() async throws {
        let answerer = FakeAnswerer()
        try await WebhookTestHarness.withServer(
            endpoints: [WebhookTestHarness.generic(mode: .sync(timeout: .seconds(5)))],
            answerer: answerer
        ) { harness in
            let response = try await harness.post(body: #"{"thread": "t", "text": 42}"#)
            #expect(response.status == 400)
            #expect(response.json?["code"] as? String == "invalid_body")
            #expect(response.json?["error"] as? String == "field \"text\" must be a string")
        }
        #expect(answerer.questions.isEmpty)
    }
}
