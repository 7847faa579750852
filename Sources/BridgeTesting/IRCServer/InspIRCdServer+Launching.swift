import Foundation

extension InspIRCdServer {
    /// How many times `start` picks new ports when another process took one before InspIRCd could bind it.
    private static let bindAttempts = 4

    /// Runs InspIRCd until its client ports listen, retrying on new ports if one was taken in the meantime.
    ///
    /// Ports are free ones below the ephemeral range (`LoopbackPorts.free`): TLS, plaintext, and with services the
    /// server-link port. The command runs through `/bin/sh` only to set `ulimit -c 0` first: InspIRCd 3.15 can
    /// crash while exiting on SIGTERM, and a core file per test would fill the disk. `--nofork` keeps it our
    /// child so its exit status reaches us, `--runasroot` is needed because tests (and CI) run as root, and
    /// `--nopid` because Debian's default pid path is the system daemon's.
    static func launchIRCd(
        inspircd: String,
        directory: String,
        withServices: Bool,
        deadline: ContinuousClock.Instant,
        launched: inout LaunchedProcesses,
        configuration: (_ ports: [Int], _ logFile: String) -> InspIRCdConfiguration
    ) async throws -> (process: ChildProcess, ports: [Int]) {
        let configFile = directory + "/inspircd.conf"
        let logFile = directory + "/inspircd.log"
        for _ in 1...Self.bindAttempts {
            let ports = try await LoopbackPorts.free(count: withServices ? 3 : 2)
            try configuration(ports, logFile).render().write(toFile: configFile, atomically: true, encoding: .utf8)
            let logOffset = LogFile.size(of: logFile)
            let process = try Self.spawnIRCd(
                inspircd: inspircd,
                configFile: configFile,
                directory: directory,
                logFile: logFile
            )
            launched.append(process)
            if try await Self.waitForListeners(process, ports: ports, logOffset: logOffset, deadline: deadline) {
                return (process, ports)
            }
            await process.terminate(gracePeriod: .seconds(5))
        }
        throw InspIRCdServerError(
            code: .startTimedOut,
            message: "inspircd could not bind free loopback ports in \(Self.bindAttempts) attempts",
            logFile: logFile,
            logTail: LogFile.tail(of: logFile, lines: 40)
        )
    }

    /// Runs `inspircd` on the config in `configFile` the way ``launchIRCd`` describes (core files off,
    /// `--nofork`, `--runasroot`, `--nopid`), without waiting for it to listen.
    static func spawnIRCd(
        inspircd: String,
        configFile: String,
        directory: String,
        logFile: String
    ) throws -> ChildProcess {
        try ChildProcess.launch(
            name: "inspircd",
            executable: "/bin/sh",
            arguments: [
                "-c", "ulimit -c 0; exec \"$0\" \"$@\"",
                inspircd, "--nofork", "--runasroot", "--nopid", "--config=\(configFile)",
            ],
            directory: directory,
            logFile: logFile
        )
    }

    /// Polls until InspIRCd has logged a listener on every port and its TLS port accepts a connection.
    ///
    /// Returns false if a port was taken ("Failed to listen"): a connection would then reach whoever took it,
    /// so the log, not a successful connect, decides which process is listening. Only the log written after
    /// `logOffset` counts, so a restarted server is not taken for listening on the strength of its first run.
    static func waitForListeners(
        _ process: ChildProcess,
        ports: [Int],
        logOffset: Int,
        deadline: ContinuousClock.Instant
    ) async throws -> Bool {
        while true {
            if let termination = process.termination {
                throw InspIRCdServerError(
                    code: .serverExited,
                    message: "inspircd exited while starting (\(termination))",
                    logFile: process.logFile,
                    logTail: LogFile.tail(of: process.logFile, lines: 40)
                )
            }
            let log = LogFile.contents(of: process.logFile, from: logOffset)
            if log.contains("Failed to listen on 127.0.0.1:") {
                return false
            }
            let listening = ports.allSatisfy { log.contains("Added a listener on 127.0.0.1:\($0) ") }
            if listening, await LoopbackPorts.acceptsConnections(port: ports[0]) {
                return true
            }
            guard ContinuousClock.now < deadline else {
                throw InspIRCdServerError(
                    code: .startTimedOut,
                    message: "inspircd did not accept connections on 127.0.0.1:\(ports[0]) in time",
                    logFile: process.logFile,
                    logTail: LogFile.tail(of: process.logFile, lines: 40)
                )
            }
            try await Task.sleep(for: .milliseconds(50))
        }
    }

    /// Starts Atheme in the foreground, as root, entirely inside `directory/atheme`.
    ///
    /// `-n` keeps it in the foreground (and logging to the console, which is captured), `-c`/`-D`/`-p` keep
    /// config, database and pid file out of Debian's system paths, and `-l /dev/null` skips the second copy
    /// of the log Atheme would otherwise write to `/var/log/atheme`. Atheme runs as root without complaint.
    static func launchServices(
        atheme: String,
        configuration: AthemeConfiguration,
        directory: String,
        launched: inout LaunchedProcesses
    ) throws -> ChildProcess {
        let dataDirectory = directory + "/atheme"
        try FileManager.default.createDirectory(atPath: dataDirectory, withIntermediateDirectories: true)
        let configFile = dataDirectory + "/atheme.conf"
        try configuration.render().write(toFile: configFile, atomically: true, encoding: .utf8)
        let process = try ChildProcess.launch(
            name: "atheme-services",
            executable: "/bin/sh",
            arguments: [
                "-c", "ulimit -c 0; exec \"$0\" \"$@\"",
                atheme, "-n", "-c", configFile, "-D", dataDirectory, "-l", "/dev/null",
                "-p", dataDirectory + "/atheme.pid",
            ],
            directory: dataDirectory,
            logFile: directory + "/atheme.log"
        )
        launched.append(process)
        return process
    }
}

/// Processes started so far by one `start`, so a failure halfway stops them all.
struct LaunchedProcesses {
    private var processes: [ChildProcess] = []

    /// Remembers a process that has just been started.
    mutating func append(_ process: ChildProcess) {
        self.processes.append(process)
    }

    /// Stops them, the most recent first (services before the server they link to).
    func terminateAll() async {
        for process in self.processes.reversed() {
            await process.terminate(gracePeriod: .seconds(5))
        }
    }
}
