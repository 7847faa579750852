import BridgeTesting
import NIOCore
import NIOPosix
import Testing
import Webhooks

/// How a server's accepted connections are held until its accept loop takes them.
@Suite struct AcceptedConnectionsTests {
    typealias Connection = NIOAsyncChannel<ByteBuffer, ByteBuffer>

    /// NIO drops a connection it is still handing to the accept loop when the listener closes, without closing it.
    /// Unheld, its async channel then trapped and took the whole process down (swift-nio#2813), as a webhook arriving
    /// during a shutdown could. Held, it stays a connection, and is closed once the server has stopped.
    @Test func aConnectionTheAcceptLoopNeverTookIsClosedWhenTheServerStops() async throws {
        let accepted = AcceptedConnections<ByteBuffer, ByteBuffer>()
        var listener: NIOAsyncChannel<Connection, Never>? = try await Self.listen(accepted)
        let client = try await RawHTTPConnection.connect(port: try #require(listener?.channel.localAddress?.port))
        try await waitUntil("the connection is set up") { accepted.heldCount == 1 }
        // Closed without reading a single connection from it: what it had buffered goes with it.
        try await listener?.executeThenClose { _ in }
        listener = nil

        accepted.closeUnclaimed()
        #expect(try await client.waitForClose(timeout: .seconds(30)), "the connection was left open")
        try await waitUntil("the closed connection is let go") { accepted.heldCount == 0 }
    }

    /// A connection set up after the server stopped has no accept loop to go to.
    @Test func aConnectionSetUpAfterTheServerStoppedIsClosedAtOnce() async throws {
        let accepted = AcceptedConnections<ByteBuffer, ByteBuffer>()
        accepted.closeUnclaimed()
        let listener = try await Self.listen(accepted)
        let client = try await RawHTTPConnection.connect(port: try #require(listener.channel.localAddress?.port))
        #expect(try await client.waitForClose(timeout: .seconds(30)), "the connection was left open")
        try await listener.executeThenClose { _ in }
    }

    @Test func aConnectionTakenOverIsLetGoAndServed() async throws {
        let accepted = AcceptedConnections<ByteBuffer, ByteBuffer>()
        let listener = try await Self.listen(accepted)
        let client = try await RawHTTPConnection.connect(port: try #require(listener.channel.localAddress?.port))
        try await listener.executeThenClose { inbound in
            var connections = inbound.makeAsyncIterator()
            let connection = try #require(try await connections.next())
            #expect(accepted.heldCount == 1)
            accepted.taken(connection)
            #expect(accepted.heldCount == 0)
            try await connection.executeThenClose { _, outbound in
                try await outbound.write(ByteBuffer(string: "served"))
            }
        }
        #expect(try await client.waitForReceived(timeout: .seconds(30)) { $0 == "served" })
    }

    /// A connection is let go once it closes, so a long-running server holds only open ones; what its client sent is
    /// still there for the accept loop.
    @Test func aConnectionThatClosesIsLetGoAndWhatItsClientSentIsStillServed() async throws {
        let accepted = AcceptedConnections<ByteBuffer, ByteBuffer>()
        let listener = try await Self.listen(accepted)
        let client = try await RawHTTPConnection.connect(port: try #require(listener.channel.localAddress?.port))
        try await client.send("question")
        await client.close()
        try await waitUntil("the closed connection is let go") { accepted.heldCount == 0 }
        try await listener.executeThenClose { inbound in
            var connections = inbound.makeAsyncIterator()
            let connection = try #require(try await connections.next())
            accepted.taken(connection)
            var received = ""
            try await connection.executeThenClose { inbound, _ in
                for try await buffer in inbound { received += String(buffer: buffer) }
            }
            #expect(received == "question")
        }
    }

    /// A listener whose connections `accepted` holds.
    private static func listen(
        _ accepted: AcceptedConnections<ByteBuffer, ByteBuffer>
    ) async throws -> NIOAsyncChannel<Connection, Never> {
        try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .bind(host: "127.0.0.1", port: 0) { child in
                child.eventLoop.makeCompletedFuture {
                    let connection = try Connection(wrappingChannelSynchronously: child)
                    accepted.hold(connection)
                    return connection
                }
            }
    }
}
