/// What the bridge needs from one IRC network: its events, a view of the session, and ways to send.
///
/// ``IRCNetworkService`` is the real implementation; tests of the bridge's routing use a fake that records what
/// would have been sent, so routing rules are tested without a server.
package protocol IRCNetworkConnection: Sendable {
    /// Events from the network; ends when the connection service stops.
    var events: AsyncStream<IRCClientEvent> { get }
    /// The current session (nick, ISUPPORT, capabilities).
    var snapshot: IRCNetworkService.Snapshot { get }
    /// Queues messages for `target` through flood control, all or none; `false` when the queue is full. The held
    /// shutdown notice `settling` is withdrawn once the last of them has been written, or dropped as expired; at
    /// once when nothing was queued. Until then a QUIT still sends it ahead of itself, because the answer is not out.
    @discardableResult
    func enqueue(
        _ messages: [IRCMessage],
        target: String,
        expiresAt: ContinuousClock.Instant,
        settling notice: ShutdownNotices.ID?
    ) -> Bool
    /// Sends a best-effort line (typing indicators) at once if flood control has a token to spare with nothing
    /// queued, else drops it: it never waits in the queue, so it never delays a reply.
    func sendIfSpare(_ message: IRCMessage) async
    /// Holds `message` (one line owed to someone whose question is not answered yet), to be sent only if the bot
    /// quits before the answer is out; returns the id to withdraw it with, or to settle it by an answer's lines.
    func holdShutdownNotice(_ message: IRCMessage) -> ShutdownNotices.ID
    /// Withdraws a held notice whose question will not be answered (refused as busy).
    func withdrawShutdownNotice(_ id: ShutdownNotices.ID)
}

extension IRCNetworkConnection {
    /// Queues messages that settle no shutdown notice (refusals, protocol replies).
    @discardableResult
    package func enqueue(_ messages: [IRCMessage], target: String, expiresAt: ContinuousClock.Instant) -> Bool {
        self.enqueue(messages, target: target, expiresAt: expiresAt, settling: nil)
    }
}

extension IRCNetworkService: IRCNetworkConnection {}
