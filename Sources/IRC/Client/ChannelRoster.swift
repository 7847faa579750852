/// Who is in each channel the bot is in, with their prefix modes (`o`, `v`, …), so settings commands can be
/// limited to channel operators without asking the server. Names are already case-folded by the caller.
///
/// The roster is filled from what the server says, so it is bounded: endless `353` (NAMES) replies or JOINs could
/// otherwise grow it without limit. Past ``maximumMembers`` or ``maximumChannels`` new entries are ignored; such a
/// member only counts as an operator once a place is free again, so at worst a settings command is refused.
package struct ChannelRoster: Sendable, Hashable {
    /// The most members kept, across all channels: several times the largest channels of the big networks, and
    /// some tens of megabytes at most.
    package static let maximumMembers = 100_000
    /// The most channels kept: far more than any server lets one client join (`CHANLIMIT`).
    package static let maximumChannels = 1_000

    private var members: [String: [String: Set<Character>]] = [:]
    /// The number of members across all channels, kept in step with `members` so the cap costs nothing to check.
    private var memberCount = 0

    /// Creates an empty roster.
    package init() {}

    /// The bot joined `channel`.
    mutating func join(channel: String) {
        guard self.members[channel] == nil, self.members.count < Self.maximumChannels else { return }
        self.members[channel] = [:]
    }

    /// The bot left `channel`: forget its members.
    mutating func part(channel: String) {
        self.memberCount -= self.members.removeValue(forKey: channel)?.count ?? 0
    }

    /// `nick` is in `channel` with `modes` (from NAMES or JOIN).
    mutating func add(_ nick: String, modes: Set<Character>, to channel: String) {
        // Looked up in place: a copy of the channel's members would make every change copy them all.
        guard self.members[channel] != nil else { return }
        if self.members[channel]?[nick] == nil {
            guard self.memberCount < Self.maximumMembers else { return }
            self.memberCount += 1
        }
        self.members[channel]?[nick, default: []].formUnion(modes)
    }

    /// `nick` left `channel`.
    mutating func remove(_ nick: String, from channel: String) {
        if self.members[channel]?.removeValue(forKey: nick) != nil {
            self.memberCount -= 1
        }
    }

    /// `nick` quit the network.
    mutating func removeEverywhere(_ nick: String) {
        for channel in self.members.keys {
            self.remove(nick, from: channel)
        }
    }

    /// `old` is now `new`.
    mutating func rename(_ old: String, to new: String) {
        for channel in self.members.keys {
            if let modes = self.members[channel]?.removeValue(forKey: old) {
                if self.members[channel]?.updateValue(modes, forKey: new) != nil {
                    self.memberCount -= 1
                }
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
