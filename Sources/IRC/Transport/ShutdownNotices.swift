/// Lines the bot owes people if it quits before their answers are out: a forced shutdown (the grace period is over,
/// or a second signal came) cuts questions off, and even a graceful one gives the flood queue only so long. Without
/// them a question asked just before a restart would simply go unanswered, and nobody would know to ask again.
///
/// A notice is held while its question waits, is answered and has its answer waiting in the flood queue; it is
/// withdrawn once the answer's last line is written (or dropped for its age). Whatever is still held when the bot
/// quits, at a cut-short shutdown or when a graceful one runs out of time to drain the queue, goes out straight
/// ahead of the QUIT.
package struct ShutdownNotices: Sendable {
    /// Identifies one held notice.
    package typealias ID = UInt64

    private var held: [ID: IRCMessage] = [:]
    private var nextID: ID = 0

    package init() {}

    /// Holds `message` and returns its id for ``withdraw(_:)``.
    package mutating func hold(_ message: IRCMessage) -> ID {
        let id = self.nextID
        self.nextID += 1
        self.held[id] = message
        return id
    }

    /// Forgets the notice `id`; nothing happens if it is no longer held.
    package mutating func withdraw(_ id: ID) {
        self.held[id] = nil
    }

    /// Every distinct message held, oldest question first: what a QUIT would send, before its limit.
    package var all: [IRCMessage] {
        self.messages(limit: .max).messages
    }

    /// The messages to send, oldest question first, each distinct message once (one person with two questions in
    /// a channel is told once), at most `limit` of them: they bypass flood control just before the connection
    /// closes, and a server that cut the bot off for flooding would drop the QUIT that follows. Also returns how
    /// many distinct messages were left out.
    ///
    /// Messages `undeliverable` says the server would refuse (to a channel the bot is out of) are left out too, so
    /// they take no place from those that can arrive.
    package func messages(
        limit: Int,
        undeliverable: (IRCMessage) -> Bool = { _ in false }
    ) -> (messages: [IRCMessage], leftOut: Int) {
        let limit = max(0, limit)
        var seen: Set<IRCMessage> = []
        let distinct = self.held.sorted { $0.key < $1.key }.map(\.value).filter { seen.insert($0).inserted }
        let deliverable = distinct.filter { !undeliverable($0) }
        return (Array(deliverable.prefix(limit)), distinct.count - min(limit, deliverable.count))
    }
}
