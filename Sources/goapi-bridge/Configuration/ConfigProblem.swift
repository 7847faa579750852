/// One thing wrong with the configuration, tied to the key that needs fixing.
///
/// `check-config` prints every problem on its own line as `path: message (hint)`, so an operator can fix a
/// whole file in one pass instead of rerunning the check after each correction.
struct ConfigProblem: Hashable, Sendable, CustomStringConvertible {
    /// The JSON path of the offending value (`irc.networks[0].port`), `(root)`, or the file location for
    /// problems that come before any JSON could be read.
    let path: String
    /// What is wrong, phrased so it reads after the path: `must be 1-65535, not 70000`.
    let message: String
    /// How to fix it, when the message alone does not make that obvious.
    let hint: String?

    /// Creates a problem at an arbitrary location, such as a file path with line and column.
    init(path: String, message: String, hint: String? = nil) {
        self.path = path
        self.message = message
        self.hint = hint
    }

    /// Creates a problem for a value in the document.
    init(at path: ConfigPath, _ violation: ConfigViolation) {
        self.init(path: path.description, message: violation.message, hint: violation.hint)
    }

    /// The line `check-config` prints.
    var description: String {
        if let hint {
            return "\(path): \(message) (\(hint))"
        }
        return "\(path): \(message)"
    }
}
