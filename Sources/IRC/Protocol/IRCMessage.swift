/// One IRC protocol message, as received from or sent to a server.
///
/// A plain value with no I/O so the connection state machine, the bridge and the tests all speak in messages rather
/// than strings; parsing lives in `IRCMessage+Parsing.swift`, writing in `IRCMessage+Serialization.swift`.
package struct IRCMessage: Sendable, Hashable {
    /// IRCv3 message tags, unescaped; a tag sent without a value maps to `""`.
    ///
    /// A dictionary because the spec gives tag order no meaning and repeated keys resolve to the last value.
    package var tags: [String: String]
    /// Who sent the message (`nick!user@host` or a server name), without the leading `:`; `nil` when absent.
    package var source: String?
    /// The command, ASCII-uppercased so callers can compare against `"PRIVMSG"` without caring how the peer spelled
    /// it, or a three-digit numeric reply such as `"005"`.
    package var command: String
    /// The parameters, the trailing one included, without the `:` that introduced it on the wire.
    package var parameters: [String]

    /// Creates a message to send, e.g. `IRCMessage(command: "PRIVMSG", parameters: ["#chan", "hi"])`.
    ///
    /// The command is uppercased like a parsed one so a built message equals the same message parsed back.
    package init(tags: [String: String] = [:], source: String? = nil, command: String, parameters: [String] = []) {
        self.tags = tags
        self.source = source
        self.command = Self.asciiUppercased(command)
        self.parameters = parameters
    }

    /// The sender split into nick, user and host, or `nil` for a message without a source.
    package var userHost: IRCUserHost? {
        self.source.map { IRCUserHost(parsing: $0) }
    }

    /// Uppercases ASCII letters only: IRC commands are ASCII, and Unicode case rules (`ß` → `SS`) must not turn an
    /// invalid command into a different valid one.
    static func asciiUppercased(_ text: String) -> String {
        guard text.utf8.contains(where: { $0 >= UInt8(ascii: "a") && $0 <= UInt8(ascii: "z") }) else {
            return text
        }
        let bytes = text.utf8.map { byte in
            byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z") ? byte - 0x20 : byte
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
