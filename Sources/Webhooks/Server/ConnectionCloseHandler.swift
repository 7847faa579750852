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
/// It bounds how long a request's body may take: `bodyTimeout` from its head. The idle timeout starts again with
/// every byte, so a client sending a body a byte every few seconds held its connection for as long as it liked,
/// and a thousand such clients, none of them signed, held every connection the server allows. A late request
/// gets `408` (unless its response has begun) and its connection is closed.
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
    private let bodyTimeout: TimeAmount
    private var keepAlive = true
    private var closing = false
    /// When the request being read began (its head was read); `nil` between requests.
    private var requestStart: NIODeadline?
    /// The version of the request being read, for a `408`.
    private var requestVersion = HTTPVersion.http1_1
    /// Whether the response to the request being read has begun, so a `408` cannot be written into it.
    private var responding = false
    /// Fires when the request being read is late; armed only when a read ends with the request unfinished, which
    /// an ordinary request (head and body in one read) never does.
    private var deadline: Scheduled<Void>?

    init(maxBodyBytes: Int, bodyTimeout: TimeAmount) {
        self.maxBodyBytes = maxBodyBytes
        self.bodyTimeout = bodyTimeout
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch self.unwrapInboundIn(data) {
        case .head(let request):
            self.keepAlive = request.isKeepAlive
            self.requestStart = .now()
            self.requestVersion = request.version
            self.responding = false
            if Self.wantsContinue(request, limit: self.maxBodyBytes) {
                let interim = HTTPResponseHead(version: request.version, status: .continue)
                context.writeAndFlush(self.wrapOutboundOut(.head(interim)), promise: nil)
            }
        case .end:
            self.requestStart = nil
            self.deadline?.cancel()
            self.deadline = nil
        case .body:
            break
        }
        context.fireChannelRead(data)
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        if let start = self.requestStart, self.deadline == nil {
            self.deadline = context.eventLoop.assumeIsolated().scheduleTask(deadline: start + self.bodyTimeout) {
                self.requestIsLate(context: context)
            }
        }
        context.fireChannelReadComplete()
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        self.deadline?.cancel()
        self.deadline = nil
    }

    /// Answers the late request `408` (when its response has not begun) and closes the connection.
    private func requestIsLate(context: ChannelHandlerContext) {
        self.deadline = nil
        guard self.requestStart != nil else { return }
        self.requestStart = nil
        guard !self.responding else {
            context.close(promise: nil)
            return
        }
        self.responding = true
        let body = ByteBuffer(
            string: #"{"error":"the request body did not arrive in time","code":"request_timeout"}"#
        )
        var head = HTTPResponseHead(version: self.requestVersion, status: .requestTimeout)
        head.headers.add(name: "content-type", value: "application/json")
        head.headers.add(name: "content-length", value: "\(body.readableBytes)")
        head.headers.add(name: "connection", value: "close")
        context.write(self.wrapOutboundOut(.head(head)), promise: nil)
        context.write(self.wrapOutboundOut(.body(.byteBuffer(body))), promise: nil)
        context.writeAndFlush(self.wrapOutboundOut(.end(nil))).assumeIsolated().whenComplete { _ in
            context.close(promise: nil)
        }
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        switch self.unwrapOutboundIn(data) {
        case .head(var response) where response.status.code >= 200:
            self.responding = true
            guard response.status == .payloadTooLarge || !self.keepAlive else {
                context.write(data, promise: promise)
                return
            }
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
