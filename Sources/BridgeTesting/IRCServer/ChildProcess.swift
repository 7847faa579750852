import Dispatch
import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A process the harness started (InspIRCd, Atheme, `openssl`, the bridge binary in the end-to-end tests),
/// observed through its exit status.
///
/// The end of a process is learnt from Foundation's termination handler, never by probing its pid: once the
/// process has been reaped its pid can belong to something else, and a process that crashed while exiting (as
/// InspIRCd 3.15 may on SIGTERM) must still count as gone. Waits are not cancellable on purpose, so that
/// `InspIRCdServer.stop()` finishes its job even from a cancelled test.
package final class ChildProcess: Sendable {
    /// How a process ended.
    package enum Termination: Sendable, Equatable, CustomStringConvertible {
        /// It called `exit` with this status.
        case exited(Int32)
        /// A signal ended it (SIGTERM/SIGKILL from `terminate`, or a crash).
        case signalled(Int32)

        /// "exit status 0", "signal 11".
        package var description: String {
            switch self {
            case .exited(let status): "exit status \(status)"
            case .signalled(let signal): "signal \(signal)"
            }
        }
    }

    /// A short name for messages ("inspircd", "atheme-services").
    package let name: String
    /// Where the process's standard output and standard error go.
    package let logFile: String
    private let process: Process
    private let watcher: TerminationWatcher

    private init(name: String, logFile: String, process: Process, watcher: TerminationWatcher) {
        self.name = name
        self.logFile = logFile
        self.process = process
        self.watcher = watcher
    }

    /// Starts `executable` with `arguments` in `directory`, appending its output to `logFile`.
    ///
    /// The log file is opened with `O_APPEND` so that a server writing its own log to the same file (InspIRCd's
    /// `<log>` target does) interleaves with the captured output instead of overwriting it.
    ///
    /// - Parameter environment: The child's whole environment; `nil` inherits the test process's.
    package static func launch(
        name: String,
        executable: String,
        arguments: [String],
        directory: String,
        logFile: String,
        environment: [String: String]? = nil
    ) throws -> ChildProcess {
        let descriptor = open(logFile, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else {
            throw InspIRCdServerError(
                code: .toolFailed,
                message: "cannot open \(logFile) for \(name): errno \(errno)"
            )
        }
        let output = FileHandle(fileDescriptor: descriptor, closeOnDealloc: true)
        defer { try? output.close() }

        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.currentDirectoryURL = URL(fileURLWithPath: directory)
        if let environment {
            process.environment = environment
        }
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = output
        process.standardError = output
        let watcher = TerminationWatcher()
        process.terminationHandler = { process in
            switch process.terminationReason {
            case .exit: watcher.terminated(.exited(process.terminationStatus))
            case .uncaughtSignal: watcher.terminated(.signalled(process.terminationStatus))
            @unknown default: watcher.terminated(.exited(process.terminationStatus))
            }
        }
        do {
            try Self.withSignalsUnblocked { try process.run() }
        } catch {
            throw InspIRCdServerError(
                code: .toolFailed,
                message: "cannot start \(name) (\(executable)): \(error)"
            )
        }
        return ChildProcess(name: name, logFile: logFile, process: process, watcher: watcher)
    }

    /// Runs `body` (which spawns a process) with no signal blocked in the calling thread.
    ///
    /// A spawned process inherits the spawning thread's signal mask, Foundation's `Process` does not reset it
    /// on Linux, and the Swift concurrency and Dispatch threads this runs on block almost every signal. The
    /// children would then never see SIGTERM and every `stop` would wait out its grace period before SIGKILL
    /// (and InspIRCd and Atheme would not shut down cleanly). The mask is restored right after the spawn.
    private static func withSignalsUnblocked<Result>(_ body: () throws -> Result) rethrows -> Result {
        var empty = sigset_t()
        var previous = sigset_t()
        sigemptyset(&empty)
        pthread_sigmask(SIG_SETMASK, &empty, &previous)
        defer { pthread_sigmask(SIG_SETMASK, &previous, nil) }
        return try body()
    }

    /// How the process ended, or `nil` while it runs.
    package var termination: Termination? {
        self.watcher.termination
    }

    /// A memory figure of the running process in KiB from `/proc/<pid>/status`: `VmRSS` (resident set size, the
    /// default) or `VmHWM` (its peak so far). `nil` once the process has ended or where `/proc` is not available.
    /// For benchmarks that watch the memory of a binary they started; read while the termination handler has not
    /// fired, so a reused pid is never read.
    package func memoryStatusKiB(_ field: String = "VmRSS") -> Int? {
        var kibibytes: Int?
        self.watcher.whileRunning {
            let path = "/proc/\(self.process.processIdentifier)/status"
            // `/proc` files report a size of 0, so read to the end instead of trusting it.
            guard let file = FileHandle(forReadingAtPath: path) else {
                return
            }
            defer { try? file.close() }
            guard let data = try? file.readToEnd() else {
                return
            }
            let status = String(decoding: data, as: UTF8.self)
            for line in status.split(separator: "\n") where line.hasPrefix(field + ":") {
                let value = line.dropFirst(field.count + 1).split { $0 == " " || $0 == "\t" }.first
                kibibytes = value.flatMap { Int($0) }
            }
        }
        return kibibytes
    }

    /// Waits up to `timeout` for the process to end; `nil` if it is still running then.
    package func waitForTermination(timeout: Duration) async -> Termination? {
        await self.watcher.wait(timeout: timeout)
    }

    /// Sends SIGTERM, waits up to `gracePeriod`, then SIGKILL and waits again; returns how it ended.
    ///
    /// Signals go only while the termination handler has not fired, so a reused pid is never signalled.
    @discardableResult
    package func terminate(gracePeriod: Duration) async -> Termination? {
        if let termination = self.termination {
            return termination
        }
        self.signal(SIGTERM)
        if let termination = await self.waitForTermination(timeout: gracePeriod) {
            return termination
        }
        self.signal(SIGKILL)
        return await self.waitForTermination(timeout: .seconds(10))
    }

    /// Sends SIGKILL and waits up to `timeout` for the process to end; returns how it ended. To the process this
    /// is a crash: none of its shutdown code runs, which is what tests of crash recovery need.
    @discardableResult
    package func killImmediately(timeout: Duration = .seconds(10)) async -> Termination? {
        if let termination = self.termination {
            return termination
        }
        self.signal(SIGKILL)
        return await self.waitForTermination(timeout: timeout)
    }

    private func signal(_ signal: Int32) {
        // The watcher's lock is held while signalling so the handler cannot record the exit in between.
        self.watcher.whileRunning {
            _ = kill(self.process.processIdentifier, signal)
        }
    }

    /// Runs a short-lived tool to completion and returns its combined output; throws if it fails or hangs.
    static func run(
        _ executable: String,
        _ arguments: [String],
        in directory: String,
        timeout: Duration = .seconds(60)
    ) async throws -> String {
        let logFile = directory + "/.tool-\(UInt64.random(in: .min ... .max)).out"
        defer { try? FileManager.default.removeItem(atPath: logFile) }
        let name = URL(fileURLWithPath: executable).lastPathComponent
        let child = try ChildProcess.launch(
            name: name,
            executable: executable,
            arguments: arguments,
            directory: directory,
            logFile: logFile
        )
        let termination = await child.waitForTermination(timeout: timeout)
        let output = (try? String(contentsOfFile: logFile, encoding: .utf8)) ?? ""
        guard let termination else {
            await child.terminate(gracePeriod: .seconds(1))
            throw InspIRCdServerError(
                code: .toolFailed,
                message: "\(name) \(arguments.joined(separator: " ")) did not finish within \(timeout)",
                logTail: output
            )
        }
        guard termination == .exited(0) else {
            throw InspIRCdServerError(
                code: .toolFailed,
                message: "\(name) \(arguments.joined(separator: " ")) failed with \(termination)",
                logTail: output
            )
        }
        return output
    }
}

/// The termination state shared between Foundation's termination handler and the waiting tasks.
private final class TerminationWatcher: Sendable {
    private struct State {
        var termination: ChildProcess.Termination?
        var waiters: [Int: CheckedContinuation<ChildProcess.Termination?, Never>] = [:]
        var nextWaiterID = 0
    }

    private let state = Mutex(State())

    var termination: ChildProcess.Termination? {
        self.state.withLock { $0.termination }
    }

    func whileRunning(_ body: () -> Void) {
        self.state.withLock { state in
            if state.termination == nil {
                body()
            }
        }
    }

    func terminated(_ termination: ChildProcess.Termination) {
        let waiters = self.state.withLock { state in
            state.termination = termination
            defer { state.waiters = [:] }
            return state.waiters.values
        }
        for waiter in waiters {
            waiter.resume(returning: termination)
        }
    }

    func wait(timeout: Duration) async -> ChildProcess.Termination? {
        await withCheckedContinuation { continuation in
            let id: Int? = self.state.withLock { state in
                if state.termination != nil {
                    return nil
                }
                let id = state.nextWaiterID
                state.nextWaiterID += 1
                state.waiters[id] = continuation
                return id
            }
            guard let id else {
                continuation.resume(returning: self.termination)
                return
            }
            // A dispatch timer rather than Task.sleep: it fires even when the waiting task is cancelled.
            let deadline = DispatchTime.now() + .nanoseconds(Int(timeout.nanoseconds))
            DispatchQueue.global().asyncAfter(deadline: deadline) {
                let waiter = self.state.withLock { $0.waiters.removeValue(forKey: id) }
                waiter?.resume(returning: nil)
            }
        }
    }
}

extension Duration {
    /// The duration in whole nanoseconds, saturating at `Int64.max`.
    var nanoseconds: Int64 {
        let (seconds, attoseconds) = self.components
        let (scaled, overflow) = seconds.multipliedReportingOverflow(by: 1_000_000_000)
        return overflow ? .max : scaled + attoseconds / 1_000_000_000
    }
}
