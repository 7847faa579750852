extension IRCMessage {
    /// Decodes the UTF-8 of an IRCv3 tag value as the message-tags specification prescribes.
    ///
    /// `\:` → `;`, `\s` → space, `\\` → `\`, `\r` → CR, `\n` → LF; any other escaped character stands for itself
    /// and a lone trailing backslash is dropped, so a sloppy server's value still arrives rather than failing the line.
    /// Escapes are ASCII, so working on bytes gives the same text as working on scalars: a backslash before a
    /// multibyte character only drops the backslash.
    static func unescapeTagValue(_ raw: UnsafeBufferPointer<UInt8>) -> String {
        guard raw.contains(UInt8(ascii: "\\")) else {
            return String(decoding: raw, as: UTF8.self)
        }
        return String(unsafeUninitializedCapacity: raw.count) { output in
            var count = 0
            var escaping = false
            for byte in raw {
                var decoded = byte
                if escaping {
                    escaping = false
                    switch byte {
                    case UInt8(ascii: ":"): decoded = UInt8(ascii: ";")
                    case UInt8(ascii: "s"): decoded = UInt8(ascii: " ")
                    case UInt8(ascii: "r"): decoded = UInt8(ascii: "\r")
                    case UInt8(ascii: "n"): decoded = UInt8(ascii: "\n")
                    default: break
                    }
                } else if byte == UInt8(ascii: "\\") {
                    escaping = true
                    continue
                }
                output[count] = decoded
                count += 1
            }
            return count
        }
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
