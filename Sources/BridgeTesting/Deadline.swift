/// A condition a test waited for did not come true in time.
package struct DeadlinePassed: Error, CustomStringConvertible {
    /// What was waited for.
    package var condition: String
    /// How long.
    package var timeout: Duration

    package var description: String {
        "\(self.condition) did not happen within \(self.timeout)"
    }
}

/// Checks `condition` every 20 ms until it holds; for state a test can read but not await (what a stub recorded).
///
/// - Throws: ``DeadlinePassed`` after `timeout`.
package func waitUntil(
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

/// Runs `probe` every 100 ms until it returns a value, and returns it; for conditions that take a request to read
/// (the bridge's `/readyz`, its metrics).
///
/// - Throws: ``DeadlinePassed`` after `timeout`; what `probe` throws.
package func waitFor<Value>(
    _ description: String,
    timeout: Duration = .seconds(60),
    _ probe: () async throws -> Value?
) async throws -> Value {
    let deadline = ContinuousClock.now + timeout
    while true {
        if let value = try await probe() {
            return value
        }
        guard ContinuousClock.now < deadline else {
            throw DeadlinePassed(condition: description, timeout: timeout)
        }
        try await Task.sleep(for: .milliseconds(100))
    }
}
