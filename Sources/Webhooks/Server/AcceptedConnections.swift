import HummingbirdCore
import Logging
import NIOCore
import Synchronization

/// Holds each accepted connection from the moment it is set up until the server's accept loop takes it over, and
/// finishes it if it closes before then.
///
/// NIO hands a listener's connections to the accept loop through a stream. A connection still on its way when the
/// listener closes or the loop is cancelled (both happen at shutdown) is dropped unclosed, and its `NIOAsyncChannel`
/// then traps ("Deinited NIOAsyncWriter without calling finish()", swift-nio#2813): a request that arrived as the
/// process stopped crashed it. Held here, such a connection lives until it closes (at shutdown the server's
/// quiescing closes every connection without a request in flight; ``closeUnclaimed()`` does it at once), and is
/// finished then. A connection finished before the loop reached it is still served: a client that sent its request
/// and closed its side has that request handled, as it would have been without this.
package final class AcceptedConnections<Inbound: Sendable, Outbound: Sendable>: Sendable {
    private let unclaimed = Mutex<[ObjectIdentifier: NIOAsyncChannel<Inbound, Outbound>]>([:])

    package init() {}

    /// Holds `connection` until ``claim(_:)``. Call it where the connection is set up, before it becomes active.
    package func hold(_ connection: NIOAsyncChannel<Inbound, Outbound>) {
        let id = ObjectIdentifier(connection.channel)
        self.unclaimed.withLock { $0[id] = connection }
        connection.channel.closeFuture.whenComplete { _ in
            guard self.unclaimed.withLock({ $0[id] != nil }) else { return }
            // The channel is closed already; this only finishes its writer (which takes a task), so that dropping the
            // connection is safe. What it received stays readable for the accept loop.
            Task { try? await connection.executeThenClose { _, _ in } }
        }
    }

    /// Takes `connection` over for serving; `false` when it was taken over before.
    package func claim(_ connection: NIOAsyncChannel<Inbound, Outbound>) -> Bool {
        self.unclaimed.withLock { $0.removeValue(forKey: ObjectIdentifier(connection.channel)) } != nil
    }

    /// Closes every connection no accept loop took over, for a server that stops without quiescing its connections.
    package func closeUnclaimed() {
        for connection in self.unclaimed.withLock({ Array($0.values) }) {
            connection.channel.close(promise: nil)
        }
    }

    /// Connections set up and not yet taken over.
    package var unclaimedCount: Int {
        self.unclaimed.withLock { $0.count }
    }
}

/// A Hummingbird child channel whose connections are held by ``AcceptedConnections`` until the server's accept loop
/// serves them, so that a shutdown cannot drop one unfinished.
package struct HeldChildChannel<Base: ServerChildChannel, Inbound: Sendable, Outbound: Sendable>: ServerChildChannel
where Base.Value == NIOAsyncChannel<Inbound, Outbound> {
    package typealias Value = Base.Value

    let base: Base
    let connections = AcceptedConnections<Inbound, Outbound>()

    package init(base: Base) {
        self.base = base
    }

    package func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Value> {
        self.base.setup(channel: channel, logger: logger).map { value in
            self.connections.hold(value)
            return value
        }
    }

    package func handle(value: Value, logger: Logger) async {
        guard self.connections.claim(value) else { return }
        await self.base.handle(value: value, logger: logger)
    }
}

extension HTTPServerBuilder {
    /// Hummingbird's HTTP/1 server with its connections held until served (``HeldChildChannel``).
    package static func heldHTTP1() -> HTTPServerBuilder {
        .init { responder in HeldChildChannel(base: HTTP1Channel(responder: responder)) }
    }
}
