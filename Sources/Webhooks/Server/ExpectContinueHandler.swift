import NIOCore
import NIOHTTP1

/// Answers `Expect: 100-continue` with an interim `100 Continue`, so a client that waits for one before sending its
/// body (curl for larger bodies, .NET, Java's HttpClient) sends it at once rather than after its own timeout (a
/// second for curl; some clients never send it). A request whose declared length is already over the limit gets
/// no `100`: its final 413 comes without the body being sent at all. A thin handler before Hummingbird's
/// conversion to HTTP types.
///
/// HTTP/1.0 requests are left alone: RFC 9110 § 10.1.1 says the expectation must then be ignored.
final class ExpectContinueHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias InboundOut = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    private let maxBodyBytes: Int

    init(maxBodyBytes: Int) {
        self.maxBodyBytes = maxBodyBytes
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        if case .head(let request) = self.unwrapInboundIn(data), Self.wantsContinue(request, limit: self.maxBodyBytes) {
            let interim = HTTPResponseHead(version: request.version, status: .continue)
            context.writeAndFlush(self.wrapOutboundOut(.head(interim)), promise: nil)
        }
        context.fireChannelRead(data)
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
