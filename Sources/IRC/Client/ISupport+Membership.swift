extension ISupport {
    /// Splits a NAMES entry such as `@+alice` into its prefix modes (`o`, `v`) and the nick.
    func splitPrefixes(_ entry: String) -> (modes: Set<Character>, nick: String) {
        let prefixes = self.prefixModes
        var modes: Set<Character> = []
        var rest = Substring(entry)
        while let first = rest.first, let prefix = prefixes.first(where: { $0.symbol == first }) {
            modes.insert(prefix.mode)
            rest = rest.dropFirst()
        }
        // With userhost-in-names the entry is nick!user@host; only the nick matters here.
        let nick = rest.split(separator: "!", maxSplits: 1).first.map(String.init) ?? String(rest)
        return (modes, nick)
    }

    /// Whether `mode` is channel operator or above (`o` and the modes listed before it in `PREFIX`).
    func isOperatorMode(_ mode: Character) -> Bool {
        let modes = self.prefixModes.map(\.mode)
        guard let index = modes.firstIndex(of: mode) else { return false }
        let operatorIndex = modes.firstIndex(of: "o") ?? 0
        return index <= operatorIndex
    }

    /// A prefix mode set or unset on a member by a channel `MODE`.
    struct PrefixModeChange: Sendable, Hashable {
        var mode: Character
        var adding: Bool
        var nick: String
    }

    /// The prefix-mode changes in a channel `MODE` (`+ov-v alice bob carol`), skipping other modes but
    /// consuming their parameters according to `CHANMODES`, so parameters stay paired with the right mode.
    func prefixModeChanges(_ parameters: [String]) -> [PrefixModeChange] {
        guard let modeString = parameters.first else { return [] }
        var arguments = parameters.dropFirst().makeIterator()
        let prefixModes = Set(self.prefixModes.map(\.mode))
        let groups = (self.values["CHANMODES"] ?? "beI,k,l,imnpst").split(
            separator: ",",
            omittingEmptySubsequences: false
        )
        let alwaysArgument = Set((groups.first ?? "") + (groups.count > 1 ? groups[1] : ""))
        let argumentWhenSet = Set(groups.count > 2 ? groups[2] : "")
        var adding = true
        var changes: [PrefixModeChange] = []
        for character in modeString {
            switch character {
            case "+": adding = true
            case "-": adding = false
            case _ where prefixModes.contains(character):
                if let nick = arguments.next() {
                    changes.append(PrefixModeChange(mode: character, adding: adding, nick: nick))
                }
            case _ where alwaysArgument.contains(character):
                _ = arguments.next()
            case _ where argumentWhenSet.contains(character) && adding:
                _ = arguments.next()
            default:
                break
            }
        }
        return changes
    }
}
