/// Why a received line is not an IRC message.
///
/// A misbehaving server must never crash the bridge, so the parser reports every malformed line with one of these;
/// the connection logs it (with the code as metadata) and carries on with the next line.
package struct IRCParseError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What was wrong with the line, for code and tests that react to the kind of failure.
    package enum Code: String, Sendable, Hashable {
        /// The line was empty or only spaces; the framer skips these, so one here means a caller built it.
        case emptyLine
        /// The line contained NUL, CR or LF, which the protocol forbids inside a message.
        case forbiddenCharacter
        /// The line had tags and/or a source but nothing after them.
        case missingCommand
        /// The command was neither letters nor a three-digit numeric.
        case invalidCommand
        /// A `:` introduced the source but no source followed it (or an outgoing source contained a space).
        case invalidSource
        /// An outgoing tag key was empty or contained `=`, `;` or a space.
        case invalidTag
        /// A parameter other than the last was empty, contained a space or started with `:`, so it cannot be
        /// written without changing the message's meaning (only reported when validating an outgoing message).
        case invalidParameter
    }

    /// What was wrong.
    package var code: Code
    /// The offending line (or, for an outgoing message, its serialization), so a log shows what arrived.
    package var line: String

    /// Creates an error for `line`.
    package init(code: Code, line: String) {
        self.code = code
        self.line = line
    }

    /// The code and the line, so logging the error tells the whole story.
    package var description: String {
        "IRC line rejected (\(self.code.rawValue)): \(self.line.debugDescription)"
    }
}
