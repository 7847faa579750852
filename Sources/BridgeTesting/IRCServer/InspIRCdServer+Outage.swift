import Foundation

extension InspIRCdServer {
    /// Stops InspIRCd and leaves it stopped: an outage of the network, during which clients cannot connect at
    /// all (connections are refused). ``endOutage(timeout:)`` starts it again on the same ports; ``restart(timeout:)``
    /// does both at once. Services, when linked, keep running and relink once the server is back.
    package func beginOutage() async {
        await self.ircd.terminate(gracePeriod: .seconds(10))
    }

    /// Starts InspIRCd again after ``beginOutage()``, on the same ports with the same configuration and
    /// certificate, and returns once it accepts connections (and services have relinked, when linked).
    ///
    /// - Throws: ``InspIRCdServerError`` as ``restart(timeout:)`` does when the server does not come back.
    package func endOutage(timeout: Duration = .seconds(30)) async throws {
        guard let inspircd = Executable.find("inspircd") else {
            throw InspIRCdServerError(
                code: .notInstalled,
                message: "inspircd is not installed; run scripts/irc-test-deps.sh"
            )
        }
        let deadline = ContinuousClock.now + timeout
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
                    + "after an outage: another process took a port",
                logFile: self.logFile,
                logTail: LogFile.tail(of: self.logFile, lines: 40)
            )
        }
        try await self.waitForServices(deadline: deadline, logOffset: logOffset)
    }
}
