/// Lines the bot owes people if a forced shutdown (the grace period is over, or a second signal came) cuts the
/// connection before their questions are answered: without them a question asked just before a restart would
/// simply go unanswered, and nobody would know to ask again.
///
/// A notice is held while its question waits or is answered, and withdrawn once the answer has been handed to the
/// flood queue. Only a cut-short shutdown sends what is still held, straight ahead of the QUIT.
struct ShutdownNotices: Sendable {
    /// Identifies one held notice.
    typealias ID = UInt64

    private var held: [ID: String] = [:]
    private var nextID: ID = 0

    /// Holds `line` (a wire line with its CR LF) and returns its id for ``withdraw(_:)``.
    mutating func hold(_ line: String) -> ID {
        let id = self.nextID
        self.nextID += 1
        self.held[id] = line
        return id
    }

    /// Forgets the notice `id`; nothing happens if it is no longer held.
    mutating func withdraw(_ id: ID) {
        self.held[id] = nil
    }

    /// Notices held now.
    var count: Int { self.held.count }

    /// The lines to send, oldest question first, each distinct line once (one person with two questions in a
    /// channel is told once), at most `limit` of them: they bypass flood control just before the connection
    /// closes, and a server that cut the bot off for flooding would drop the QUIT that follows. Also returns how
    /// many distinct lines were left out.
    func lines(limit: Int) -> (lines: [String], leftOut: Int) {
        var seen: Set<String> = []
        let distinct = self.held.sorted { $0.key < $1.key }.map(\.value).filter { seen.insert($0).inserted }
        return (Array(distinct.prefix(max(0, limit))), max(0, distinct.count - max(0, limit)))
    }
}
