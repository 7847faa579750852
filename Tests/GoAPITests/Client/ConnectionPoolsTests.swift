import BridgeTesting
import GoAPI
import Logging
import Testing

/// After a burst of questions the client closes the extra connections to GoAPI within seconds and keeps a few warm;
/// one question after another uses one connection.
@Suite(.timeLimit(.minutes(1))) struct ConnectionPoolsTests {
    let logger = Logger(label: "test")

    @Test func questionsOneAfterAnotherShareAConnectionWhenDONEComesAfterTheTurn() async throws {
        try await withStubAndClient { stub, client in
            for index in 0..<3 {
                // Every event in a packet of its own, so `[DONE]` arrives after the client has the reply.
                stub.enqueue(.reply("answer \(index)", eventDelay: .milliseconds(20)))
                let reply = await client.ask(
                    ConversationRequest(conversationID: nil, text: "\(index)"),
                    logger: self.logger
                ) {
                    _ in
                }
                #expect(try reply.get().text == "answer \(index)")
                // The rest of the stream is read after the reply; once the stub has written it, and the client
                // has had a moment to read it, the next question finds the connection idle.
                try await waitUntil("the stream's end written") { stub.completedConversations == index + 1 }
                try await Task.sleep(for: .milliseconds(100))
            }
            #expect(stub.acceptedConnections == 1, "one connection for all three questions")
        }
    }

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

            // The warm ones serve the next questions without a new connection.
            let accepted = stub.acceptedConnections
            stub.enqueue(.reply("later"))
            let later = await client.ask(ConversationRequest(conversationID: nil, text: "later"), logger: self.logger) {
                _ in
            }
            #expect(try later.get().text == "later")
            stub.enqueue(.reply("and later"))
            let next = await client.ask(ConversationRequest(conversationID: nil, text: "next"), logger: self.logger) {
                _ in
            }
            #expect(try next.get().text == "and later")
            #expect(stub.openConnections == ConnectionPools.warmCapacity)
            #expect(stub.acceptedConnections == accepted, "no connection was opened for them")
        }
    }
}
