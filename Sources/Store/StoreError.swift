/// A failure of the store, with a message that names the database file and says what the operator can do.
///
/// Opening the SQLite store checks the file thoroughly (format, integrity, schema version, a write), so a bad
/// database stops the service at start with one of these instead of failing later mid-conversation.
package struct StoreError: Error, CustomStringConvertible {
    /// What went wrong, for code that reacts differently (readiness checks, exit codes, tests).
    package enum Code: String, Sendable, Hashable {
        /// The file could not be opened or created: missing directory, the path is a directory, no permission.
        case cannotOpen
        /// The file is not a SQLite database, is encrypted, or is damaged.
        case corrupt
        /// The database cannot take writes: read-only file or file system, or a full disk.
        case notWritable
        /// Another process holds the database lock for longer than the store waits.
        case busy
        /// The disk or file system reported an I/O error.
        case ioError
        /// Upgrading the schema to this version failed; the failed step was rolled back.
        case migrationFailed
        /// The database was upgraded by a newer goapi-bridge; this version refuses to guess at its schema.
        case newerSchema
        /// Another goapi-bridge has the database open (see ``InstanceLock``).
        case inUse
        /// The store was closed before the call.
        case closed
        /// Any other failure; the message carries SQLite's own words.
        case failed
    }

    /// What went wrong.
    package var code: Code
    /// The database file concerned; nil for stores that have no file.
    package var path: String?
    /// A complete sentence for logs and for the operator: what happened to which file, and what to do about it.
    package var message: String
    /// The error reported underneath (usually SQLite's), for debugging.
    package var underlying: (any Error)?

    /// Creates an error; the SQLite store builds these from what SQLite reports.
    package init(code: Code, path: String?, message: String, underlying: (any Error)? = nil) {
        self.code = code
        self.path = path
        self.message = message
        self.underlying = underlying
    }

    /// The message, so logging or printing the error tells the whole story.
    package var description: String { message }
}
