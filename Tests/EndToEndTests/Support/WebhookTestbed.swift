import BridgeTesting
import Foundation
import Testing

/// What one webhook end-to-end test runs against: the stub GoAPI, a stub receiver for async replies, and a temp
/// directory for the bridge's config, logs and SQLite file. No IRC server: the bridges run webhook-only.
///
/// ``run(_:)`` stops whatever is still running and removes the directory whether the test passes or fails. Every
/// test also checks that no bridge wrote a secret to its log.
struct WebhookTestbed: Sendable {
    /// The endpoint's signing secret, given to the bridge through `env:TEAM_WEBHOOK_SECRET`; distinctive, so a leak
    /// into a log is found.
    static let secret = "whsec_" + Data("goapi-bridge e2e webhook secret Q7vX2mPz".utf8).base64EncodedString()

    /// The GoAPI stand-in.
    let goapi: StubGoAPIServer
    /// Where async endpoints POST their replies.
    let receiver: StubWebhookReceiver
    /// The temp directory holding config, logs and the SQLite file.
    let directory: String
    private let bridges: LaunchedBridges

    /// The SQLite file every bridge of this test uses, so a restarted bridge finds what the first one stored.
    var databaseFile: String {
        self.directory + "/goapi-bridge.sqlite"
    }

    /// Starts the stubs and a temp directory; runs `body`; then stops every bridge still running (a test that
    /// passes must have them exit with status 0 on SIGTERM, unless it killed them on purpose), checks their logs for
    /// secrets, stops the stubs and removes the directory. A thrown error is rethrown with the end of each bridge's
    /// log.
    ///
    /// Set `IRC_HARNESS_KEEP_DIRS` to keep the directory for a look at the logs.
    static func run(_ body: (WebhookTestbed) async throws -> Void) async throws {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("goapi-bridge-e2e-webhooks-\(UUID().uuidString.prefix(8))")
            .path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let keepDirectory = ProcessInfo.processInfo.environment["IRC_HARNESS_KEEP_DIRS"] != nil
        defer {
            if !keepDirectory {
                try? FileManager.default.removeItem(atPath: directory)
            }
        }
        let bridges = LaunchedBridges()
        do {
            try await StubGoAPIServer.withRunning { goapi in
                try await StubWebhookReceiver.withRunning { receiver in
                    let testbed = WebhookTestbed(
                        goapi: goapi,
                        receiver: receiver,
                        directory: directory,
                        bridges: bridges
                    )
                    do {
                        try await body(testbed)
                    } catch {
                        await bridges.stopAll()
                        throw EndToEndFailure(underlying: error, bridges: bridges.all)
                    }
                    for (bridge, termination) in await bridges.stopAll()
                    where termination != .exited(0) && !bridges.wasKilled(bridge) {
                        let ending = termination.map(String.init(describing:)) ?? "still running"
                        Issue.record("goapi-bridge did not exit cleanly on SIGTERM (\(ending))\n\(bridge.logTail())")
                    }
                }
            }
        } catch {
            await bridges.stopAll()
            throw error
        }
        for bridge in bridges.all {
            let log = bridge.log
            let leaked = [Self.secret, String(Self.secret.dropFirst("whsec_".count)), BridgeTestbed.apiKey]
                .filter { log.contains($0) }
            #expect(leaked.isEmpty, "the log (\(bridge.logFile)) contains secrets")
        }
    }

    /// A configuration for this testbed: the stub GoAPI, this test's SQLite file, one generic endpoint answering
    /// as `reply` says.
    func configuration(reply: WebhookBridgeConfigFile.Reply) -> WebhookBridgeConfigFile {
        WebhookBridgeConfigFile(goapiBaseURL: self.goapi.baseURL, sqlitePath: self.databaseFile, reply: reply)
    }

    /// Writes `configuration`, starts the binary with the API key and the webhook secret in its environment, and
    /// returns once its webhook server listens. Each launch logs to its own file (`goapi-bridge-1.log`, …).
    func launchBridge(_ configuration: WebhookBridgeConfigFile) async throws -> WebhookBridge {
        let process = try self.bridges.launch { index in
            try BridgeProcess.launch(
                configuration,
                secrets: [
                    BridgeConfigFile.apiKeyVariable: BridgeTestbed.apiKey,
                    WebhookBridgeConfigFile.secretVariable: Self.secret,
                ],
                configFile: self.directory + "/config.json",
                logFile: self.directory + "/goapi-bridge-\(index).log",
                directory: self.directory
            )
        }
        return WebhookBridge(process: process, port: try await process.webhookPort())
    }

    /// SIGKILLs `bridge` (a crash: nothing of its shutdown runs) and returns how it ended.
    func kill(_ bridge: WebhookBridge) async -> ChildProcess.Termination? {
        await self.bridges.kill(bridge.process)
    }
}

/// A running bridge and the port its webhook server listens on.
struct WebhookBridge: Sendable {
    /// The process.
    let process: BridgeProcess
    /// The webhook server's port on 127.0.0.1.
    let port: Int
}
