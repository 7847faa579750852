import NIOCore
import NIOTLS

/// Tells the connector when the TLS handshake is over, or why it failed. A thin handler right after the TLS
/// handler, passing everything through.
///
/// Without it the connector returned before the handshake, and a failed handshake surfaced in whichever of the
/// session's first writes and reads noticed first: often "I/O on closed channel" instead of the certificate error
/// that says what to fix.
final class TLSHandshakeWaiter: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer

    /// The handshake took longer than this and was given up.
    struct TimedOut: Error, CustomStringConvertible {
        var timeout: TimeAmount
        var description: String { "the TLS handshake took longer than \(self.timeout.nanoseconds / 1_000_000_000) s" }
    }

    private let done: EventLoopPromise<Void>
    private let timeout: TimeAmount
    private var timer: Scheduled<Void>?
    private var finished = false

    /// The handshake's outcome.
    var handshake: EventLoopFuture<Void> { self.done.futureResult }

    init(eventLoop: any EventLoop, timeout: TimeAmount) {
        self.done = eventLoop.makePromise()
        self.timeout = timeout
    }

    func handlerAdded(context: ChannelHandlerContext) {
        self.done.futureResult.whenFailure { [channel = context.channel] _ in channel.close(promise: nil) }
        if context.channel.isActive { self.startTimer(context) }
    }

    /// The handshake's time counts from the TCP connection, which the connect timeout bounds on its own.
    func channelActive(context: ChannelHandlerContext) {
        self.startTimer(context)
        context.fireChannelActive()
    }

    private func startTimer(_ context: ChannelHandlerContext) {
        guard self.timer == nil, !self.finished else { return }
        let timeout = self.timeout
        self.timer = context.eventLoop.assumeIsolated().scheduleTask(in: timeout) { [done = self.done] in
            done.fail(TimedOut(timeout: timeout))
        }
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if case .handshakeCompleted = event as? TLSUserEvent { self.finish(.success(())) }
        context.fireUserInboundEventTriggered(event)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        self.finish(.failure(error))
        context.fireErrorCaught(error)
    }

    func channelInactive(context: ChannelHandlerContext) {
        self.finish(.failure(ChannelError.ioOnClosedChannel))
        context.fireChannelInactive()
    }

    private func finish(_ result: Result<Void, any Error>) {
        guard !self.finished else { return }
        self.finished = true
        self.timer?.cancel()
        self.done.completeWith(result)
    }
}
