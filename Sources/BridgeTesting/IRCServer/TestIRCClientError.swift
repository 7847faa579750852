/// Why a ``TestIRCClient`` operation failed, with the last lines sent and received for context.
package struct TestIRCClientError: Error, CustomStringConvertible {
    /// The kind of failure.
    package struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Base: String, Hashable, Sendable {
            case timedOut
            case connectionClosed
            case registrationFailed
            case joinFailed
            case invalidLine
        }

        private let base: Base

        /// Nothing matching arrived within the timeout.
        package static let timedOut = Code(base: .timedOut)
        /// The connection closed (or its TLS handshake failed) before a match arrived.
        package static let connectionClosed = Code(base: .connectionClosed)
        /// The server refused the nick, a capability, or registration.
        package static let registrationFailed = Code(base: .registrationFailed)
        /// The server refused a JOIN.
        package static let joinFailed = Code(base: .joinFailed)
        /// A line to send contained CR, LF or NUL.
        package static let invalidLine = Code(base: .invalidLine)

        /// The code's name.
        package var description: String { self.base.rawValue }
    }

    /// The kind of failure.
    package var code: Code
    /// What was expected or went wrong.
    package var message: String
    /// The underlying error (a TLS handshake failure, for instance), if any.
    package var underlying: (any Error)?
    /// The last lines on the connection, oldest first: `>> ` sent, `<< ` received.
    package var recentLines: [String]

    /// Creates an error.
    package init(code: Code, message: String, underlying: (any Error)? = nil, recentLines: [String] = []) {
        self.code = code
        self.message = message
        self.underlying = underlying
        self.recentLines = recentLines
    }

    /// The message, the underlying error and the recent lines.
    package var description: String {
        var text = "TestIRCClientError.\(self.code): \(self.message)"
        if let underlying = self.underlying {
            text += " (\(underlying))"
        }
        if self.recentLines.isEmpty {
            text += "\n(no lines on the connection)"
        } else {
            text += "\nlast lines on the connection:\n" + self.recentLines.joined(separator: "\n")
        }
        return text
    }
}
