import BridgeTesting
import Foundation
import Testing

/// A graceful shutdown (SIGTERM) gives answers in progress the grace period to finish and reach their askers: an
/// async webhook question GoAPI is still answering when the signal comes is answered, and its reply POSTed, before the
/// process exits, not after the next start.
@Suite(.bridgeBinaryBuilt, .timeLimit(.minutes(3)))
struct GenericWebhookShutdownEndToEndTests {
    @Test func anAnswerFinishedDuringTheGracePeriodIsDeliveredBeforeTheProcessExits() async throws {
        try await WebhookTestbed.run { testbed in
            // The default grace period, 30 s, is far more than the answer needs once the gate opens.
            let configuration = testbed.configuration(reply: .async(replyURL: testbed.receiver.url))
            let answerHeld = StubGate()
            testbed.goapi.enqueue(.replyWhenOpened("Friday.", answerHeld), .reply("You are welcome."))
            let first = try await testbed.launchBridge(configuration)
            let question = try SignedWebhookRequest(thread: "release", text: "When is the release?")
            #expect(try await question.send(to: first.port).status == 202)
            try await waitUntil("the question reaching GoAPI") { testbed.goapi.conversationRequests.count == 1 }

            async let stopped = first.process.stop(gracePeriod: .seconds(90))
            try await first.process.waitForLog(containing: "Shutting down gracefully")
            answerHeld.open()
            #expect(await stopped == .exited(0))
            let delivered = testbed.receiver.requests
            #expect(delivered.count == 1, "the reply was POSTed before the process exited")
            #expect(delivered.first?.json?["id"] as? String == question.id)
            #expect(delivered.first?.json?["reply"] as? String == "Friday.")

            // Delivered means gone from the outbox: the next start sends only the reply to its own question.
            let second = try await testbed.launchBridge(configuration)
            let thanks = try SignedWebhookRequest(thread: "release", text: "Thanks!")
            #expect(try await thanks.send(to: second.port).status == 202)
            let requests = try await testbed.receiver.waitForRequests(2, timeout: .seconds(60))
            #expect(requests[1].json?["reply"] as? String == "You are welcome.")
            #expect(await second.process.stop() == .exited(0))
            #expect(testbed.receiver.requests.count == 2, "the first reply was not sent again")
            #expect(testbed.goapi.conversationRequests.count == 2, "nor its question asked again")
        }
    }
}
