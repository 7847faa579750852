/// A received IRC line split into tags, source, command and parameters, for test predicates.
///
/// A deliberately small, lenient parser for lines from a real server: the IRC module has the real one, and the
/// harness must not depend on the code it tests.
package struct TestIRCMessage: Sendable, Hashable, CustomStringConvertible {
    /// The line as received, without CR LF.
    package let raw: String
    /// IRCv3 message tags with escapes undone; a tag without a value maps to "".
    package let tags: [String: String]
    /// The source (`nick!user@host` or a server name), if the line had one.
    package let source: String?
    /// The command or three-digit numeric, uppercased.
    package let command: String
    /// The parameters, the trailing one included without its colon.
    package let parameters: [String]

    /// The nick part of ``source``.
    package var sourceNick: String? {
        self.source.map { String($0.prefix { $0 != "!" && $0 != "@" }) }
    }

    /// The raw line.
    package var description: String { self.raw }

    /// Parses `raw`; anything unparsable gives an empty command rather than an error.
    package init(parsing raw: String) {
        self.raw = raw
        var rest = Substring(raw)
        var tags: [String: String] = [:]
        if rest.hasPrefix("@") {
            let tagText = rest.dropFirst().prefix { $0 != " " }
            rest = rest.dropFirst(tagText.count + 1).drop { $0 == " " }
            for tag in tagText.split(separator: ";") {
                let key = tag.prefix { $0 != "=" }
                tags[String(key)] = Self.unescapeTagValue(tag.dropFirst(key.count + 1))
            }
        }
        self.tags = tags
        if rest.hasPrefix(":") {
            let source = rest.dropFirst().prefix { $0 != " " }
            self.source = String(source)
            rest = rest.dropFirst(source.count + 1).drop { $0 == " " }
        } else {
            self.source = nil
        }
        let command = rest.prefix { $0 != " " }
        self.command = command.uppercased()
        rest = rest.dropFirst(command.count).drop { $0 == " " }
        var parameters: [String] = []
        while !rest.isEmpty {
            if rest.hasPrefix(":") {
                parameters.append(String(rest.dropFirst()))
                break
            }
            let parameter = rest.prefix { $0 != " " }
            parameters.append(String(parameter))
            rest = rest.dropFirst(parameter.count).drop { $0 == " " }
        }
        self.parameters = parameters
    }

    private static func unescapeTagValue(_ value: Substring) -> String {
        var result = ""
        var escaping = false
        for character in value {
            if escaping {
                switch character {
                case ":": result.append(";")
                case "s": result.append(" ")
                case "r": result.append("\r")
                case "n": result.append("\n")
                default: result.append(character)
                }
                escaping = false
            } else if character == "\\" {
                escaping = true
            } else {
                result.append(character)
            }
        }
        return result
    }
}
