import Synchronization
import Testing
import Timers

@Suite struct DeadlineTests {
    struct Refused: Error {}

    @Test func workDoneInTimeGivesItsResult() async throws {
        let value = try await withDeadline(ContinuousClock.now + .seconds(60)) { 42 }
        #expect(value == 42)
    }

    @Test func theDeadlineCancelsTheWorkAndGivesNil() async throws {
        let sawCancellation = Mutex(false)
        let started = ContinuousClock.now
        let value: Int? = try await withDeadline(started + .milliseconds(100)) {
            // Stands for a body read that a trickling server keeps alive: it ends only when cancelled.
            do {
                try await sleep(for: .seconds(300))
            } catch {
                sawCancellation.withLock { $0 = true }
                throw error
            }
            return 42
        }
        #expect(value == nil)
        #expect(sawCancellation.withLock { $0 })
        #expect(ContinuousClock.now - started < .seconds(30), "not the work's five minutes")
    }

    @Test func theWorksOwnErrorIsThrown() async throws {
        await #expect(throws: Refused.self) {
            _ = try await withDeadline(ContinuousClock.now + .seconds(60)) { () async throws -> Int in throw Refused() }
        }
    }
}
