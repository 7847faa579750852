import NIOCore
import NIOHTTP1

/// Closes a connection once the response that should end it has been written. A thin handler; it decides from one
/// request head and one response status. It sits before Hummingbird's conversion to HTTP types, which drops the
/// request's HTTP version.
///
/// - After a 413. Hummingbird otherwise keeps the connection and reads the rest of the refused body to find the
///   next request: up to its declared length (however large), or for ever when it is chunked, so `maxBodyBytes`
///   would not bound what a refused request costs.
/// - When the request does not keep the connection alive: `Connection: close` in any casing (header values are
///   case-insensitive; Hummingbird only recognises the exact `close`), or HTTP/1.0 without `keep-alive`. A client
///   that reads until the server closes would otherwise hang until the idle timeout.
final class ConnectionCloseHandler: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias InboundOut = HTTPServerRequestPart
    typealias OutboundIn = HTTPServerResponsePart
    typealias OutboundOut = HTTPServerResponsePart

    private var keepAlive = true
    private var closing = false

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        if case .head(let request) = self.unwrapInboundIn(data) {
            self.keepAlive = request.isKeepAlive
        }
        context.fireChannelRead(data)
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        switch self.unwrapOutboundIn(data) {
        case .head(var response)
        where response.status.code >= 200 && (response.status == .payloadTooLarge || !self.keepAlive):
            self.closing = true
            response.headers.replaceOrAdd(name: "connection", value: "close")
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
