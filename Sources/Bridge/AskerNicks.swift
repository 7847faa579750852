import IRC

/// Where the askers of the questions being answered are now, by each question's held shutdown notice.
///
/// IRC nicks change hands: someone who asks in a query and then changes nick would otherwise have their private
/// answer written to whoever takes the old nick next. Renames and quits are seen only where the bot shares a channel
/// with the asker, which is where a stranger could take the nick within the answer's time.
struct AskerNicks {
    /// Where a question's asker is.
    enum Asker: Equatable {
        /// Still on the network under this nick.
        case present(String)
        /// Left the network: a private answer has nobody to go to.
        case quit
    }

    private var askers: [ShutdownNotices.ID: Asker] = [:]

    /// `nick` asked the question whose held notice is `id`.
    mutating func asked(_ id: ShutdownNotices.ID, nick: String) {
        self.askers[id] = .present(nick)
    }

    /// `old` is now `new`.
    mutating func renamed(from old: String, to new: String, caseMapping: CaseMapping) {
        for (id, asker) in self.askers {
            if case .present(let nick) = asker, caseMapping.equal(nick, old) { self.askers[id] = .present(new) }
        }
    }

    /// `nick` left the network.
    mutating func quit(_ nick: String, caseMapping: CaseMapping) {
        for (id, asker) in self.askers {
            if case .present(let current) = asker, caseMapping.equal(current, nick) { self.askers[id] = .quit }
        }
    }

    /// Where the asker of question `id` is, now that its answer goes out; forgets the question.
    mutating func answering(_ id: ShutdownNotices.ID) -> Asker? {
        self.askers.removeValue(forKey: id)
    }
}
