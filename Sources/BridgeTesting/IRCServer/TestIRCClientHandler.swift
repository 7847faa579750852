import NIOCore
import NIOSSL
import NIOTLS

/// The end of a ``TestIRCClient``'s pipeline: answers PING on the event loop, feeds lines to the inbox, and
/// reports when the connection is usable (TCP connected, or TLS handshake done) or has failed.
///
/// PONG is sent here rather than by the test so a server never times a client out while the test is busy
/// elsewhere; the PING is still delivered to the inbox for tests that want to see it.
final class TestIRCClientHandler: ChannelInboundHandler {
    typealias InboundIn = String
    typealias OutboundOut = ByteBuffer

    private let inbox: TestIRCLineInbox
    private let waitsForTLSHandshake: Bool
    private let ready: EventLoopPromise<Void>

    /// Creates the handler; `ready` completes when the connection can carry IRC lines, or fails.
    init(inbox: TestIRCLineInbox, waitsForTLSHandshake: Bool, ready: EventLoopPromise<Void>) {
        self.inbox = inbox
        self.waitsForTLSHandshake = waitsForTLSHandshake
        self.ready = ready
    }

    func channelActive(context: ChannelHandlerContext) {
        if !self.waitsForTLSHandshake {
            self.ready.succeed()
        }
        context.fireChannelActive()
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if let event = event as? TLSUserEvent, case .handshakeCompleted = event {
            self.ready.succeed()
        }
        context.fireUserInboundEventTriggered(event)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let message = TestIRCMessage(parsing: self.unwrapInboundIn(data))
        if message.command == "PING" {
            let pong = "PONG :" + (message.parameters.last ?? "")
            self.inbox.recordSent(pong)
            context.writeAndFlush(self.wrapOutboundOut(ByteBuffer(string: pong + "\r\n")), promise: nil)
        }
        self.inbox.receive(message)
    }

    func channelInactive(context: ChannelHandlerContext) {
        self.ready.fail(ChannelError.ioOnClosedChannel)
        self.inbox.close(error: nil)
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        self.ready.fail(error)
        self.inbox.close(error: error)
        context.close(promise: nil)
    }
}
