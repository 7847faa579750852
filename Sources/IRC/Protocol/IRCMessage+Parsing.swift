extension IRCMessage {
    /// Parses one line as received from the server, without its CR LF.
    ///
    /// Follows the modern client protocol (modern.ircdocs.horse) and IRCv3 message-tags: runs of spaces between
    /// parameters are tolerated, the parameter after ` :` takes the rest of the line, and tag values are unescaped.
    /// Work happens on UTF-8 bytes so a space followed by a combining mark still separates parameters.
    /// - Throws: ``IRCParseError`` for an empty line, NUL/CR/LF in the line, or no (valid) command.
    package init(parsing line: String) throws(IRCParseError) {
        if line.utf8.contains(where: { $0 == 0x00 || $0 == 0x0D || $0 == 0x0A }) {
            throw IRCParseError(code: .forbiddenCharacter, line: line)
        }
        var rest = Self.droppingSpaces(line[...])
        guard let first = rest.utf8.first else {
            throw IRCParseError(code: .emptyLine, line: line)
        }
        var tags: [String: String] = [:]
        if first == UInt8(ascii: "@") {
            let (word, remainder) = Self.splitWord(rest)
            tags = Self.parseTags(Self.droppingFirstByte(word))
            rest = Self.droppingSpaces(remainder)
        }
        var source: String?
        if rest.utf8.first == UInt8(ascii: ":") {
            let (word, remainder) = Self.splitWord(rest)
            guard word.utf8.count > 1 else {
                throw IRCParseError(code: .invalidSource, line: line)
            }
            source = String(Self.droppingFirstByte(word))
            rest = Self.droppingSpaces(remainder)
        }
        let (command, remainder) = Self.splitWord(rest)
        guard !command.isEmpty else {
            throw IRCParseError(code: .missingCommand, line: line)
        }
        guard Self.isValidCommand(command) else {
            throw IRCParseError(code: .invalidCommand, line: line)
        }
        self.init(
            tags: tags,
            source: source,
            command: String(command),
            parameters: Self.parseParameters(remainder)
        )
    }

    /// Splits the parameter part, honouring the trailing parameter and tolerating repeated spaces.
    private static func parseParameters(_ text: Substring) -> [String] {
        var parameters: [String] = []
        var rest = Self.droppingSpaces(text)
        while let first = rest.utf8.first {
            if first == UInt8(ascii: ":") {
                parameters.append(String(Self.droppingFirstByte(rest)))
                break
            }
            let (word, remainder) = Self.splitWord(rest)
            parameters.append(String(word))
            rest = Self.droppingSpaces(remainder)
        }
        return parameters
    }

    /// Splits the tag section (without its `@`) into unescaped key/value pairs; a repeated key keeps its last value.
    private static func parseTags(_ text: Substring) -> [String: String] {
        var tags: [String: String] = [:]
        for item in text.unicodeScalars.split(separator: ";") {
            let tag = Substring(item)
            if let equals = tag.utf8.firstIndex(of: UInt8(ascii: "=")) {
                let key = tag[..<equals]
                guard !key.isEmpty else { continue }
                tags[String(key)] = Self.unescapeTagValue(tag[tag.utf8.index(after: equals)...])
            } else {
                tags[String(tag)] = ""
            }
        }
        return tags
    }

    /// A command is letters only or exactly three digits; anything else is a garbled line, not a new command.
    static func isValidCommand(_ command: Substring) -> Bool {
        let bytes = command.utf8
        let isDigit = { (byte: UInt8) in byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }
        let isLetter = { (byte: UInt8) in
            (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z"))
                || (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z"))
        }
        return bytes.allSatisfy(isLetter) || (bytes.count == 3 && bytes.allSatisfy(isDigit))
    }

    /// The first space-delimited word and everything from the space on.
    private static func splitWord(_ text: Substring) -> (word: Substring, rest: Substring) {
        let end = text.utf8.firstIndex(of: UInt8(ascii: " ")) ?? text.endIndex
        return (text[..<end], text[end...])
    }

    /// `text` without its first byte, an ASCII sigil (`@`, `:`); byte-wise so a combining mark after it survives.
    static func droppingFirstByte(_ text: Substring) -> Substring {
        text[text.utf8.index(after: text.startIndex)...]
    }

    /// `text` without its leading spaces (only U+0020: tabs are ordinary characters in IRC).
    private static func droppingSpaces(_ text: Substring) -> Substring {
        let start = text.utf8.firstIndex(where: { $0 != UInt8(ascii: " ") }) ?? text.endIndex
        return text[start...]
    }
}
