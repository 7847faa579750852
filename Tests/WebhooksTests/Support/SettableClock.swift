import Foundation
import Synchronization

/// A wall clock a test sets by hand, so expiry can be tested without waiting.
final class SettableClock: Sendable {
    private let date: Mutex<Date>

    /// Starts at `date`.
    init(_ date: Date) {
        self.date = Mutex(date)
    }

    /// The current time.
    func now() -> Date {
        self.date.withLock { $0 }
    }

    /// Moves the clock forward by `seconds`.
    func advance(by seconds: TimeInterval) {
        self.date.withLock { $0 += seconds }
    }
}
