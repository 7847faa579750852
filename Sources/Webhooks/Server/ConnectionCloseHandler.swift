import NIOCore
import NIOHTTP1

/// The connection rules that need the request's HTTP version, which Hummingbird's conversion to HTTP types drops:
/// one thin handler before that conversion, deciding from one request head and one response status (one rather
/// than two, because every request and response part crossing a handler is unwrapped from `NIOAny` again).
///
/// It closes the connection once the response that should end it has been written:
/// - after a 413. Hummingbird otherwise keeps the connection and reads the rest of the refused body to find the
///   next request: up to its declared length (however large), or for ever when it is chunked, so `maxBodyBytes`
///   would not bound what a refused request costs;
/// - when the request does not keep the connection alive: `Connection: close` in any casing (header values are
///   case-insensitive; Hummingbird only recognises the exact `close`), or HTTP/1.0 without `keep-alive`. A client
///   that reads until the server closes would otherwise hang until the idle timeout.
///
/// And it answers `Expect: 100-continue` with an interim `100 Continue`, so a client that waits for one before
/// sending its body (curl for larger bodies, .NET, Java's HttpClient) sends it at once rather than after its own
/// timeout (a second for curl; some clients never send it). A request whose declared length is already over the
/// limit gets no `100`: its final 413 comes without the body being sent at all. HTTP/1.0 requests are left alone:
/// RFC 9110 § 10.1.1 says the expectation must then be ignored.
final class ConnectionCloseHandler: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias InboundOut = HTTPServerRequestPart
    typealias OutboundIn = HTTPServerResponsePart
    typealias OutboundOut = HTTPServerResponsePart

    private let maxBodyBytes: Int
    private var keepAlive = true
    private var closing = false

    init(maxBodyBytes: Int) {
        self.maxBodyBytes = maxBodyBytes
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        if case .head(let request) = self.unwrapInboundIn(data) {
            self.keepAlive = request.isKeepAlive
            if Self.wantsContinue(request, limit: self.maxBodyBytes) {
                let interim = HTTPResponseHead(version: request.version, status: .continue)
                context.writeAndFlush(self.wrapOutboundOut(.head(interim)), promise: nil)
            }
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

    /// Whether `request` waits for a `100 Continue` that should be sent. The header is looked for by name first:
    /// this runs for every request, and nearly none has one.
    static func wantsContinue(_ request: HTTPRequestHead, limit: Int) -> Bool {
        guard request.headers.contains(name: "expect"), request.version != .http1_0,
            request.headers[canonicalForm: "expect"].contains(where: {
                $0.utf8.elementsEqual("100-continue".utf8, by: { Self.lowercased($0) == $1 })
            })
        else { return false }
        let declared = request.headers.first(name: "content-length").flatMap { Int($0) }
        return declared.map { $0 <= limit } ?? true
    }

    private static func lowercased(_ byte: UInt8) -> UInt8 {
        (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte) ? byte + 32 : byte
    }
}
