/// What the transport must do after feeding the state machine.
package enum IRCClientAction: Sendable, Hashable {
    /// Write at once, outside flood control: registration, PONG, JOIN, QUIT — lines the server needs promptly.
    case send(IRCMessage)
    /// Write through flood control, queued fairly with replies to `target`.
    case sendThrottled(IRCMessage, target: String)
    /// Report an event to the bridge and the log.
    case event(IRCClientEvent)
    /// Close the connection (the service reconnects with backoff unless shutting down).
    case close(IRCDisconnectReason)
}
