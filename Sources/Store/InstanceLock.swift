import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// An exclusive advisory lock on `<database>.lock`, held while a store has the database open.
///
/// SQLite lets several processes share a file, and each write would still be atomic, but two bridges on one
/// database (a second instance started by mistake, containers sharing a volume) would each keep their own cached
/// copy of the conversation map (``RowCache``): one would miss a conversation the other stored and replace it with
/// a new one, and both would answer the same outbox rows. The lock is the operating system's (`flock`), so it goes
/// with the process however it ends; the file itself stays, naming the last holder's process id for the operator.
/// An operator's `sqlite3` shell or a backup tool does not take it and is not kept out.
final class InstanceLock: Sendable {
    private let descriptor: Mutex<Int32?>

    /// Takes the lock for the database at `databasePath`, or throws ``StoreError/Code/inUse`` when another process
    /// holds it (``StoreError/Code/cannotOpen`` when the lock file cannot be created).
    init(databasePath: String) throws {
        let path = Self.canonicalPath(databasePath) + ".lock"
        let descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else {
            let reason = String(cString: strerror(errno))
            throw StoreError(
                code: .cannotOpen,
                path: databasePath,
                message: "cannot create the lock file \"\(path)\" next to the database (\(reason)); "
                    + "the database's directory must be writable"
            )
        }
        guard Self.lock(descriptor) else {
            let holder = Self.holder(descriptor)
            close(descriptor)
            throw StoreError(
                code: .inUse,
                path: databasePath,
                message: "database \"\(databasePath)\" is in use by another goapi-bridge"
                    + (holder.map { " (process \($0))" } ?? "")
                    + "; stop it first, or give this one its own storage.sqlitePath"
            )
        }
        let pid = "\(getpid())\n"
        _ = ftruncate(descriptor, 0)
        _ = pid.withCString { pwrite(descriptor, $0, strlen($0), 0) }
        self.descriptor = Mutex(descriptor)
    }

    /// Takes the lock, trying for up to a second. A lock the holder has just let go can still be held for a moment
    /// by a child process another thread is starting (between its fork and its exec the child shares the lock's
    /// file description), and a bridge restarted at once can meet its predecessor still exiting; neither should be
    /// refused as a second bridge.
    private static func lock(_ descriptor: Int32) -> Bool {
        for attempt in 0..<20 {
            if flock(descriptor, LOCK_EX | LOCK_NB) == 0 { return true }
            guard errno == EWOULDBLOCK, attempt < 19 else { return false }
            usleep(50_000)
        }
        return false
    }

    /// `path` with symbolic links and `.`/`..` resolved, so that every name for one database shares one lock file:
    /// a second bridge given a link to the first's database (or its directory) took a lock of its own and opened
    /// the database alongside the first. A database not created yet resolves through its directory.
    static func canonicalPath(_ path: String) -> String {
        if let resolved = Self.realPath(path) { return resolved }
        let url = URL(fileURLWithPath: path)
        guard let directory = Self.realPath(url.deletingLastPathComponent().path) else { return path }
        return directory == "/" ? "/" + url.lastPathComponent : directory + "/" + url.lastPathComponent
    }

    private static func realPath(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }

    /// Lets the lock go; later calls do nothing.
    func release() {
        guard
            let descriptor = self.descriptor.withLock({ value in
                defer { value = nil }; return value
            })
        else {
            return
        }
        close(descriptor)
    }

    deinit {
        self.release()
    }

    /// The process id the holder wrote into the lock file, if it reads as one.
    private static func holder(_ descriptor: Int32) -> Int32? {
        var buffer = [UInt8](repeating: 0, count: 16)
        let count = buffer.withUnsafeMutableBytes { pread(descriptor, $0.baseAddress, $0.count, 0) }
        guard count > 0 else { return nil }
        return Int32(String(decoding: buffer[..<count], as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines))
    }
}
