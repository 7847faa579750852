extension ISupport {
    /// One channel membership prefix from `PREFIX`: the mode letter (`o`) and the symbol shown in NAMES (`@`).
    package struct PrefixMode: Sendable, Hashable {
        /// The channel mode letter that grants the status.
        package var mode: Character
        /// The symbol servers put before the nick in NAMES and WHO replies.
        package var symbol: Character

        /// Creates a prefix mode.
        package init(mode: Character, symbol: Character) {
            self.mode = mode
            self.symbol = symbol
        }
    }

    /// The server's nick/channel comparison rule; `rfc1459` when unset or unknown, which is the documented
    /// default and the rule that treats the most names as equal (the safe side for "is this me?").
    package var caseMapping: CaseMapping {
        self["CASEMAPPING"].flatMap(CaseMapping.init(isupportValue:)) ?? .rfc1459
    }

    /// The network's name (`NETWORK`), for logs and status replies.
    package var network: String? {
        self["NETWORK"].flatMap { $0.isEmpty ? nil : $0 }
    }

    /// The longest nick the server accepts (`NICKLEN`), `nil` when not advertised.
    package var nickLength: Int? {
        self.integer("NICKLEN")
    }

    /// The longest channel name the server accepts (`CHANNELLEN`), `nil` when not advertised.
    package var channelLength: Int? {
        self.integer("CHANNELLEN")
    }

    /// The characters that start a channel name (`CHANTYPES`), `#&` when not advertised.
    package var channelTypes: [Character] {
        Array(self["CHANTYPES"] ?? "#&")
    }

    /// Whether `target` names a channel rather than a nick, which decides between channel and private-query rules.
    package func isChannel(_ target: String) -> Bool {
        target.first.map(self.channelTypes.contains) ?? false
    }

    /// Membership prefixes from highest to lowest (`PREFIX=(ov)@+`), `(ov)@+` when not advertised and none when
    /// advertised empty or malformed.
    package var prefixModes: [PrefixMode] {
        guard let value = self["PREFIX"] else {
            return [PrefixMode(mode: "o", symbol: "@"), PrefixMode(mode: "v", symbol: "+")]
        }
        guard value.first == "(", let close = value.firstIndex(of: ")") else {
            return []
        }
        let modes = value[value.index(after: value.startIndex)..<close]
        let symbols = value[value.index(after: close)...]
        guard modes.count == symbols.count else {
            return []
        }
        return zip(modes, symbols).map { PrefixMode(mode: $0, symbol: $1) }
    }

    /// The prefixes that may go before a channel name to address only members with that status (`STATUSMSG`).
    package var statusMessage: [Character] {
        Array(self["STATUSMSG"] ?? "")
    }

    /// Whether `target` is a channel behind `STATUSMSG` prefixes (`@#chan`): a message only the members with that
    /// status see, so neither the whole channel nor a private query. Only the prefixes the server advertised count
    /// (none when it advertised none), and a real channel name is never one, even if its type character is also a
    /// status prefix.
    package func isStatusMessage(_ target: String) -> Bool {
        let prefixes = self.statusMessage
        var rest = Substring(target)
        while !self.isChannel(String(rest)) {
            guard let first = rest.first, prefixes.contains(first) else { return false }
            rest = rest.dropFirst()
        }
        return rest.startIndex != target.startIndex
    }

    /// The user mode that marks a bot (`BOT=B`), which the bridge sets on itself when the server offers one.
    package var botMode: Character? {
        self["BOT"].flatMap(\.first)
    }

    /// The longest line the server accepts including CR LF (`LINELEN`), 512 when not advertised.
    package var lineLength: Int {
        self.integer("LINELEN") ?? 512
    }

    /// The most targets one `command` may name (`TARGMAX=PRIVMSG:4,JOIN:`); `nil` when the server gives no number
    /// for it (no limit, or not advertised), so callers wanting certainty send one target per message.
    package func targetMaximum(for command: String) -> Int? {
        guard let value = self["TARGMAX"] else {
            return nil
        }
        let wanted = IRCMessage.asciiUppercased(command)
        for entry in value.split(separator: ",") {
            let parts = entry.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
            if IRCMessage.asciiUppercased(String(parts[0])) == wanted {
                return parts.count == 2 ? Int(parts[1]) : nil
            }
        }
        return nil
    }

    /// The client-only tags the server refuses (`CLIENTTAGDENY=*,-typing`), as advertised.
    package var clientTagDeny: [String] {
        (self["CLIENTTAGDENY"] ?? "").split(separator: ",").map(String.init)
    }

    /// Whether the server lets clients send the client-only tag `name` (with or without its `+`): `*` denies all,
    /// `-name` exempts one from that, and a bare name denies just that one.
    package func allowsClientTag(_ name: String) -> Bool {
        let bare = name.hasPrefix("+") ? String(name.dropFirst()) : name
        var denyAll = false
        var exempt = false
        var denied = false
        for entry in self.clientTagDeny {
            if entry == "*" {
                denyAll = true
            } else if entry == "-\(bare)" {
                exempt = true
            } else if entry == bare {
                denied = true
            }
        }
        return denyAll ? exempt : !denied
    }

    /// A non-negative integer token, `nil` when missing or not a number.
    private func integer(_ key: String) -> Int? {
        self[key].flatMap { Int($0) }.flatMap { $0 >= 0 ? $0 : nil }
    }
}
