extension IRCMessage {
    /// Decodes an IRCv3 tag value as the message-tags specification prescribes.
    ///
    /// `\:` → `;`, `\s` → space, `\\` → `\`, `\r` → CR, `\n` → LF; any other escaped character stands for itself
    /// and a lone trailing backslash is dropped, so a sloppy server's value still arrives rather than failing the line.
    static func unescapeTagValue(_ raw: Substring) -> String {
        guard raw.contains("\\") else {
            return String(raw)
        }
        var result = ""
        result.reserveCapacity(raw.utf8.count)
        var escaping = false
        for character in raw.unicodeScalars {
            if escaping {
                escaping = false
                switch character {
                case ":": result.unicodeScalars.append(";")
                case "s": result.unicodeScalars.append(" ")
                case "r": result.unicodeScalars.append("\r")
                case "n": result.unicodeScalars.append("\n")
                default: result.unicodeScalars.append(character)
                }
            } else if character == "\\" {
                escaping = true
            } else {
                result.unicodeScalars.append(character)
            }
        }
        return result
    }

    /// Encodes a tag value so it survives the wire: the inverse of ``unescapeTagValue(_:)``.
    static func escapeTagValue(_ value: String) -> String {
        var result = ""
        result.reserveCapacity(value.utf8.count)
        for character in value.unicodeScalars {
            switch character {
            case ";": result += "\\:"
            case " ": result += "\\s"
            case "\\": result += "\\\\"
            case "\r": result += "\\r"
            case "\n": result += "\\n"
            default: result.unicodeScalars.append(character)
            }
        }
        return result
    }
}
