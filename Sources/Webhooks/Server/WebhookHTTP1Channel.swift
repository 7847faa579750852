import Hummingbird
import HummingbirdCore
import Logging
import NIOCore
import NIOHTTPTypes
import NIOHTTPTypesHTTP1

/// Hummingbird's HTTP/1 channel with the webhook server's own connection rules: at most
/// ``ConnectionLimit/maximum`` connections at once (more are closed as they arrive), and a thin handler where the
/// request's HTTP version is still known, before Hummingbird's conversion to HTTP types (``ConnectionCloseHandler``).
/// Each connection is held from its set-up until it is served (``AcceptedConnections``), so that a shutdown cannot
/// drop one unfinished.
struct WebhookHTTP1Channel: ServerChildChannel {
    typealias Value = HTTP1Channel.Value

    let base: HTTP1Channel
    let maxBodyBytes: Int
    let bodyTimeout: TimeAmount
    let connections: ConnectionLimit
    let accepted: AcceptedHTTPConnections

    /// Builds the server's channels from `configuration`; one ``ConnectionLimit`` counts all their connections, and
    /// `accepted` holds each until it is served.
    static func serverBuilder(
        _ configuration: WebhookServer.Configuration,
        accepted: AcceptedHTTPConnections
    ) -> HTTPServerBuilder {
        let connections = ConnectionLimit(maximum: configuration.maxConnections)
        return HTTPServerBuilder { responder in
            WebhookHTTP1Channel(
                base: HTTP1Channel(
                    responder: responder,
                    configuration: .init(idleTimeout: TimeAmount(configuration.idleTimeout))
                ),
                maxBodyBytes: configuration.maxBodyBytes,
                bodyTimeout: TimeAmount(configuration.idleTimeout),
                connections: connections,
                accepted: accepted
            )
        }
    }

    func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Value> {
        self.base.setup(channel: channel, logger: logger).flatMapThrowing { value in
            let pipeline = channel.pipeline.syncOperations
            let codec = try pipeline.handler(type: HTTP1ToHTTPServerCodec.self)
            try pipeline.addHandler(
                ConnectionCloseHandler(maxBodyBytes: self.maxBodyBytes, bodyTimeout: self.bodyTimeout),
                position: .before(codec)
            )
            self.accepted.hold(value)
            return value
        }
    }

    func handle(value: Value, logger: Logger) async {
        self.accepted.taken(value)
        guard self.connections.tryOpen() else {
            // Closed unread: answering would mean holding the connection longer, and a sender sees a failed
            // delivery it retries later, as after any network error. (The async channel must be closed through
            // `executeThenClose`; a close that fails finds the connection already gone, which is the aim.)
            try? await value.executeThenClose { _, _ in }
            if let refused = self.connections.refusalsToReport(now: .now) {
                logger.warning(
                    "Webhook connections refused: the server holds as many as it allows",
                    metadata: [
                        "webhooks.max_connections": "\(self.connections.maximum)",
                        "webhooks.refused_connections": "\(refused)",
                    ]
                )
            }
            return
        }
        defer { self.connections.close() }
        await self.base.handle(value: value, logger: logger)
    }
}
