/// A credential from the configuration: API key, signing secret, token, password.
///
/// Every way Swift prints a value — interpolation, `String(describing:)`, `String(reflecting:)`, `dump` —
/// shows `<redacted>`, so logging a whole configuration struct cannot leak one. Code that needs the value
/// asks for it by name through ``exposedValue``, which makes every use easy to find in review.
struct Secret: Equatable, Sendable, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    /// Marks a secret written as `"env:NAME"`, read from the environment at load.
    static let environmentPrefix = "env:"

    private let value: String

    /// Wraps an already resolved value.
    init(_ value: String) {
        self.value = value
    }

    /// The credential itself, for the one place that sends it to a peer.
    var exposedValue: String { value }

    /// Always `<redacted>`.
    var description: String { "<redacted>" }

    /// Always `<redacted>`, also inside the debug description of a containing struct.
    var debugDescription: String { "<redacted>" }

    /// No children, so `dump` and other mirror walkers stop at the redacted description.
    var customMirror: Mirror { Mirror(self, children: [:]) }
}

/// A check on a secret's resolved value.
///
/// Kept apart from ``StringFormat`` because its messages must never quote the value they reject.
struct SecretFormat {
    /// Throws a violation whose message and hint do not contain the value.
    let check: (String) throws(ConfigViolation) -> Void

    /// Any non-empty value.
    static var nonEmpty: SecretFormat {
        SecretFormat { (value) throws(ConfigViolation) in
            guard !value.isEmpty else { throw ConfigViolation("must not be empty") }
        }
    }
}
