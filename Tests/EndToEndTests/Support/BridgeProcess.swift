import BridgeTesting
import Foundation

/// One run of the real `goapi-bridge` binary: `goapi-bridge run --config <file>` as a child process, with its
/// secrets in its environment and its standard output and error captured to a log file.
///
/// Stopping sends SIGTERM and waits for the exit status, as systemd would; the process is observed through
/// ``ChildProcess`` (its termination handler, never its pid), which also starts it with no signal blocked so
/// SIGTERM reaches it.
struct BridgeProcess: Sendable {
    /// The configuration file the binary runs with.
    let configFile: String
    /// Where the binary's standard output and standard error go.
    let logFile: String
    private let child: ChildProcess

    /// Writes `configuration` to `configFile` and starts the binary in `directory`.
    ///
    /// - Parameter secrets: Environment variables for the `env:` secrets; `LOG_LEVEL` is removed from the
    ///   inherited environment so the configured level is the one that applies.
    static func launch(
        _ configuration: some BridgeConfigDocument,
        secrets: [String: String],
        configFile: String,
        logFile: String,
        directory: String
    ) throws -> BridgeProcess {
        try configuration.json().write(to: URL(fileURLWithPath: configFile))
        var environment = ProcessInfo.processInfo.environment
        environment["LOG_LEVEL"] = nil
        environment.merge(secrets) { _, secret in secret }
        let child = try ChildProcess.launch(
            name: "goapi-bridge",
            executable: BridgeBinary.path,
            arguments: ["run", "--config", configFile],
            directory: directory,
            logFile: logFile,
            environment: environment
        )
        return BridgeProcess(configFile: configFile, logFile: logFile, child: child)
    }

    /// Everything the binary has logged so far.
    var log: String {
        guard let data = FileManager.default.contents(atPath: self.logFile) else {
            return ""
        }
        return String(decoding: data, as: UTF8.self)
    }

    /// The last `count` lines of the log, for failure messages.
    func logTail(lines count: Int = 30) -> String {
        self.log.split(separator: "\n", omittingEmptySubsequences: false).suffix(count).joined(separator: "\n")
    }

    /// How the process ended, or `nil` while it runs.
    var termination: ChildProcess.Termination? {
        self.child.termination
    }

    /// Polls the log until it contains `text`.
    ///
    /// - Throws: ``BridgeProcessError`` if `timeout` passes first or the process exits without logging it.
    func waitForLog(containing text: String, timeout: Duration = .seconds(30)) async throws {
        let deadline = ContinuousClock.now + timeout
        while !self.log.contains(text) {
            if let termination = self.termination, !self.log.contains(text) {
                throw BridgeProcessError(
                    message: "goapi-bridge ended (\(termination)) without logging \"\(text)\"",
                    logTail: self.logTail()
                )
            }
            guard ContinuousClock.now < deadline else {
                throw BridgeProcessError(
                    message: "goapi-bridge did not log \"\(text)\" within \(timeout)",
                    logTail: self.logTail()
                )
            }
            try await Task.sleep(for: .milliseconds(50))
        }
    }

    /// Sends SIGKILL, as a crash or the OOM killer would: no shutdown code runs. Returns how the process ended
    /// (`signal 9`), or at once if it had already ended.
    @discardableResult
    func kill() async -> ChildProcess.Termination? {
        await self.child.killImmediately()
    }

    /// Sends SIGTERM and returns how the process ended: `.exited(0)` for a clean shutdown. After
    /// `gracePeriod` it is killed (and the result says `signal 9`). Returns at once if it had already ended.
    @discardableResult
    func stop(gracePeriod: Duration = .seconds(15)) async -> ChildProcess.Termination? {
        await self.child.terminate(gracePeriod: gracePeriod)
    }
}

/// The binary did not do what a test waited for; carries the end of its log.
struct BridgeProcessError: Error, CustomStringConvertible {
    /// What was expected.
    var message: String
    /// The last lines the binary logged.
    var logTail: String

    /// The message followed by the log's last lines.
    var description: String {
        "\(self.message)\n--- goapi-bridge log (last lines) ---\n\(self.logTail)"
    }
}
