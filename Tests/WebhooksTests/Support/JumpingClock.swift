import Foundation
import Synchronization

/// The wall clock plus an offset a test moves forward: backoffs and polling see time pass as usual, and a row grows
/// old at the moment the test chooses, instead of a short give-up age racing the work on a slow machine.
final class JumpingClock: Sendable {
    private let offset = Mutex<TimeInterval>(0)

    /// The current time: the wall clock plus every jump so far.
    func now() -> Date {
        Date().addingTimeInterval(self.offset.withLock { $0 })
    }

    /// Moves the clock forward by `seconds` at once.
    func jump(by seconds: TimeInterval) {
        self.offset.withLock { $0 += seconds }
    }
}
