extension IRCMessage {
    /// The line as logs may show it: every credential the protocol carries replaced by `<redacted>`.
    ///
    /// Covers the server password (`PASS`), SASL payloads (`AUTHENTICATE`, but not the mechanism name or the `+`
    /// and `*` markers), operator and gateway passwords (`OPER`, `WEBIRC`), channel keys (`JOIN`, `MODE +k`), and
    /// whatever is said to services (`PRIVMSG NickServ :IDENTIFY …`, `NS IDENTIFY …`) or to a bare login command
    /// (`IDENTIFY`, `LOGIN`, `AUTH`). A services command keeps its first word, so the log still tells what was done.
    /// Tags and the source are kept: neither carries a secret, and a received line's source is what a reader of
    /// the log needs first.
    package var redactedForLog: String {
        var redacted = self
        let hiding = { (parameters: [String], from: Int) in
            parameters.enumerated().map { $0.offset >= from ? Self.secretMarker : $0.element }
        }
        switch self.command {
        case "PASS", "IDENTIFY", "LOGIN", "AUTH":
            redacted.parameters = hiding(self.parameters, 0)
        case "WEBIRC" where !self.parameters.isEmpty:
            redacted.parameters[0] = Self.secretMarker
        case "AUTHENTICATE" where !Self.saslMarkers.contains(self.parameters.first ?? ""):
            redacted.parameters = hiding(self.parameters, 0)
        case "OPER", "JOIN":
            redacted.parameters = hiding(self.parameters, 1)
        case "MODE" where self.parameters.count > 1 && self.parameters[1].contains("k"):
            redacted.parameters = hiding(self.parameters, 2)
        case "PRIVMSG", "NOTICE", "SQUERY":
            if self.parameters.count == 2, Self.isServices(self.parameters[0]) {
                redacted.parameters[1] = Self.keepingFirstWord(self.parameters[1])
            }
        case let command where Self.servicesAliases.contains(command):
            if !self.parameters.isEmpty {
                redacted.parameters = [Self.keepingFirstWord(self.parameters.joined(separator: " "))]
            }
        default:
            break
        }
        return redacted.serialized
    }

    /// What a secret is replaced with.
    private static let secretMarker = "<redacted>"

    /// `AUTHENTICATE` parameters that are not credentials: the mechanisms we use, an empty payload, an abort.
    private static let saslMarkers: Set<String> = ["PLAIN", "EXTERNAL", "+", "*"]

    /// Commands networks alias to their services, as in `NS IDENTIFY hunter2`.
    private static let servicesAliases: Set<String> = [
        "NS", "NICKSERV", "CS", "CHANSERV", "OS", "OPERSERV", "HS", "HOSTSERV", "MS", "MEMOSERV", "BS", "BOTSERV",
    ]

    /// Whether `target` is a services bot (`NickServ`, `ChanServ@services.example`, QuakeNet's `Q@CServe…`,
    /// Undernet's `X`), whose messages may hold passwords.
    private static func isServices(_ target: String) -> Bool {
        let nick = IRCMessage.asciiUppercased(String(target.prefix { $0 != "@" && $0 != "!" }))
        return nick.hasSuffix("SERV") || nick == "Q" || nick == "X"
    }

    /// `text` with everything after its first word replaced: `IDENTIFY alice hunter2` logs as
    /// `IDENTIFY <redacted>`.
    private static func keepingFirstWord(_ text: String) -> String {
        let words = text.split(separator: " ", maxSplits: 1)
        guard let first = words.first else { return text }
        return words.count > 1 ? "\(first) \(Self.secretMarker)" : String(first)
    }
}
