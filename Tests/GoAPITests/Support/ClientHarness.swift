import BridgeTesting
import GoAPI
import InMemoryLogging
import Logging
import Synchronization

/// Collects values from `@Sendable` callbacks.
final class Recorder<Value: Sendable>: Sendable {
    private let storage = Mutex<[Value]>([])

    var values: [Value] { self.storage.withLock { $0 } }

    func record(_ value: Value) {
        self.storage.withLock { $0.append(value) }
    }
}

/// The API key the tests use; it must never appear in logs.
let testAPIKey = "sk-goapi-test-7f3a9c1e"

/// Runs `body` with a stub GoAPI server and a client pointed at it, with timings short enough for tests.
func withStubAndClient(
    configure: (inout GoAPIClient.Configuration) -> Void = { _ in },
    _ body: (StubGoAPIServer, GoAPIClient) async throws -> Void
) async throws {
    try await StubGoAPIServer.withRunning { stub in
        var configuration = GoAPIClient.Configuration(
            baseURL: stub.baseURL + "/",
            apiKey: testAPIKey,
            connectTimeout: .seconds(2),
            idleTimeout: .seconds(5),
            replyTimeout: .seconds(15),
            retry: RetryPolicy(maxAttempts: 3, initialBackoff: .milliseconds(10), maxBackoff: .milliseconds(40))
        )
        configure(&configuration)
        let client = GoAPIClient(configuration: configuration, randomUnit: { 0.5 })
        do {
            try await body(stub, client)
        } catch {
            try? await client.shutdown()
            throw error
        }
        try await client.shutdown()
    }
}

/// A logger that keeps every entry at trace level, so tests can check what would reach an operator's logs.
func makeTraceLogger() -> (Logger, InMemoryLogHandler) {
    var handler = InMemoryLogHandler()
    handler.logLevel = .trace
    let capturedHandler = handler
    return (Logger(label: "test") { _ in capturedHandler }, handler)
}
