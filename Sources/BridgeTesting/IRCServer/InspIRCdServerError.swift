/// Why the InspIRCd harness could not do what a test asked, with the end of the relevant log attached.
package struct InspIRCdServerError: Error, CustomStringConvertible {
    /// The kind of failure.
    package struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Base: String, Hashable, Sendable {
            case notInstalled
            case toolFailed
            case serverExited
            case startTimedOut
            case servicesUnavailable
            case accountRegistrationFailed
        }

        private let base: Base

        /// `inspircd` (or `atheme-services`) is not installed; `scripts/irc-test-deps.sh` installs them.
        package static let notInstalled = Code(base: .notInstalled)
        /// A helper command (`openssl`) failed or could not be started.
        package static let toolFailed = Code(base: .toolFailed)
        /// The server or services process exited while starting.
        package static let serverExited = Code(base: .serverExited)
        /// The server did not accept connections within the start timeout.
        package static let startTimedOut = Code(base: .startTimedOut)
        /// Services did not link, or the server was started without them.
        package static let servicesUnavailable = Code(base: .servicesUnavailable)
        /// NickServ refused to register an account or add a certificate fingerprint.
        package static let accountRegistrationFailed = Code(base: .accountRegistrationFailed)

        /// The code's name.
        package var description: String { self.base.rawValue }
    }

    /// The kind of failure.
    package var code: Code
    /// What went wrong, in words.
    package var message: String
    /// The log that explains it, if any.
    package var logFile: String?
    /// The last lines of that log (or of a tool's output).
    package var logTail: String

    /// Creates an error.
    package init(code: Code, message: String, logFile: String? = nil, logTail: String = "") {
        self.code = code
        self.message = message
        self.logFile = logFile
        self.logTail = logTail
    }

    /// The message followed by the log tail, so a failing test's output says why without opening files.
    package var description: String {
        var text = "InspIRCdServerError.\(self.code): \(self.message)"
        if !self.logTail.isEmpty {
            text += "\n--- \(self.logFile ?? "output") (last lines) ---\n\(self.logTail)"
        }
        return text
    }
}
