/// A condition a test waited for did not come true in time.
struct DeadlinePassed: Error, CustomStringConvertible {
    /// What was waited for.
    var condition: String
    /// How long.
    var timeout: Duration

    var description: String {
        "\(self.condition) did not happen within \(self.timeout)"
    }
}

/// Checks `condition` every 20 ms until it holds; for state a test can read but not await (what a stub recorded).
///
/// - Throws: ``DeadlinePassed`` after `timeout`.
func waitUntil(
    _ description: String,
    timeout: Duration = .seconds(60),
    _ condition: () -> Bool
) async throws {
    let deadline = ContinuousClock.now + timeout
    while !condition() {
        guard ContinuousClock.now < deadline else {
            throw DeadlinePassed(condition: description, timeout: timeout)
        }
        try await Task.sleep(for: .milliseconds(20))
    }
}
