import HTTPTypes
import NIOCore
import NIOHTTPTypes

/// Closes a connection once the response that should end it has been written. A thin handler; it decides from one
/// request head and one response status.
///
/// - After a 413. Hummingbird otherwise keeps the connection and reads the rest of the refused body to find the
///   next request: up to its declared length (however large), or for ever when it is chunked, so `maxBodyBytes`
///   would not bound what a refused request costs.
/// - When the client asked for it with `Connection: close` in any casing (HTTP header values are case-insensitive;
///   Hummingbird only recognises the exact `close`), so a client that reads until the server closes does not hang.
final class ConnectionCloseHandler: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart
    typealias OutboundIn = HTTPResponsePart
    typealias OutboundOut = HTTPResponsePart

    private var clientAskedToClose = false
    private var closing = false

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        if case .head(let request) = self.unwrapInboundIn(data) {
            self.clientAskedToClose =
                request.headerFields[values: .connection].contains { value in
                    value.split(separator: ",").contains {
                        $0.lowercased().filter { $0 != " " && $0 != "\t" } == "close"
                    }
                }
        }
        context.fireChannelRead(data)
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        switch self.unwrapOutboundIn(data) {
        case .head(var response) where response.status == .contentTooLarge || self.clientAskedToClose:
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
