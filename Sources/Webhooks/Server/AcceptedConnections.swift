import HummingbirdCore
import Logging
import NIOCore
import NIOHTTPTypes
import Synchronization

/// Holds each accepted connection, open, from the moment it is set up until the server's accept loop takes it over.
///
/// NIO hands a listener's connections to the accept loop through a stream. A connection still on its way when the
/// listener closes or the loop is cancelled (both happen at shutdown) is dropped, and an open `NIOAsyncChannel` let
/// go traps ("Deinited NIOAsyncWriter without calling finish()", swift-nio#2813): a request that arrived as the
/// process stopped crashed it. Held here, such a connection lives on until it is closed: by its client, by the
/// server's quiescing on a graceful shutdown (connections without a request in flight), or by ``closeUnclaimed()``
/// once the server has stopped. A closed channel has finished its writer, so letting go of it then is safe.
///
/// Serving does not depend on this: the accept loop serves every connection it receives, open or closed.
package final class AcceptedConnections<Inbound: Sendable, Outbound: Sendable>: Sendable {
    private struct State {
        var held: [ObjectIdentifier: NIOAsyncChannel<Inbound, Outbound>] = [:]
        var stopped = false
    }

    private let state = Mutex(State())

    package init() {}

    /// Holds `connection` until ``taken(_:)`` or until it closes. Call it where the connection is set up, before it
    /// becomes active.
    package func hold(_ connection: NIOAsyncChannel<Inbound, Outbound>) {
        let id = ObjectIdentifier(connection.channel)
        let stopped = self.state.withLock { state in
            if !state.stopped { state.held[id] = connection }
            return state.stopped
        }
        // Set up after the server stopped: nothing will take it over.
        if stopped { connection.channel.close(promise: nil) }
        // The callback holds this object, and so the connection, for as long as the channel is open (NIO keeps an
        // open channel and its close future alive): whoever owns this may let go of it while connections are held.
        connection.channel.closeFuture.whenComplete { _ in
            _ = self.state.withLock { $0.held.removeValue(forKey: id) }
        }
    }

    /// Lets go of `connection`: the accept loop has it.
    package func taken(_ connection: NIOAsyncChannel<Inbound, Outbound>) {
        _ = self.state.withLock { $0.held.removeValue(forKey: ObjectIdentifier(connection.channel)) }
    }

    /// Closes every connection held, and from now on each one set up, for a server whose accept loop has ended.
    package func closeUnclaimed() {
        let held = self.state.withLock { state in
            state.stopped = true
            return Array(state.held.values)
        }
        for connection in held { connection.channel.close(promise: nil) }
    }

    /// Connections held now: set up, open, and not yet taken over.
    package var heldCount: Int {
        self.state.withLock { $0.held.count }
    }
}

/// The connections of a Hummingbird HTTP/1 server.
package typealias AcceptedHTTPConnections = AcceptedConnections<HTTPRequestPart, HTTPResponsePart>

/// A Hummingbird child channel whose connections are held by ``AcceptedConnections`` until the server's accept loop
/// serves them, so that a shutdown cannot drop one unfinished.
package struct HeldChildChannel<Base: ServerChildChannel, Inbound: Sendable, Outbound: Sendable>: ServerChildChannel
where Base.Value == NIOAsyncChannel<Inbound, Outbound> {
    package typealias Value = Base.Value

    let base: Base
    let connections: AcceptedConnections<Inbound, Outbound>

    /// Serves `base`'s connections, held in `connections` until served.
    package init(base: Base, connections: AcceptedConnections<Inbound, Outbound>) {
        self.base = base
        self.connections = connections
    }

    package func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Value> {
        self.base.setup(channel: channel, logger: logger).map { value in
            self.connections.hold(value)
            return value
        }
    }

    package func handle(value: Value, logger: Logger) async {
        self.connections.taken(value)
        await self.base.handle(value: value, logger: logger)
    }
}

extension HTTPServerBuilder {
    /// Hummingbird's HTTP/1 server with its connections held in `connections` until served (``HeldChildChannel``).
    package static func heldHTTP1(_ connections: AcceptedHTTPConnections) -> HTTPServerBuilder {
        .init { responder in HeldChildChannel(base: HTTP1Channel(responder: responder), connections: connections) }
    }
}
