import Foundation
import GRDB

extension StoreError {
    /// Turns whatever a database call threw into a ``StoreError`` about `path`, keeping cancellation and errors
    /// that already are store errors as they are.
    static func wrapping(_ error: any Error, path: String) -> any Error {
        switch error {
        case is StoreError, is CancellationError:
            return error
        case let error as DatabaseError:
            return StoreError(databaseError: error, path: path)
        default:
            return StoreError(
                code: .failed,
                path: path,
                message: "database \"\(path)\" could not be read or written (\(error))",
                underlying: error
            )
        }
    }

    /// A failure while upgrading the schema; errors with a more telling cause (full disk, read-only file) keep it.
    static func migrationFailed(_ error: any Error, path: String) -> any Error {
        let wrapped = wrapping(error, path: path)
        guard let storeError = wrapped as? StoreError, storeError.code == .failed else { return wrapped }
        return StoreError(
            code: .migrationFailed,
            path: path,
            message: """
                could not upgrade the schema of database "\(path)" (\(Self.detail(of: error))); the failed step \
                was rolled back: restore a backup or move the file away to start fresh
                """,
            underlying: error
        )
    }

    /// The file fails SQLite's integrity check.
    static func corrupt(path: String, detail: String, underlying: (any Error)? = nil) -> StoreError {
        StoreError(
            code: .corrupt,
            path: path,
            message: """
                database "\(path)" is not a SQLite database or is corrupt (\(detail)); restore it from a backup \
                or move it away to start fresh
                """,
            underlying: underlying
        )
    }

    /// Classifies SQLite's result code into what an operator can act on.
    init(databaseError error: DatabaseError, path: String) {
        let detail = Self.detail(of: error)
        switch error.resultCode {
        case .SQLITE_CORRUPT, .SQLITE_NOTADB:
            self = .corrupt(path: path, detail: detail, underlying: error)
        case .SQLITE_CANTOPEN:
            self.init(
                code: .cannotOpen,
                path: path,
                message: "cannot open database \"\(path)\" (\(detail)): \(Self.openAdvice(path: path))",
                underlying: error
            )
        case .SQLITE_READONLY, .SQLITE_PERM, .SQLITE_FULL:
            self.init(
                code: .notWritable,
                path: path,
                message: """
                    database "\(path)" is not writable (\(detail)); check the permissions of the file and its \
                    directory, the free disk space, and that the file system is not mounted read-only
                    """,
                underlying: error
            )
        case .SQLITE_BUSY, .SQLITE_LOCKED:
            self.init(
                code: .busy,
                path: path,
                message: """
                    database "\(path)" is locked by another process (\(detail)); make sure only one goapi-bridge \
                    uses this file
                    """,
                underlying: error
            )
        case .SQLITE_IOERR:
            self.init(
                code: .ioError,
                path: path,
                message: "disk I/O error on database \"\(path)\" (\(detail)); check the disk and the file system",
                underlying: error
            )
        default:
            self.init(
                code: .failed,
                path: path,
                message: "database \"\(path)\" could not be read or written (\(detail))",
                underlying: error
            )
        }
    }

    /// SQLite's own words for `error`, without the SQL or its arguments (which may hold message text).
    private static func detail(of error: any Error) -> String {
        guard let error = error as? DatabaseError else { return "\(error)" }
        return error.message ?? "SQLite error \(error.extendedResultCode.rawValue)"
    }

    /// Why SQLite could not open `path`, found by looking at the file system, with the fix.
    private static func openAdvice(path: String) -> String {
        let fileManager = FileManager.default
        var isDirectory: ObjCBool = false
        if fileManager.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue {
            return "it is a directory; set storage.sqlitePath to a file path, such as a file inside that directory"
        }
        let directory = URL(fileURLWithPath: path).deletingLastPathComponent().path
        if !fileManager.fileExists(atPath: directory, isDirectory: &isDirectory) {
            return "directory \"\(directory)\" does not exist; create it or change storage.sqlitePath"
        }
        if !isDirectory.boolValue {
            return "\"\(directory)\" is not a directory; change storage.sqlitePath"
        }
        return "check that the file and its directory are readable and writable by this user"
    }
}
