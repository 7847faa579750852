import BridgeTesting
import Foundation
import Store
import Testing
import Webhooks

@Suite struct GenericWebhookHandlerTests {
    static let question = #"{"thread": "t-1", "user": "ana", "text": "What is six times seven?"}"#

    @Test func syncAnswersInTheResponse() async throws {
        let answerer = FakeAnswerer(.reply("Forty-two."))
        try await WebhookTestHarness.withServer(
            endpoints: [WebhookTestHarness.generic(mode: .sync(timeout: .seconds(5)))],
            answerer: answerer
        ) { harness in
            let response = try await harness.post(body: Self.question, id: "msg_sync1")
            #expect(response.status == 200)
            let json = try #require(response.json)
            #expect(json["id"] as? String == "msg_sync1")
            #expect(json["thread"] as? String == "t-1")
            #expect(json["conversation_id"] as? String == "conv-1")
            #expect(json["reply"] as? String == "Forty-two.")
            #expect(json["incomplete"] as? Bool == false)
            #expect(json["error"] == nil && json["partial"] == nil)
        }
        #expect(
            answerer.questions == [
                WebhookQuestion(endpoint: "/hooks/team", thread: "t-1", user: "ana", text: "What is six times seven?")
            ]
        )
    }

    /// A sender rotating its secret may send each signature as its own `webhook-signature` line (Go's
    /// `Header.Add`, for one); HTTP makes repeated lines one comma-joined list, and a valid one must still hold.
    @Test func aValidSignatureInTheFirstOfTwoSignatureHeadersHolds() async throws {
        let answerer = FakeAnswerer(.reply("Forty-two."))
        try await WebhookTestHarness.withServer(
            endpoints: [WebhookTestHarness.generic(mode: .sync(timeout: .seconds(5)))],
            answerer: answerer
        ) { harness in
            let seconds = Int(Date().timeIntervalSince1970)
            let body = Data(Self.question.utf8)
            let valid = try StandardWebhookSigner(secret: WebhookTestHarness.secret)
                .signature(id: "msg_two_sigs", timestamp: seconds, body: body)
            let retired = try StandardWebhookSigner(secret: "whsec_" + Data("old secret".utf8).base64EncodedString())
                .signature(id: "msg_two_sigs", timestamp: seconds, body: body)
            let response = try await TestHTTPClient.send(
                port: harness.port,
                path: "/hooks/team",
                headers: [
                    ("content-type", "application/json"), ("webhook-id", "msg_two_sigs"),
                    ("webhook-timestamp", String(seconds)), ("webhook-signature", valid),
                    ("webhook-signature", retired),
                ],
                body: body
            )
            #expect(response.status == 200, "\(response.status) \(String(decoding: response.body, as: UTF8.self))")
        }
        #expect(answerer.questions.count == 1)
    }

    @Test func aSyncAnswerSlowerThanTheTimeoutIs504ThenTheRetryGetsIt() async throws {
        let gate = StubGate()
        let answerer = FakeAnswerer(.holdOn(text: "What is six times seven?", until: gate, reply: "Forty-two."))
        try await WebhookTestHarness.withServer(
            endpoints: [WebhookTestHarness.generic(mode: .sync(timeout: .milliseconds(200)))],
            answerer: answerer
        ) { harness in
            let response = try await harness.post(body: Self.question, id: "msg_slow")
            #expect(response.status == 504)
            #expect(response.json?["code"] as? String == "answer_timeout")
            #expect(response.headers["retry-after"] == "5")
            // The sender retries with the same webhook-id (Standard Webhooks): still coming, then the answer.
            let early = try await harness.post(body: Self.question, id: "msg_slow")
            #expect(early.status == 409)
            #expect(early.json?["code"] as? String == "delivery_in_progress")
            gate.open()
            var retry = early
            #expect(
                try await WebhookTestHarness.eventually {
                    retry = try await harness.post(body: Self.question, id: "msg_slow")
                    return retry.status != 409
                }
            )
            #expect(retry.status == 200)
            #expect(retry.json?["id"] as? String == "msg_slow")
            #expect(retry.json?["reply"] as? String == "Forty-two.")
        }
        #expect(answerer.questions.count == 1, "the retries asked nothing")
    }

    @Test func aSyncAnswerCutOffByTheServerStoppingIsAnsweredOnTheRetryAfterTheNextStart() async throws {
        let store = InMemoryBridgeStore()
        let hanging = FakeAnswerer(.hang)
        try await WebhookTestHarness.withServer(
            endpoints: [WebhookTestHarness.generic(mode: .sync(timeout: .milliseconds(200)))],
            store: store,
            answerer: hanging
        ) { harness in
            let response = try await harness.post(body: Self.question, id: "msg_cut")
            #expect(response.status == 504)
        }
        #expect(hanging.questions.count == 1)
        let answerer = FakeAnswerer(.reply("Forty-two."))
        try await WebhookTestHarness.withServer(
            endpoints: [WebhookTestHarness.generic(mode: .sync(timeout: .seconds(5)))],
            store: store,
            answerer: answerer
        ) { harness in
            let retry = try await harness.post(body: Self.question, id: "msg_cut")
            #expect(retry.status == 200, "not the 504, and not 409 until the id expires")
            #expect(retry.json?["reply"] as? String == "Forty-two.")
        }
        #expect(answerer.questions.count == 1)
    }

    @Test func aSyncRepeatWhileTheFirstIsAnsweredIs409AndAsksNothing() async throws {
        let answerer = FakeAnswerer(.hang)
        try await WebhookTestHarness.withServer(
            endpoints: [WebhookTestHarness.generic(mode: .sync(timeout: .seconds(30)))],
            answerer: answerer
        ) { harness in
            let first = Task { try await harness.post(body: Self.question, id: "msg_busy") }
            #expect(try await WebhookTestHarness.eventually { answerer.questions.count == 1 })
            let repeated = try await harness.post(body: Self.question, id: "msg_busy")
            #expect(repeated.status == 409)
            #expect(repeated.json?["code"] as? String == "delivery_in_progress")
            #expect(repeated.headers["retry-after"] == "5")
            #expect(answerer.questions.count == 1)
            first.cancel()
        }
    }

    @Test func aSyncRequestAnEarlierProcessDiedAnsweringIsAnsweredOnItsRetry() async throws {
        let answerer = FakeAnswerer(.reply("Forty-two."))
        let store = InMemoryBridgeStore()
        // What a process killed mid-answer leaves: the id remembered, no response.
        _ = try await store.rememberDelivery(
            scope: "/hooks/team",
            id: "msg_orphan",
            acknowledgement: nil,
            expiresAt: Date().addingTimeInterval(3_600),
            now: Date()
        )
        try await WebhookTestHarness.withServer(
            endpoints: [WebhookTestHarness.generic(mode: .sync(timeout: .seconds(5)))],
            store: store,
            answerer: answerer
        ) { harness in
            let retry = try await harness.post(body: Self.question, id: "msg_orphan")
            #expect(retry.status == 200, "not 409 until the id expires")
            #expect(retry.json?["reply"] as? String == "Forty-two.")
            let repeated = try await harness.post(body: Self.question, id: "msg_orphan")
            #expect(repeated.body == retry.body, "and remembered from then on")
        }
        #expect(answerer.questions.count == 1)
    }

    @Test(arguments: [
        WebhookServer.GenericMode.sync(timeout: .seconds(5)), .async(replyURL: "http://127.0.0.1:9/never"),
    ])
    func aRepeatedWebhookIDGetsTheOriginalAcknowledgement(mode: WebhookServer.GenericMode) async throws {
        let answerer = FakeAnswerer()
        try await WebhookTestHarness.withServer(endpoints: [WebhookTestHarness.generic(mode: mode)], answerer: answerer)
        {
            harness in
            let first = try await harness.post(body: Self.question, id: "msg_dup")
            let second = try await harness.post(body: Self.question, id: "msg_dup")
            #expect([200, 202].contains(first.status))
            #expect(second.status == first.status)
            #expect(second.body == first.body)
            if case .async = mode {
                // One question queued, not two.
                #expect(try await harness.store.pendingDeliveryCount() == 1)
            }
        }
        if case .sync = mode {
            #expect(answerer.questions.count == 1)
        }
    }

    @Test func asyncAcknowledgesAtOnceAndPostsOneSignedReply() async throws {
        try await StubWebhookReceiver.withRunning { receiver in
            let answerer = FakeAnswerer(.reply("Forty-two."))
            try await WebhookTestHarness.withServer(
                endpoints: [WebhookTestHarness.generic(mode: .async(replyURL: receiver.url))],
                answerer: answerer,
                delivery: .init(pollInterval: .seconds(5))
            ) { harness in
                let response = try await harness.post(body: Self.question, id: "msg_async1")
                #expect(response.status == 202)
                #expect(response.json?["id"] as? String == "msg_async1")
                #expect(response.json?["thread"] as? String == "t-1")
                #expect(response.json?["status"] as? String == "queued")

                let request = try #require(try await receiver.waitForRequests(1).first)
                #expect(request.path == "/replies")
                #expect(request.headers["content-type"] == "application/json")
                let replyID = try #require(request.headers["webhook-id"])
                #expect(replyID.hasPrefix("msg_") && replyID != "msg_async1")
                try StandardWebhookSigner(secret: WebhookTestHarness.secret).verify(
                    id: replyID,
                    timestamp: request.headers["webhook-timestamp"],
                    signatureHeader: request.headers["webhook-signature"],
                    body: request.body,
                    now: Date()
                )
                let json = try #require(try JSONSerialization.jsonObject(with: request.body) as? [String: Any])
                #expect(json["id"] as? String == "msg_async1")
                #expect(json["thread"] as? String == "t-1")
                #expect(json["conversation_id"] as? String == "conv-1")
                #expect(json["reply"] as? String == "Forty-two.")
                #expect(json["incomplete"] as? Bool == false)

                #expect(try await WebhookTestHarness.eventually { try await harness.store.pendingDeliveryCount() == 0 })
                // A repeat after delivery neither asks again nor posts again.
                #expect(try await harness.post(body: Self.question, id: "msg_async1").status == 202)
                #expect(try await harness.store.pendingDeliveryCount() == 0)
            }
            #expect(answerer.questions.count == 1)
            #expect(receiver.requests.count == 1)
        }
    }

    @Test func incompleteAnswersCarryErrorAndPartial() async throws {
        struct Cut: WebhookAnswerer {
            func answer(_ question: WebhookQuestion) async -> WebhookAnswer {
                WebhookAnswer(
                    conversationID: "conv-9",
                    reply: nil,
                    incomplete: true,
                    error: "stream cut",
                    partial: "Forty"
                )
            }
        }
        let wakeup = OutboxWakeup()
        let store = InMemoryBridgeStore()
        let (ports, continuation) = AsyncStream.makeStream(of: Int.self)
        let server = try WebhookServer(
            configuration: .init(
                host: "127.0.0.1",
                port: 0,
                endpoints: [WebhookTestHarness.generic(mode: .sync(timeout: .seconds(5)))]
            ),
            store: store,
            answerer: Cut(),
            wakeup: wakeup,
            logger: WebhookTestHarness.logger,
            onServerRunning: { continuation.yield($0) }
        )
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await server.run() }
            defer { group.cancelAll() }
            var iterator = ports.makeAsyncIterator()
            let harness = WebhookTestHarness(port: try #require(await iterator.next()), store: store, now: { Date() })
            let json = try #require(try await harness.post(body: Self.question).json)
            #expect(json["reply"] is NSNull)
            #expect(json["incomplete"] as? Bool == true)
            #expect(json["error"] as? String == "stream cut")
            #expect(json["partial"] as? String == "Forty")
            #expect(json["conversation_id"] as? String == "conv-9")
        }
    }
}
