/// What is wrong with a value before it is known where the value sits, so format checks can be written
/// once and reused at every key that shares the format.
struct ConfigViolation: Error, Hashable, Sendable {
    /// See ``ConfigProblem/message``.
    let message: String
    /// See ``ConfigProblem/hint``.
    let hint: String?

    /// Creates a violation; most need no hint.
    init(_ message: String, hint: String? = nil) {
        self.message = message
        self.hint = hint
    }
}

extension ConfigViolation {
    /// A required key is absent or `null`.
    static let missing = ConfigViolation("required key is missing")

    /// The value has the wrong JSON type; naming the expected type tells the user what to write instead.
    static func wrongType(expected: String, found value: JSONValue) -> ConfigViolation {
        ConfigViolation("expected \(expected), found \(value.kindDescription)")
    }
}
