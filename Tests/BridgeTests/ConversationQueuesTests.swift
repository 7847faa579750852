import Bridge
import Testing

@Suite struct ConversationQueuesTests {
    @Test func oneWorkerPerConversationWithABoundedQueue() {
        let queues = ConversationQueues<Int>(limit: 2)
        #expect(queues.submit(1, key: "a") == .startWorker)
        #expect(queues.submit(2, key: "a") == .queued(position: 1))
        #expect(queues.submit(3, key: "a") == .queued(position: 2))
        #expect(queues.submit(4, key: "a") == .full)
        #expect(queues.submit(10, key: "b") == .startWorker, "other conversations are independent")
        #expect(queues.next(after: "a") == 2)
        #expect(queues.next(after: "a") == 3)
        #expect(queues.next(after: "a") == nil)
        #expect(queues.submit(5, key: "a") == .startWorker, "an idle conversation starts a new worker")
        #expect(queues.activeCount == 2)
    }
}
