/// An instant on a pretend timeline, so flood-control tests state times exactly and never read a clock.
struct TestInstant: InstantProtocol, CustomStringConvertible {
    /// Time since the start of the test.
    var offset: Duration

    /// `seconds` after the start of the test.
    static func at(_ seconds: Double) -> TestInstant {
        TestInstant(offset: .milliseconds(Int64((seconds * 1000).rounded())))
    }

    /// The instant `duration` later.
    func advanced(by duration: Duration) -> TestInstant {
        TestInstant(offset: self.offset + duration)
    }

    /// The time from this instant to `other`.
    func duration(to other: TestInstant) -> Duration {
        other.offset - self.offset
    }

    /// Earlier instants sort first.
    static func < (lhs: TestInstant, rhs: TestInstant) -> Bool {
        lhs.offset < rhs.offset
    }

    /// `t+2.0 seconds`, so failed expectations read as times.
    var description: String {
        "t+\(self.offset)"
    }
}
