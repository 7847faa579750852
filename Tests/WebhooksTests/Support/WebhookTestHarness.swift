import BridgeTesting
import Foundation
import Logging
import Store
import Webhooks

/// Runs a ``WebhookServer`` (and optionally a ``WebhookDeliveryService``) on 127.0.0.1 with a free port, and
/// sends signed requests to it over real HTTP.
struct WebhookTestHarness {
    /// The signing secret every test endpoint uses.
    static let secret = "whsec_" + Data("test secret for the webhook harness".utf8).base64EncodedString()
    /// A logger that drops everything.
    static let logger = Logger(label: "webhooks-tests", factory: { _ in SwiftLogNoOpLogHandler() })

    /// The bound port.
    let port: Int
    /// The store the server and delivery service share.
    let store: any BridgeStore
    /// The clock both use.
    let now: @Sendable () -> Date

    /// A generic endpoint with the harness secret.
    static func generic(
        _ path: String = "/hooks/team",
        mode: WebhookServer.GenericMode,
        secret: String = Self.secret,
        rateLimit: WebhookServer.RateLimit = .init(requests: 100, period: .seconds(60))
    ) -> WebhookServer.Endpoint {
        .init(path: path, kind: .generic(.init(secret: secret, mode: mode)), rateLimit: rateLimit)
    }

    /// Starts the server (and the delivery service when `delivery` is given), runs `body`, then stops both.
    static func withServer<T: Sendable>(
        endpoints: [WebhookServer.Endpoint],
        maxBodyBytes: Int = 65_536,
        idleTimeout: Duration = .seconds(30),
        maxConnections: Int = WebhookServer.Configuration.defaultMaxConnections,
        store: any BridgeStore = InMemoryBridgeStore(),
        answerer: FakeAnswerer = FakeAnswerer(),
        now: @escaping @Sendable () -> Date = { Date() },
        delivery: WebhookDeliveryService.Configuration? = nil,
        deliveryLogger: Logger = Self.logger,
        _ body: (WebhookTestHarness) async throws -> T
    ) async throws -> T {
        let wakeup = OutboxWakeup()
        let (ports, portContinuation) = AsyncStream.makeStream(of: Int.self)
        var configuration = WebhookServer.Configuration(
            host: "127.0.0.1",
            port: 0,
            maxBodyBytes: maxBodyBytes,
            maxConnections: maxConnections,
            endpoints: endpoints
        )
        configuration.idleTimeout = idleTimeout
        let server = try WebhookServer(
            configuration: configuration,
            store: store,
            answerer: answerer,
            wakeup: wakeup,
            logger: Self.logger,
            now: now,
            onServerRunning: { portContinuation.yield($0) }
        )
        let deliveryService = try delivery.map {
            try WebhookDeliveryService(
                configuration: $0,
                endpoints: endpoints,
                store: store,
                answerer: answerer,
                sender: TestReplySender(),
                wakeup: wakeup,
                logger: deliveryLogger,
                now: now
            )
        }
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await server.run() }
            if let deliveryService {
                group.addTask { try await deliveryService.run() }
            }
            defer { group.cancelAll() }
            var iterator = ports.makeAsyncIterator()
            guard let port = await iterator.next() else { throw CancellationError() }
            return try await body(WebhookTestHarness(port: port, store: store, now: now))
        }
    }

    /// POSTs `body` to `path`, signed with `secret` unless `signed` is false.
    func post(
        _ path: String = "/hooks/team",
        body: String,
        id: String = "msg_" + UUID().uuidString,
        timestamp: Int? = nil,
        secret: String = WebhookTestHarness.secret,
        extraHeaders: [(String, String)] = [("content-type", "application/json")]
    ) async throws -> TestHTTPClient.Response {
        let seconds = timestamp ?? Int(self.now().timeIntervalSince1970)
        let signature = try StandardWebhookSigner(secret: secret).signature(
            id: id,
            timestamp: seconds,
            body: Data(body.utf8)
        )
        let headers =
            [("webhook-id", id), ("webhook-timestamp", String(seconds)), ("webhook-signature", signature)]
            + extraHeaders
        return try await TestHTTPClient.send(port: self.port, path: path, headers: headers, body: Data(body.utf8))
    }

    /// Waits until `condition` holds, checking every 10 ms, for at most `timeout`. The default timeout is long: it
    /// only bounds how late a condition that does come true may be, and a loaded machine can be many times slower.
    static func eventually(
        timeout: Duration = .seconds(30),
        _ condition: () async throws -> Bool
    ) async throws -> Bool {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if try await condition() { return true }
            try await Task.sleep(for: .milliseconds(10))
        }
        return try await condition()
    }
}

/// Makes the outbox's requests over real HTTP with the tests' small NIO client.
struct TestReplySender: ReplySender {
    func send(_ request: OutgoingRequest) async throws -> ReplySendResult {
        guard let components = URLComponents(string: request.url), let host = components.host,
            let port = components.port
        else { throw URLError(.badURL) }
        let response = try await TestHTTPClient.send(
            method: request.method,
            host: host,
            port: port,
            path: components.percentEncodedPath,
            headers: request.headers.map { ($0.name, $0.value) },
            body: Data(request.body)
        )
        return ReplySendResult(
            status: response.status,
            retryAfter: response.headers["retry-after"].flatMap(Double.init),
            body: Array(response.body)
        )
    }
}
