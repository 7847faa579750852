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

    /// A credential sent in an HTTP header or an IRC line (API keys, tokens, signing secrets): non-empty, with no
    /// control character and no space at either end (a key or token never has one; a value that does was copied
    /// with it).
    ///
    /// A line break is what a value copied from a CRLF env file or a secret mounted with a final newline carries.
    /// Accepted, it would make every request fail far from its cause, and the HTTP client's error for the refused
    /// header quotes the header's value, key and all, into the logs.
    static var credential: SecretFormat {
        SecretFormat { (value) throws(ConfigViolation) in
            try Self.rejectingControlCharacters.check(value)
            guard value.first?.isWhitespace == false, value.last?.isWhitespace == false else {
                throw ConfigViolation("must not begin or end with a space")
            }
        }
    }

    /// A password (IRC server or SASL): non-empty and without control characters, which would end or corrupt the
    /// line that carries it; spaces are the password's own business.
    static var password: SecretFormat {
        SecretFormat { (value) throws(ConfigViolation) in
            try Self.rejectingControlCharacters.check(value)
        }
    }

    /// Non-empty, with no control character; the first check of every secret format.
    static var rejectingControlCharacters: SecretFormat {
        SecretFormat { (value) throws(ConfigViolation) in
            guard !value.isEmpty else { throw ConfigViolation("must not be empty") }
            guard !value.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else {
                throw ConfigViolation(
                    "must not contain control characters",
                    hint: "a line break at the end usually comes from an env file saved with CRLF or a secret file "
                        + "with a final newline"
                )
            }
        }
    }
}
