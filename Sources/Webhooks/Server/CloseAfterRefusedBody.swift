import HTTPTypes
import NIOCore
import NIOHTTPTypes

/// Closes the connection once a 413 has been written. Hummingbird otherwise keeps the connection and reads the
/// rest of the refused body to find the next request: up to its declared length (however large), or for ever when
/// it is chunked, so `maxBodyBytes` would not bound what a refused request costs. A thin handler; the decision is
/// the status alone.
final class CloseAfterRefusedBody: ChannelOutboundHandler, RemovableChannelHandler {
    typealias OutboundIn = HTTPResponsePart
    typealias OutboundOut = HTTPResponsePart

    private var closing = false

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        let part = self.unwrapOutboundIn(data)
        switch part {
        case .head(var response) where response.status == .contentTooLarge:
            self.closing = true
            response.headerFields[.connection] = "close"
            context.write(self.wrapOutboundOut(.head(response)), promise: promise)
        case .end where self.closing:
            self.closing = false
            let written = context.eventLoop.makePromise(of: Void.self)
            written.futureResult.cascade(to: promise)
            context.writeAndFlush(data, promise: written)
            let channel = context.channel
            written.futureResult.whenComplete { _ in channel.close(promise: nil) }
        default:
            context.write(data, promise: promise)
        }
    }
}
