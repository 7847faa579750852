import Testing

@testable import Webhooks

/// The lane bookkeeping alone: one holder per thread, later rows parked oldest first, the lane kept for the next.
@Suite struct WebhookDeliveryServiceLanesTests {
    typealias WorkSet = WebhookDeliveryService.WorkSet

    /// A work set behind methods `#expect` can call (it cannot call mutating ones).
    final class Work {
        var set = WorkSet()

        func enter(lane: String, id: String) -> WorkSet.LaneEntry { self.set.enter(lane: lane, id: id) }
        func release(_ id: String) -> Bool { self.set.release(id) }
        func handOver(from id: String, to next: String) { self.set.handOver(from: id, to: next) }
        func claim(_ id: String, role: OutboxRow.Role, lane: String? = nil) -> Bool {
            self.set.claim(id, role: role, lane: lane)
        }
    }

    @Test func laterQuestionsOfABusyThreadAreParkedAndLetGoOldestFirst() {
        let work = Work()
        #expect(work.enter(lane: "a", id: "q1") == .enter)
        #expect(work.enter(lane: "b", id: "q2") == .enter, "another thread goes ahead")
        #expect(work.enter(lane: "a", id: "q3") == .park)
        #expect(work.enter(lane: "a", id: "q4") == .park)
        #expect(!work.claim("q3", role: .question), "a parked row is not started again")

        #expect(work.release("q1"), "the lane is handed on")
        #expect(work.claim("q3", role: .question))
        #expect(!work.claim("q4", role: .question), "still parked")
        #expect(work.enter(lane: "a", id: "q5") == .park, "the lane is kept for q3, not taken by a newcomer")
        #expect(work.enter(lane: "a", id: "q3") == .enter)

        #expect(work.release("q3"))
        #expect(work.enter(lane: "a", id: "q4") == .enter)
        #expect(work.release("q4"))
        #expect(work.enter(lane: "a", id: "q5") == .enter)
        #expect(!work.release("q5"), "nothing left to hand on")
        #expect(work.enter(lane: "a", id: "q6") == .enter, "the lane is free")
        #expect(work.set.parkedIDs.isEmpty)
    }

    /// The lane passes from the question to its reply and each next part; the thread's next question enters only
    /// once the last part is gone.
    @Test func anAnswerHoldsItsLaneUntilItsLastPartIsDelivered() {
        let work = Work()
        #expect(work.enter(lane: "a", id: "q1") == .enter)
        #expect(work.enter(lane: "a", id: "q2") == .park)
        work.handOver(from: "q1", to: "r1")
        #expect(!work.release("q1"), "q1 holds nothing any more")
        work.handOver(from: "r1", to: "r1-part2")
        #expect(!work.claim("q2", role: .question, lane: "a"), "still parked behind the answer's second part")
        #expect(work.enter(lane: "a", id: "q3") == .park, "and a newcomer parks too")
        #expect(work.release("r1-part2"), "the last part is gone: q2 is let go")
        #expect(work.enter(lane: "a", id: "q2") == .enter)
    }

    @Test func aRowThatEndsWithoutBeingAskedStillHandsItsLaneOn() {
        let work = Work()
        #expect(work.enter(lane: "a", id: "q1") == .enter)
        #expect(work.enter(lane: "a", id: "q2") == .park)
        #expect(work.enter(lane: "a", id: "q3") == .park)
        #expect(work.release("q1"))
        // q2 is abandoned (expired, say) before it reaches its lane again: it never enters, yet is released.
        #expect(work.release("q2"))
        #expect(work.enter(lane: "a", id: "q3") == .enter)
        #expect(!work.release("unknown"), "a row that holds no lane changes nothing")
    }

    @Test func claimingInDueOrderParksLaterQuestionsOfAHeldThread() {
        let work = Work()
        #expect(work.claim("q1", role: .question, lane: "a"))
        #expect(!work.claim("q2", role: .question, lane: "a"), "parked, so not started and taking no slot")
        #expect(work.set.inFlight.question == ["q1"])
        #expect(work.claim("q3", role: .question, lane: "b"))
        #expect(!work.claim("q1", role: .question, lane: "a"), "already running")
        work.set.finish("q1", role: .question)
        #expect(work.release("q1"))
        work.set.finished.removeAll()
        #expect(work.claim("q2", role: .question, lane: "a"), "the lane was kept for it")
    }

    @Test func pastTheParkLimitRowsShareTheLane() {
        let work = Work()
        #expect(work.enter(lane: "a", id: "holder") == .enter)
        for index in 0..<WorkSet.parkLimit {
            #expect(work.enter(lane: "a", id: "p\(index)") == .park)
        }
        #expect(work.enter(lane: "a", id: "one-too-many") == .share)
    }
}
