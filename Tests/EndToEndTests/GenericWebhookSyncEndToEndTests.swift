import BridgeTesting
import Foundation
import Testing

/// A `sync` generic endpoint of the real binary: signed questions are answered in the response, anything not
/// signed with the endpoint's secret is refused before GoAPI is asked.
@Suite(.bridgeBinaryBuilt, .timeLimit(.minutes(3)))
struct GenericWebhookSyncEndToEndTests {
    @Test func aSignedRequestGetsTheAnswerInTheResponseAndARepeatGetsItAgain() async throws {
        let conversationID = "e9e9e9e9-0000-4000-8000-00000000e9e9"
        try await WebhookTestbed.run { testbed in
            let bridge = try await testbed.launchBridge(testbed.configuration(reply: .sync))
            testbed.goapi.enqueue(.turn(conversationID: conversationID, question: "2 + 2?", reply: "Four."))
            let request = try SignedWebhookRequest(thread: "maths", text: "2 + 2?")
            let response = try await request.send(to: bridge.port)

            #expect(response.status == 200, "\(String(decoding: response.body, as: UTF8.self))")
            #expect(response.headers["content-type"]?.hasPrefix("application/json") == true)
            let json = try #require(response.json)
            #expect(json["id"] as? String == request.id)
            #expect(json["thread"] as? String == "maths")
            #expect(json["conversation_id"] as? String == conversationID)
            #expect(json["reply"] as? String == "Four.")
            #expect(json["incomplete"] as? Bool == false)
            #expect(
                testbed.goapi.conversationRequests.first?.questionText == "alice: 2 + 2?",
                "GoAPI is asked the question, prefixed with who asked"
            )

            let repeated = try await request.send(to: bridge.port)
            #expect(repeated.status == 200)
            #expect(repeated.body == response.body, "a repeat gets the original answer")
            #expect(testbed.goapi.conversationRequests.count == 1, "and causes no GoAPI call")
            #expect(testbed.receiver.requests.isEmpty, "sync answers are not POSTed anywhere")
        }
    }

    @Test func unsignedAndWronglySignedRequestsAreRefusedWithoutAskingGoAPI() async throws {
        try await WebhookTestbed.run { testbed in
            let bridge = try await testbed.launchBridge(testbed.configuration(reply: .sync))
            let body = Data(#"{"thread": "maths", "text": "2 + 2?"}"#.utf8)
            let unsigned = try await TestHTTPClient.send(
                port: bridge.port,
                path: "/hooks/team",
                headers: [("content-type", "application/json")],
                body: body,
                timeout: .seconds(30)
            )
            #expect(unsigned.status == 401)
            #expect(unsigned.headers["content-type"]?.hasPrefix("application/json") == true)
            #expect(unsigned.json?["code"] as? String == "missing_signature")
            #expect((unsigned.json?["error"] as? String)?.isEmpty == false)

            let otherSecret = "whsec_" + Data("not the endpoint's secret".utf8).base64EncodedString()
            let forged = try SignedWebhookRequest(thread: "maths", text: "2 + 2?", secret: otherSecret)
            let refused = try await forged.send(to: bridge.port)
            #expect(refused.status == 401)
            #expect(refused.json?["code"] as? String == "invalid_signature")

            #expect(testbed.goapi.requests.isEmpty, "nothing unauthenticated reaches GoAPI")
        }
    }
}
