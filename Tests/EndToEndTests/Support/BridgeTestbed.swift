import BridgeTesting
import Foundation
import Testing

/// What one end-to-end test runs against: a real InspIRCd over TLS (with Atheme when SASL is needed), the stub
/// GoAPI, and a temp directory for the bridge's config, log and SQLite file. Bridge binaries are started by the
/// test with ``launchBridge(_:secrets:)``; ``run(withServices:_:)`` stops whatever is still running and removes
/// the directory whether the test passes or fails.
struct BridgeTestbed: Sendable {
    /// The channel most tests talk in.
    static let channel = "#lobby"
    /// The bot's configured nick.
    static let botNick = "gptbot"
    /// The GoAPI key every bridge gets through `env:GOAPI_API_KEY`; distinctive, so a leak into a log is found.
    static let apiKey = "e2e-goapi-key-7Hq2xVbN9pLs4Wd"

    /// The IRC server.
    let server: InspIRCdServer
    /// The GoAPI stand-in.
    let stub: StubGoAPIServer
    /// The temp directory holding config, logs and the SQLite file.
    let directory: String
    private let bridges: LaunchedBridges

    /// The SQLite file every bridge of this test uses, so a restarted bridge finds what the first one stored.
    var databaseFile: String {
        self.directory + "/goapi-bridge.sqlite"
    }

    /// Starts the server (and services when asked), the stub and a temp directory; runs `body`; then stops every
    /// bridge still running (a test that passes must have them exit with status 0 on SIGTERM), the stub and the
    /// server, and removes the directory. A thrown error is rethrown with the end of each bridge's log.
    ///
    /// Set `IRC_HARNESS_KEEP_DIRS` to keep the directories (this one and the server's) for a look at the logs.
    static func run(withServices: Bool = false, _ body: (BridgeTestbed) async throws -> Void) async throws {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("goapi-bridge-e2e-\(UUID().uuidString.prefix(8))")
            .path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let keepDirectory = ProcessInfo.processInfo.environment["IRC_HARNESS_KEEP_DIRS"] != nil
        let bridges = LaunchedBridges()
        do {
            try await InspIRCdServer.withRunning(options: .init(withServices: withServices)) { server in
                try await StubGoAPIServer.withRunning { stub in
                    let testbed = BridgeTestbed(server: server, stub: stub, directory: directory, bridges: bridges)
                    do {
                        try await body(testbed)
                    } catch {
                        await bridges.stopAll()
                        throw EndToEndFailure(underlying: error, bridges: bridges.all)
                    }
                    for (bridge, termination) in await bridges.stopAll() where termination != .exited(0) {
                        let ending = termination.map(String.init(describing:)) ?? "still running"
                        Issue.record("goapi-bridge did not exit cleanly on SIGTERM (\(ending))\n\(bridge.logTail())")
                    }
                }
            }
        } catch {
            await bridges.stopAll()
            if !keepDirectory {
                try? FileManager.default.removeItem(atPath: directory)
            }
            throw error
        }
        if !keepDirectory {
            try? FileManager.default.removeItem(atPath: directory)
        }
    }

    /// A configuration for this testbed: the server's TLS port and CA, the stub, this test's SQLite file.
    func configuration(channels: [String] = [Self.channel]) -> BridgeConfigFile {
        BridgeConfigFile(
            goapiBaseURL: self.stub.baseURL,
            sqlitePath: self.databaseFile,
            host: self.server.host,
            port: self.server.tlsPort,
            caFile: self.server.caFile,
            nick: Self.botNick,
            channels: channels
        )
    }

    /// Writes `configuration` and starts the binary with the API key (and `secrets`) in its environment. Each
    /// launch logs to its own file (`goapi-bridge-1.log`, …).
    @discardableResult
    func launchBridge(_ configuration: BridgeConfigFile, secrets: [String: String] = [:]) throws -> BridgeProcess {
        try self.bridges.launch { index in
            try BridgeProcess.launch(
                configuration,
                secrets: [BridgeConfigFile.apiKeyVariable: Self.apiKey].merging(secrets) { _, new in new },
                configFile: self.directory + "/config.json",
                logFile: self.directory + "/goapi-bridge-\(index).log",
                directory: self.directory
            )
        }
    }

    /// A person connected over TLS and registered as `nick`.
    func person(_ nick: String) async throws -> TestIRCClient {
        let client = try await self.server.connectClient()
        do {
            try await client.register(nick: nick)
        } catch {
            client.close()
            throw error
        }
        return client
    }
}
