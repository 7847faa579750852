extension StringFormat where Value == String {
    /// A network's name: it labels logs and metrics and keys stored conversations, so it stays plain.
    static var networkName: Self {
        Self { (text) throws(ConfigViolation) in
            guard !text.isEmpty,
                text.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") })
            else {
                throw ConfigViolation("\(text.quoted) may only contain letters, digits, - and _")
            }
            return text
        }
    }

    /// A nickname servers accept: a letter or one of ``[]\`_^{|}``, then those, digits and `-`; at most 30.
    static var ircNick: Self {
        Self { (text) throws(ConfigViolation) in
            guard let first = text.first, !text.contains(where: { !$0.isNickCharacter }), !first.isNumber, first != "-"
            else {
                throw ConfigViolation(
                    "\(text.quoted) is not a valid nick",
                    hint: "start with a letter or one of []\\`_^{|}, then letters, digits, - or those symbols"
                )
            }
            guard text.count <= 30 else { throw ConfigViolation("\(text.quoted) is longer than 30 characters") }
            return text
        }
    }

    /// The user name sent with `USER`: one word without `@`, since servers build `nick!user@host` from it.
    static var ircUsername: Self {
        Self { (text) throws(ConfigViolation) in
            guard !text.isEmpty, !text.contains(where: { $0.isWhitespace || $0 == "@" || $0.isControl }) else {
                throw ConfigViolation("\(text.quoted) must be one word without spaces or @")
            }
            return text
        }
    }

    /// Free text that goes on an IRC line (real name, quit message); a line break would end the command.
    static var ircText: Self {
        Self { (text) throws(ConfigViolation) in
            guard !text.isEmpty else { throw ConfigViolation("must not be empty") }
            guard !text.contains(where: \.isControl) else {
                throw ConfigViolation("must not contain line breaks or control characters")
            }
            return text
        }
    }

    /// A channel name as servers accept it in `JOIN`.
    static var ircChannel: Self {
        Self { (text) throws(ConfigViolation) in
            guard text.hasPrefix("#") || text.hasPrefix("&") else {
                throw ConfigViolation("\(text.quoted) must start with # or &")
            }
            guard text.count > 1 else { throw ConfigViolation("\(text.quoted) needs a name after the prefix") }
            guard !text.contains(where: { $0 == " " || $0 == "," || $0.isControl }) else {
                throw ConfigViolation("\(text.quoted) must not contain spaces, commas or control characters")
            }
            guard text.count <= 50 else { throw ConfigViolation("\(text.quoted) is longer than 50 characters") }
            return text
        }
    }

    /// A `nick!user@host` mask for admins and ignored users.
    static var ircMask: Self {
        Self { (text) throws(ConfigViolation) in
            let nickAndRest = text.split(separator: "!", maxSplits: 1, omittingEmptySubsequences: false)
            let userAndHost = nickAndRest.last?.split(separator: "@", maxSplits: 1, omittingEmptySubsequences: false)
            guard nickAndRest.count == 2, let userAndHost, userAndHost.count == 2,
                !nickAndRest[0].isEmpty, !userAndHost[0].isEmpty, !userAndHost[1].isEmpty,
                !text.contains(where: { $0.isWhitespace || $0.isControl })
            else {
                throw ConfigViolation(
                    "\(text.quoted) is not a nick!user@host mask",
                    hint: "* and ? are wildcards, e.g. alice!*@*.example.org"
                )
            }
            return text
        }
    }
}

extension SecretFormat {
    /// A channel key: sent in `JOIN #chan key`, so a space or comma would split it.
    static var ircChannelKey: SecretFormat {
        SecretFormat { (value) throws(ConfigViolation) in
            guard !value.isEmpty, !value.contains(where: { $0 == " " || $0 == "," || $0.isControl }) else {
                throw ConfigViolation("must be non-empty without spaces, commas or control characters")
            }
        }
    }
}

extension Character {
    /// Letters, digits, `-` and the RFC 2812 "special" characters.
    fileprivate var isNickCharacter: Bool {
        guard isASCII else { return false }
        return isLetter || isNumber || "-[]\\`_^{|}".contains(self)
    }

    /// C0 controls and DEL, which never belong in a value sent on an IRC line.
    var isControl: Bool {
        unicodeScalars.contains { $0.value < 0x20 || $0.value == 0x7F }
    }
}
