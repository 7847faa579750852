import BridgeTesting
import Foundation

/// The real release binary, `goapi-bridge run --config <file>`, started by the end-to-end benchmarks against a
/// throwaway InspIRCd (TLS, verified against the harness CA) and the stub GoAPI.
///
/// Every network points at the same InspIRCd under its own name and nick (`gptbot1`, `gptbot2`, …) and joins its
/// own channels, `#bench-<network>-<channel>`. Flood control and the per-user rate limit are set out of reach so
/// they do not pace the measurement, and `goapi.maxConcurrentRequests` is the largest value the configuration
/// accepts (256).
struct BridgeUnderTest: Sendable {
    /// What the bridge is configured with.
    struct Layout: Sendable {
        /// IRC networks, all on the same server.
        var networks: Int
        /// Channels joined on each network.
        var channelsPerNetwork: Int
        /// `goapi.maxConcurrentRequests`.
        var maxConcurrentRequests = 256

        /// The bot's nick on network `network` (1-based).
        static func nick(network: Int) -> String {
            "gptbot\(network)"
        }

        /// Channel `channel` (1-based) of network `network` (1-based).
        static func channel(network: Int, channel: Int) -> String {
            "#bench-\(network)-\(channel)"
        }
    }

    /// The environment variable the GoAPI key is read from (`env:` in the configuration).
    private static let apiKeyVariable = "GOAPI_API_KEY"

    /// The bridge process.
    let process: ChildProcess
    /// The port of the admin listener (`/readyz`).
    let adminPort: Int
    /// Where the bridge's configuration, database and log are.
    let directory: String

    /// Writes the configuration into a new directory under `parentDirectory` (the temp directory by default; it also
    /// holds the SQLite database and the log), starts `binary` and waits for its admin listener.
    static func start(
        binary: String,
        layout: Layout,
        server: InspIRCdServer,
        goapi: StubGoAPIServer,
        parentDirectory: String? = nil,
        timeout: Duration = .seconds(60)
    ) async throws -> BridgeUnderTest {
        guard FileManager.default.isExecutableFile(atPath: binary) else {
            throw BenchmarkFailure(
                "no goapi-bridge binary at \(binary): build it with `swift build -c release --product goapi-bridge`"
            )
        }
        let parent = parentDirectory.map { URL(fileURLWithPath: $0) } ?? FileManager.default.temporaryDirectory
        let directory =
            parent
            .appendingPathComponent("goapi-bridge-bench-\(UUID().uuidString.prefix(8))").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let configFile = directory + "/config.json"
        try Self.configuration(layout, server: server, goapi: goapi, directory: directory)
            .write(to: URL(fileURLWithPath: configFile))
        var environment = ProcessInfo.processInfo.environment
        environment["LOG_LEVEL"] = nil
        environment[Self.apiKeyVariable] = "bench-key"
        let process = try ChildProcess.launch(
            name: "goapi-bridge",
            executable: binary,
            arguments: ["run", "--config", configFile],
            directory: directory,
            logFile: directory + "/goapi-bridge.log",
            environment: environment
        )
        do {
            let port = try await Self.adminPort(process, timeout: timeout)
            return BridgeUnderTest(process: process, adminPort: port, directory: directory)
        } catch {
            await process.terminate(gracePeriod: .seconds(10))
            throw error
        }
    }

    /// Polls `/readyz` until it answers 200 naming no channel the bot is not in: every network registered and every
    /// channel joined (a ready network's detail lists the channels it is still joining).
    func waitUntilReady(timeout: Duration = .seconds(120)) async throws {
        let deadline = ContinuousClock.now + timeout
        while true {
            if let termination = self.process.termination {
                throw BenchmarkFailure("goapi-bridge ended (\(termination)) before it was ready:\n\(self.logTail())")
            }
            let response = try? await TestHTTPClient.send(
                method: "GET",
                port: self.adminPort,
                path: "/readyz",
                timeout: .seconds(5)
            )
            if let response, response.status == 200,
                !String(decoding: response.body, as: UTF8.self).contains("not joined")
            {
                return
            }
            guard ContinuousClock.now < deadline else {
                throw BenchmarkFailure("goapi-bridge was not ready within \(timeout):\n\(self.logTail())")
            }
            try await Task.sleep(for: .milliseconds(200))
        }
    }

    /// The resident set size now, in MiB.
    func residentMiB() throws -> Double {
        try self.memoryMiB("VmRSS")
    }

    /// The peak resident set size since the bridge started, in MiB.
    func peakResidentMiB() throws -> Double {
        try self.memoryMiB("VmHWM")
    }

    /// `anonymous X MiB, file-backed Y MiB`: what the resident set is made of (`RssAnon`, `RssFile` + `RssShmem`);
    /// the file-backed part is the binary and its shared libraries, shared with other processes using them.
    func residentBreakdown() throws -> String {
        let anonymous = try self.memoryMiB("RssAnon")
        let file = try self.memoryMiB("RssFile") + self.memoryMiB("RssShmem")
        return "anonymous \(String(format: "%.1f", anonymous)) MiB, file-backed \(String(format: "%.1f", file)) MiB"
    }

    /// Stops the bridge (SIGTERM) and removes its directory unless `keep` is set.
    func stop(keepDirectory keep: Bool) async {
        await self.process.terminate(gracePeriod: .seconds(20))
        if !keep {
            try? FileManager.default.removeItem(atPath: self.directory)
        }
    }

    /// The last lines of the bridge's log, for error messages.
    func logTail(lines count: Int = 30) -> String {
        let log = (try? String(contentsOfFile: self.process.logFile, encoding: .utf8)) ?? ""
        return log.split(separator: "\n", omittingEmptySubsequences: false).suffix(count).joined(separator: "\n")
    }

    private func memoryMiB(_ field: String) throws -> Double {
        guard let kibibytes = self.process.memoryStatusKiB(field) else {
            let ended = self.process.termination.map { " (it ended: \($0))" } ?? ""
            throw BenchmarkFailure("cannot read \(field) of goapi-bridge\(ended)")
        }
        return Double(kibibytes) / 1_024
    }

    private static func adminPort(_ process: ChildProcess, timeout: Duration) async throws -> Int {
        let marker = "admin.address=127.0.0.1:"
        let deadline = ContinuousClock.now + timeout
        while true {
            let log = (try? String(contentsOfFile: process.logFile, encoding: .utf8)) ?? ""
            if let range = log.range(of: marker) {
                let digits = log[range.upperBound...].prefix { $0.isASCII && $0.isNumber }
                if let port = Int(digits), port > 0 {
                    return port
                }
            }
            if let termination = process.termination {
                throw BenchmarkFailure("goapi-bridge ended (\(termination)) at start:\n\(log.suffix(3_000))")
            }
            guard ContinuousClock.now < deadline else {
                throw BenchmarkFailure("goapi-bridge did not log its admin address within \(timeout)")
            }
            try await Task.sleep(for: .milliseconds(50))
        }
    }

    private static func configuration(
        _ layout: Layout,
        server: InspIRCdServer,
        goapi: StubGoAPIServer,
        directory: String
    ) throws -> Data {
        let networks: [[String: Any]] = (1...layout.networks).map { network in
            [
                "name": "bench\(network)",
                "host": server.host,
                "port": server.tlsPort,
                "tls": true,
                "caFile": server.caFile,
                "nick": Layout.nick(network: network),
                "flood": ["burst": 100, "intervalSeconds": 0.001],
                "userRateLimit": ["questions": 100_000, "perSeconds": 60],
                "channels": (0..<layout.channelsPerNetwork).map {
                    ["name": Layout.channel(network: network, channel: $0 + 1)]
                },
            ]
        }
        let root: [String: Any] = [
            "goapi": [
                "baseURL": goapi.baseURL,
                "apiKey": "env:\(Self.apiKeyVariable)",
                "maxConcurrentRequests": layout.maxConcurrentRequests,
                "replyTimeoutSeconds": 300,
                "retry": ["maxAttempts": 1],
            ],
            "storage": ["sqlitePath": directory + "/bridge.sqlite"],
            "admin": ["listen": "127.0.0.1:0"],
            "irc": ["networks": networks],
            // BENCH_BRIDGE_LOG_LEVEL=trace shows where a question's time goes (the log has millisecond timestamps);
            // the figures are only comparable at the default level.
            "logging": [
                "level": ProcessInfo.processInfo.environment["BENCH_BRIDGE_LOG_LEVEL"] ?? "info",
                "format": "logfmt",
            ],
        ]
        return try JSONSerialization.data(withJSONObject: root, options: [.prettyPrinted, .sortedKeys])
    }
}
