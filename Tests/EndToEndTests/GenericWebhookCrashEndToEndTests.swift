import BridgeTesting
import Foundation
import Testing

/// An async generic webhook acknowledged with 202 is answered even when the process dies (SIGKILL: no graceful
/// shutdown) before the answer reaches the receiver: the restarted binary finds the work in the SQLite outbox,
/// delivers exactly one signed reply, and still recognises the request's `webhook-id`.
@Suite(.bridgeBinaryBuilt, .timeLimit(.minutes(3)))
struct GenericWebhookCrashEndToEndTests {
    private let thread = "release-planning"
    private let question = "When is the release?"

    @Test func aReplyTheReceiverRefusedBeforeTheKillIsDeliveredOnceAfterRestart() async throws {
        let conversationID = "c7c7c7c7-0000-4000-8000-00000000c7c7"
        try await WebhookTestbed.run { testbed in
            let configuration = testbed.configuration(reply: .async(replyURL: testbed.receiver.url))
            testbed.goapi.enqueue(.turn(conversationID: conversationID, question: self.question, reply: "Friday."))
            // The receiver is down for as long as the first process lives: every attempt it makes is refused, so
            // however fast it retries, nothing is delivered before the kill.
            for _ in 0..<50 {
                testbed.receiver.enqueue(.init(status: 503))
            }
            let first = try await testbed.launchBridge(configuration)
            let request = try SignedWebhookRequest(thread: self.thread, text: self.question)
            let acknowledgement = try await request.send(to: first.port)
            try #require(acknowledgement.status == 202, "\(String(decoding: acknowledgement.body, as: UTF8.self))")
            #expect(acknowledgement.json?["id"] as? String == request.id)
            #expect(acknowledgement.json?["thread"] as? String == self.thread)
            #expect(acknowledgement.json?["status"] as? String == "queued")

            let refused = try await testbed.receiver.waitForRequests(1, timeout: .seconds(60))
            // Killed once the refusal is on record (the retry is scheduled in SQLite), not while the process could
            // still be writing down the outcome of the attempt.
            try await first.process.waitForLog(containing: "Webhook outbox row will be retried")
            #expect(await testbed.kill(first) == .signalled(9), "ended by SIGKILL")
            // A retry the process wrote just before it died may still be on its way through the receiver's socket;
            // once its connections are closed, this count is final.
            try await testbed.receiver.waitUntilNoConnectionIsOpen()
            let refusedCount = testbed.receiver.requests.count
            testbed.receiver.discardQueuedAnswers()

            let second = try await testbed.launchBridge(configuration)
            let requests = try await testbed.receiver.waitForRequests(refusedCount + 1, timeout: .seconds(60))
            try await second.process.waitForLog(containing: "Webhook reply delivered")
            let delivery = requests[refusedCount]
            try self.expectReply(delivery, to: request, conversationID: conversationID, text: "Friday.")
            #expect(
                delivery.headers["webhook-id"] == refused[0].headers["webhook-id"],
                "the retry after the restart is the same message, so a receiver can deduplicate"
            )

            let repeated = try await request.send(to: second.port)
            #expect(repeated.status == 202)
            #expect(repeated.body == acknowledgement.body, "a repeat gets the original acknowledgement")
            #expect(await second.process.stop() == .exited(0))
            #expect(testbed.receiver.requests.count == refusedCount + 1, "exactly one delivery was accepted")
            #expect(
                testbed.goapi.conversationRequests.map(\.path) == [StubGoAPIServer.createPath],
                "the answer stored before the kill is not asked for again, nor is the repeat"
            )
        }
    }

    @Test func anAnswerGoAPIHasNotSentWhenTheProcessIsKilledIsAskedAgainAndDeliveredAfterRestart() async throws {
        let conversationID = "d8d8d8d8-0000-4000-8000-00000000d8d8"
        try await WebhookTestbed.run { testbed in
            let configuration = testbed.configuration(reply: .async(replyURL: testbed.receiver.url))
            // The first answer's first event is a minute away (the kill comes milliseconds after the question reaches
            // the stub), so the first process dies with no answer and no conversation id: nothing to deliver.
            testbed.goapi.enqueue(
                .reply("Too late.", eventDelay: .seconds(60)),
                .turn(conversationID: conversationID, question: self.question, reply: "Friday at noon.")
            )
            let first = try await testbed.launchBridge(configuration)
            let request = try SignedWebhookRequest(thread: self.thread, text: self.question)
            let acknowledgement = try await request.send(to: first.port)
            try #require(acknowledgement.status == 202, "\(String(decoding: acknowledgement.body, as: UTF8.self))")
            try await waitUntil("the question reaching GoAPI") { testbed.goapi.conversationRequests.count == 1 }
            #expect(await testbed.kill(first) == .signalled(9), "ended by SIGKILL")
            #expect(testbed.receiver.requests.isEmpty, "nothing was delivered before the kill")

            let second = try await testbed.launchBridge(configuration)
            let requests = try await testbed.receiver.waitForRequests(1, timeout: .seconds(60))
            try await second.process.waitForLog(containing: "Webhook reply delivered")
            try self.expectReply(requests[0], to: request, conversationID: conversationID, text: "Friday at noon.")
            #expect(
                testbed.goapi.conversationRequests.map(\.questionText)
                    == Array(repeating: "alice: \(self.question)", count: 2),
                "the answer lost with the process is asked for again, once"
            )

            let repeated = try await request.send(to: second.port)
            #expect(repeated.status == 202)
            #expect(repeated.body == acknowledgement.body, "a repeat gets the original acknowledgement")
            #expect(await second.process.stop() == .exited(0))
            #expect(testbed.receiver.requests.count == 1, "exactly one delivery")
            #expect(testbed.goapi.conversationRequests.count == 2, "the repeat caused no GoAPI call")
        }
    }

    /// Checks a reply POST: sent to the configured URL, signed with the endpoint's secret, answering `request`.
    private func expectReply(
        _ delivery: StubWebhookReceiver.RecordedRequest,
        to request: SignedWebhookRequest,
        conversationID: String,
        text: String
    ) throws {
        #expect(delivery.path == "/replies")
        #expect(delivery.headers["content-type"] == "application/json")
        #expect(throws: Never.self, "signed with the endpoint secret") {
            try delivery.verifySignature(secret: WebhookTestbed.secret)
        }
        #expect(delivery.headers["webhook-id"] != request.id, "a reply is its own message")
        let json = try #require(delivery.json, "\(String(decoding: delivery.body, as: UTF8.self))")
        #expect(json["id"] as? String == request.id)
        #expect(json["thread"] as? String == self.thread)
        #expect(json["conversation_id"] as? String == conversationID)
        #expect(json["reply"] as? String == text)
        #expect(json["incomplete"] as? Bool == false)
    }
}
