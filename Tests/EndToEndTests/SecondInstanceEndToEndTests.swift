import BridgeTesting
import Foundation
import Testing

/// A second `goapi-bridge run` on the same database while the first one runs: `docker compose run goapi-bridge`
/// (its own network namespace, so neither listen address collides), `--scale goapi-bridge=2`, or a manual run next
/// to the systemd service with other ports. Both would work the same SQLite outbox and ask GoAPI the same questions;
/// the second is refused at start instead.
@Suite(.bridgeBinaryBuilt, .timeLimit(.minutes(3)))
struct SecondInstanceEndToEndTests {
    @Test func aSecondBridgeOnTheSameDatabaseIsRefusedAndAsksGoAPINothing() async throws {
        try await WebhookTestbed.run { testbed in
            let configuration = testbed.configuration(reply: .async(replyURL: testbed.receiver.url))
            // The first bridge's answer is held while the second one starts.
            let held = StubGate()
            testbed.goapi.enqueue(.replyWhenOpened("Friday.", held))
            let first = try await testbed.launchBridge(configuration)
            let request = try SignedWebhookRequest(thread: "release", text: "When is the release?")
            #expect(try await request.send(to: first.port).status == 202)
            try await waitUntil("the first bridge asking GoAPI") { testbed.goapi.conversationRequests.count == 1 }

            let second = try BridgeProcess.launch(
                configuration,
                secrets: BridgeTestbed.secrets,
                configFile: testbed.directory + "/config-second.json",
                logFile: testbed.directory + "/goapi-bridge-second.log",
                directory: testbed.directory
            )
            let ending = await second.waitForExit(timeout: .seconds(30))
            if ending == nil { _ = await second.kill() }
            #expect(ending == .exited(1), "\(second.logTail())")
            #expect(second.log.contains("is in use by another goapi-bridge"), "\(second.logTail())")

            held.open()
            _ = try await testbed.receiver.waitForRequests(1)
            #expect(testbed.goapi.conversationRequests.count == 1, "the question was asked once")
        }
    }
}
