/// What the bridge needs from one IRC network: its events, a view of the session, and ways to send.
///
/// ``IRCNetworkService`` is the real implementation; tests of the bridge's routing use a fake that records what
/// would have been sent, so routing rules are tested without a server.
package protocol IRCNetworkConnection: Sendable {
    /// Events from the network; ends when the connection service stops.
    var events: AsyncStream<IRCClientEvent> { get }
    /// The current session (nick, ISUPPORT, capabilities).
    var snapshot: IRCNetworkService.Snapshot { get }
    /// Queues messages for `target` through flood control; `false` when the queue is full.
    @discardableResult
    func enqueue(_ messages: [IRCMessage], target: String, expiresAt: ContinuousClock.Instant) -> Bool
    /// Sends a rare, self-limited line (typing indicators) at once, outside flood control.
    func sendNow(_ message: IRCMessage) async
    /// Holds `message` (one line owed to someone whose question is not answered yet), to be sent only if a forced
    /// shutdown cuts the connection first; returns the id to withdraw it with.
    func holdShutdownNotice(_ message: IRCMessage) -> UInt64
    /// Withdraws a held notice once its question has been answered.
    func withdrawShutdownNotice(_ id: UInt64)
}

extension IRCNetworkService: IRCNetworkConnection {}
