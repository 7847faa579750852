/// Who is in each channel the bot is in, with their prefix modes (`o`, `v`, …), so settings commands can be
/// limited to channel operators without asking the server. Names are already case-folded by the caller.
package struct ChannelRoster: Sendable, Hashable {
    private var members: [String: [String: Set<Character>]] = [:]

    /// Creates an empty roster.
    package init() {}

    /// The bot joined `channel`.
    mutating func join(channel: String) {
        self.members[channel] = self.members[channel] ?? [:]
    }

    /// The bot left `channel`: forget its members.
    mutating func part(channel: String) {
        self.members[channel] = nil
    }

    /// `nick` is in `channel` with `modes` (from NAMES or JOIN).
    mutating func add(_ nick: String, modes: Set<Character>, to channel: String) {
        guard self.members[channel] != nil else { return }
        self.members[channel]?[nick, default: []].formUnion(modes)
    }

    /// `nick` left `channel`.
    mutating func remove(_ nick: String, from channel: String) {
        self.members[channel]?[nick] = nil
    }

    /// `nick` quit the network.
    mutating func removeEverywhere(_ nick: String) {
        for channel in self.members.keys {
            self.members[channel]?[nick] = nil
        }
    }

    /// `old` is now `new`.
    mutating func rename(_ old: String, to new: String) {
        for channel in self.members.keys {
            if let modes = self.members[channel]?.removeValue(forKey: old) {
                self.members[channel]?[new] = modes
            }
        }
    }

    /// A prefix mode was set or unset.
    mutating func setMode(_ mode: Character, on adding: Bool, for nick: String, in channel: String) {
        guard self.members[channel]?[nick] != nil else { return }
        if adding {
            self.members[channel]?[nick]?.insert(mode)
        } else {
            self.members[channel]?[nick]?.remove(mode)
        }
    }

    /// `nick`'s prefix modes in `channel` (empty if unknown).
    package func modes(of nick: String, in channel: String) -> Set<Character> {
        self.members[channel]?[nick] ?? []
    }

    /// How many members the bot knows of in `channel`.
    package func count(in channel: String) -> Int {
        self.members[channel]?.count ?? 0
    }
}
