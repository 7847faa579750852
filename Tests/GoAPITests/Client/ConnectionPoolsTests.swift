import BridgeTesting
import GoAPI
import Logging
import Testing

/// After a burst of questions the client closes the extra connections to GoAPI within seconds and keeps a few warm.
@Suite(.timeLimit(.minutes(1))) struct ConnectionPoolsTests {
    let logger = Logger(label: "test")

    @Test func burstConnectionsCloseSoonAfterTheBurstAndWarmOnesStay() async throws {
        let burst = ConnectionPools.warmCapacity + 4
        try await withStubAndClient(configure: { $0.maxConcurrentRequests = burst }) { stub, client in
            // Every answer waits until all requests are at the stub: each holds a connection of its own.
            let allAtOnce = StubGate(opensWhenWaiting: burst)
            for _ in 0..<burst { stub.enqueue(.replyWhenOpened("at once", allAtOnce)) }
            let answers = await withTaskGroup(of: String?.self, returning: [String?].self) { group in
                for index in 0..<burst {
                    group.addTask {
                        let result = await client.ask(
                            ConversationRequest(conversationID: nil, text: "\(index)"),
                            logger: self.logger
                        ) { _ in }
                        return try? result.get().text
                    }
                }
                return await group.reduce(into: []) { $0.append($1) }
            }
            #expect(answers == Array(repeating: "at once", count: burst))
            #expect(stub.maximumConcurrentConversations == burst)

            let closedBy = ContinuousClock.now + ConnectionPools.burstIdleTimeout + .seconds(8)
            while stub.openConnections > ConnectionPools.warmCapacity, ContinuousClock.now < closedBy {
                try await Task.sleep(for: .milliseconds(50))
            }
            #expect(stub.openConnections == ConnectionPools.warmCapacity, "the burst's extra connections closed")

            // The warm ones serve the next question without a new connection.
            stub.enqueue(.reply("later"))
            let later = await client.ask(ConversationRequest(conversationID: nil, text: "later"), logger: self.logger) {
                _ in
            }
            #expect(try later.get().text == "later")
            #expect(stub.openConnections == ConnectionPools.warmCapacity)
        }
    }
}
