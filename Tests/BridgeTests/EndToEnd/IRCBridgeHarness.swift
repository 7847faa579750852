import Bridge
import BridgeTesting
import GoAPI
import IRC
import Logging
import Store

/// A real InspIRCd over TLS, the stub GoAPI, and the bot (IRC service + bridge) running against both.
struct IRCBridgeHarness {
    let server: InspIRCdServer
    let stub: StubGoAPIServer
    let store: InMemoryBridgeStore
    let network: IRCNetworkService

    static let channel = "#lobby"

    /// Runs `body` with everything started; tears it all down afterwards.
    static func run(
        bridgeConfiguration: (inout IRCBridgeConfiguration) -> Void = { _ in },
        backup: (any BridgeStore) -> BackupModel? = { _ in nil },
        _ body: (IRCBridgeHarness) async throws -> Void
    ) async throws {
        try await InspIRCdServer.withRunning { server in
            try await StubGoAPIServer.withRunning { stub in
                let client = GoAPIClient(
                    configuration: .init(baseURL: stub.baseURL, apiKey: "key", retry: RetryPolicy(maxAttempts: 1))
                )
                let store = InMemoryBridgeStore()
                let clientConfiguration = IRCClientConfiguration(
                    name: "test",
                    host: server.host,
                    port: server.tlsPort,
                    tls: .init(caFile: server.caFile),
                    nick: "gptbot",
                    channels: [.init(name: Self.channel)]
                )
                let logger = Logger(label: "e2e")
                let network = IRCNetworkService(
                    configuration: clientConfiguration,
                    floodBurst: 20,
                    floodInterval: .milliseconds(50),
                    logger: logger
                )
                var configuration = IRCBridgeConfiguration(network: "test", maxLinesPerReply: 5)
                bridgeConfiguration(&configuration)
                let bridge = IRCBridge(
                    networks: [(network, configuration)],
                    asker: ConversationAsker(client: client, store: store, backup: backup(store)),
                    store: store,
                    defaults: ProfileDefaults(gizmoID: nil, model: "gpt-4o", gizmoModel: "gpt-4o"),
                    logger: logger
                )
                let harness = IRCBridgeHarness(server: server, stub: stub, store: store, network: network)
                try await withThrowingTaskGroup(of: Void.self) { group in
                    group.addTask { try await network.run() }
                    group.addTask { try await bridge.run() }
                    do {
                        try await body(harness)
                    } catch {
                        group.cancelAll()
                        throw error
                    }
                    group.cancelAll()
                }
                try await client.shutdown()
            }
        }
    }

    /// A person in the channel. They join only after the bot, so the bot (not they) holds channel operator.
    func person(_ nick: String, capabilities: [String] = []) async throws -> TestIRCClient {
        let person = try await self.server.connectClient()
        try await person.register(nick: nick, capabilities: capabilities)
        let clock = ContinuousClock()
        let deadline = clock.now + .seconds(30)
        while true {
            try await person.send("NAMES \(Self.channel)")
            let reply = try await person.waitForLine { $0.contains(" 353 ") || $0.contains(" 366 ") }
            if reply.contains(" 353 "), reply.lowercased().contains("gptbot") { break }
            guard clock.now < deadline else { throw BotNeverJoined() }
            try await Task.sleep(for: .milliseconds(200))
        }
        try await person.join(Self.channel)
        return person
    }

    struct BotNeverJoined: Error {}
}
