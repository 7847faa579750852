import Bridge
import BridgeTesting
import Foundation
import GoAPI
import IRC
import InMemoryLogging
import Logging
import Store
import Webhooks

/// The IRC bridge over a fake network, asking the stub GoAPI over real HTTP through a real client.
struct IRCBridgeFixture {
    /// The network name in conversation keys.
    static let networkName = "testnet"
    /// Defaults with no GPT: `gpt-4o` for plain questions, `gpt-4-gizmo` with a GPT, so tests can tell them apart.
    static let plainDefaults = ProfileDefaults(gizmoID: nil, model: "gpt-4o", gizmoModel: "gpt-4-gizmo")

    let stub: StubGoAPIServer
    let network: FakeIRCNetwork
    let store: any BridgeStore
    let logs: InMemoryLogHandler

    /// Runs a bridge with `configuration` over a new fake network (session `snapshot`) and `store` while `body`
    /// runs, then cancels it.
    static func run(
        configuration: IRCBridgeConfiguration = IRCBridgeConfiguration(network: Self.networkName),
        defaults: ProfileDefaults = Self.plainDefaults,
        snapshot: IRCNetworkService.Snapshot = FakeIRCNetwork.defaultSnapshot(),
        store: any BridgeStore = InMemoryBridgeStore(),
        replyPages: ReplyPagePublisher? = nil,
        _ body: (IRCBridgeFixture) async throws -> Void
    ) async throws {
        try await withStubGoAPI { stub, client in
            let network = FakeIRCNetwork(snapshot: snapshot)
            let (logger, logs) = makeTraceLogger()
            try await withBridge(
                networks: [(network, configuration)],
                client: client,
                store: store,
                defaults: defaults,
                replyPages: replyPages,
                logger: logger
            ) { _ in
                try await body(IRCBridgeFixture(stub: stub, network: network, store: store, logs: logs))
            }
        }
    }

    /// The conversation GoAPI was asked in for `key` with the plain default profile.
    func conversationID(key: String, gizmoID: String? = nil, model: String = "gpt-4o") async throws -> String? {
        try await self.store.conversation(key: key, gizmoID: gizmoID, model: model)?.conversationID
    }

    /// The conversation key of an IRC channel on the fixture's network (already case-folded).
    static func channelKey(_ foldedChannel: String) -> String {
        ConversationKey.ircChannel(network: Self.networkName, foldedChannel: foldedChannel)
    }
}

/// A running bridge as a test sees it: it can wait for `run()` to return.
final class BridgeRun: Sendable {
    private let stoppedSignal = AsyncStream<Void>.makeStream()

    fileprivate func markStopped() {
        self.stoppedSignal.continuation.finish()
    }

    /// Waits until `run()` returns; throws ``StillRunning`` after `timeout` (long: it only bounds how late a stop
    /// that does come may be, on however loaded a machine).
    func waitUntilStopped(timeout: Duration = .seconds(30)) async throws {
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                for await _ in self.stoppedSignal.stream {}
                // The stream also ends when this wait is cancelled, which is no sign that the bridge stopped.
                try Task.checkCancellation()
            }
            group.addTask {
                try await Task.sleep(for: timeout)
                throw StillRunning(timeout: timeout)
            }
            defer { group.cancelAll() }
            try await group.next()
        }
    }

    /// The bridge did not stop in time.
    struct StillRunning: Error {
        var timeout: Duration
    }
}

/// Starts the stub GoAPI and a client for it (one attempt per request, so failures surface at once).
func withStubGoAPI(_ body: (StubGoAPIServer, GoAPIClient) async throws -> Void) async throws {
    try await StubGoAPIServer.withRunning { stub in
        let client = GoAPIClient(
            configuration: .init(baseURL: stub.baseURL, apiKey: "key", retry: RetryPolicy(maxAttempts: 1))
        )
        do {
            try await body(stub, client)
        } catch {
            try? await client.shutdown()
            throw error
        }
        try await client.shutdown()
    }
}

/// Runs an ``IRCBridge`` over `networks` while `body` runs, then cancels it (if it has not stopped by itself).
func withBridge(
    networks: [(FakeIRCNetwork, IRCBridgeConfiguration)],
    client: GoAPIClient,
    store: any BridgeStore,
    defaults: ProfileDefaults = IRCBridgeFixture.plainDefaults,
    replyPages: ReplyPagePublisher? = nil,
    logger: Logger = Logger(label: "test"),
    _ body: (BridgeRun) async throws -> Void
) async throws {
    let bridge = IRCBridge(
        networks: networks.map { (service: $0.0, configuration: $0.1) },
        asker: ConversationAsker(client: client, store: store),
        store: store,
        defaults: defaults,
        replyPages: replyPages,
        logger: logger
    )
    let run = BridgeRun()
    try await withThrowingTaskGroup(of: Void.self) { group in
        group.addTask {
            defer { run.markStopped() }
            try await bridge.run()
        }
        defer { group.cancelAll() }
        try await body(run)
    }
}

/// A logger that keeps every entry, so tests can check what an operator would read.
func makeTraceLogger() -> (Logger, InMemoryLogHandler) {
    var handler = InMemoryLogHandler()
    handler.logLevel = .trace
    let capturedHandler = handler
    return (Logger(label: "test") { _ in capturedHandler }, handler)
}

/// Runs `body` with a new empty directory, deleted afterwards with everything in it.
func withTemporaryDirectory(_ body: (URL) async throws -> Void) async throws {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("BridgeTests-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    try await body(directory)
}

extension StubGoAPIServer.RecordedRequest {
    /// The path of a request that creates a conversation.
    static let newConversationPath = "/api/chatgpt/v1/conversation"

    /// The path of a request adding a message to `conversationID`.
    static func addMessagePath(_ conversationID: String) -> String {
        "\(self.newConversationPath)/\(conversationID)"
    }

    /// The `gizmo_id` sent, if any.
    var gizmoID: String? {
        self.json?["gizmo_id"] as? String
    }

    /// The `model` sent.
    var model: String? {
        self.json?["model"] as? String
    }
}
