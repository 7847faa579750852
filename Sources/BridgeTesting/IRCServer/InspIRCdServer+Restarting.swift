import Foundation
import Synchronization

extension InspIRCdServer {
    /// Stops InspIRCd and starts it again on the same ports, with the same configuration and certificate: what
    /// a network restart looks like to clients. Every client connection drops; new ones are accepted on the
    /// same address once this returns.
    ///
    /// Services, when linked, keep running and relink by themselves (Atheme retries its uplink every second);
    /// `restart` returns once they have finished their burst again, so SASL works as before. ``stop()`` stops
    /// the new process, from this value or any copy of it.
    ///
    /// - Throws: ``InspIRCdServerError`` `.serverExited` or `.startTimedOut`, with the log's last lines, if
    ///   InspIRCd does not come back within `timeout` (for instance because another process took one of its
    ///   ports meanwhile); `.servicesUnavailable` if services do not relink.
    package func restart(timeout: Duration = .seconds(30)) async throws {
        guard let inspircd = Executable.find("inspircd") else {
            throw InspIRCdServerError(
                code: .notInstalled,
                message: "inspircd is not installed; run scripts/irc-test-deps.sh"
            )
        }
        let deadline = ContinuousClock.now + timeout
        await self.ircd.terminate(gracePeriod: .seconds(10))
        let logOffset = LogFile.size(of: self.logFile)
        let process = try Self.spawnIRCd(
            inspircd: inspircd,
            configFile: self.directory + "/inspircd.conf",
            directory: self.directory,
            logFile: self.logFile
        )
        self.ircdSlot.replace(with: process)
        let listening = try await Self.waitForListeners(
            process,
            ports: [self.tlsPort, self.plaintextPort],
            logOffset: logOffset,
            deadline: deadline
        )
        guard listening else {
            throw InspIRCdServerError(
                code: .startTimedOut,
                message: "inspircd could not listen on 127.0.0.1:\(self.tlsPort) and :\(self.plaintextPort) again "
                    + "after a restart: another process took a port",
                logFile: self.logFile,
                logTail: LogFile.tail(of: self.logFile, lines: 40)
            )
        }
        try await self.waitForServices(deadline: deadline, logOffset: logOffset)
    }
}

/// The server's current InspIRCd process: ``InspIRCdServer`` is a value that tests copy freely, and every copy
/// must stop the process a ``InspIRCdServer/restart(timeout:)`` started, not the one that was replaced.
final class IRCdProcessSlot: Sendable {
    private let current: Mutex<ChildProcess>

    /// Holds `process`.
    init(_ process: ChildProcess) {
        self.current = Mutex(process)
    }

    /// The process running now (or the last one, once it has ended).
    var process: ChildProcess {
        self.current.withLock { $0 }
    }

    /// Makes `process` the current one.
    func replace(with process: ChildProcess) {
        self.current.withLock { $0 = process }
    }
}
