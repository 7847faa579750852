/// A message source split into its `nick!user@host` parts.
///
/// The bridge needs the nick to address replies and to ignore itself, and the full triple to match ignore and admin
/// masks and to size its own reply prefix. A server name (`irc.example.com`) parses as a nick with no user or host,
/// which is what the modern protocol document prescribes for clients that do not know better.
package struct IRCUserHost: Sendable, Hashable, CustomStringConvertible {
    /// The nickname (or server name); empty when the source started with `!` or `@`.
    package var nick: String
    /// The user (ident) part, `nil` when absent or empty.
    package var user: String?
    /// The host part, `nil` when absent or empty.
    package var host: String?

    /// Creates a source from its parts.
    package init(nick: String, user: String? = nil, host: String? = nil) {
        self.nick = nick
        self.user = user
        self.host = host
    }

    /// Splits `source` at the first `@` (host) and, before it, at the first `!` (user).
    package init(parsing source: String) {
        let text = source[...]
        var identity = text
        var host: Substring?
        if let at = text.utf8.firstIndex(of: UInt8(ascii: "@")) {
            identity = text[..<at]
            host = text[text.utf8.index(after: at)...]
        }
        var nick = identity
        var user: Substring?
        if let bang = identity.utf8.firstIndex(of: UInt8(ascii: "!")) {
            nick = identity[..<bang]
            user = identity[identity.utf8.index(after: bang)...]
        }
        self.init(
            nick: String(nick),
            user: user.flatMap { $0.isEmpty ? nil : String($0) },
            host: host.flatMap { $0.isEmpty ? nil : String($0) }
        )
    }

    /// The canonical `nick!user@host` form, leaving out missing parts; the string masks are matched against.
    package var description: String {
        var text = self.nick
        if let user = self.user {
            text += "!\(user)"
        }
        if let host = self.host {
            text += "@\(host)"
        }
        return text
    }
}
