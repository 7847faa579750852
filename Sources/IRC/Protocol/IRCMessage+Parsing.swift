extension IRCMessage {
    /// Parses one line as received from the server, without its CR LF.
    ///
    /// Follows the modern client protocol (modern.ircdocs.horse) and IRCv3 message-tags: runs of spaces between
    /// parameters are tolerated, the parameter after ` :` takes the rest of the line, and tag values are unescaped.
    /// Work happens on the line's UTF-8 bytes, cut only at ASCII delimiters, so a space followed by a combining mark
    /// still separates parameters and every piece is valid UTF-8 on its own; a busy channel's lines cost no
    /// `Character` or `Substring` bookkeeping.
    /// - Throws: ``IRCParseError`` for an empty line, NUL/CR/LF in the line, or no (valid) command.
    package init(parsing line: String) throws(IRCParseError) {
        var text = line
        text.makeContiguousUTF8()  // A no-op for the native strings the framer makes.
        guard let parsed = text.utf8.withContiguousStorageIfAvailable({ Self.parse(LineBytes(bytes: $0, text: text)) })
        else {
            preconditionFailure("Invalid state: contiguous UTF-8 without contiguous storage")
        }
        self = try parsed.get()
    }

    /// A parsed message whose command is already uppercase, so it is not scanned again.
    private init(parsedTags tags: [String: String], source: String?, command: String) {
        self.tags = tags
        self.source = source
        self.command = command
        self.parameters = []
    }

    private static func parse(_ line: LineBytes) -> Result<IRCMessage, IRCParseError> {
        let failure = { (code: IRCParseError.Code) in
            Result<Self, IRCParseError>.failure(IRCParseError(code: code, line: line.text))
        }
        if line.containsForbiddenByte() {
            return failure(.forbiddenCharacter)
        }
        var cursor = line.skippingSpaces(from: 0)
        guard cursor < line.bytes.count else {
            return failure(.emptyLine)
        }
        var tags: [String: String] = [:]
        if line.bytes[cursor] == UInt8(ascii: "@") {
            let word = line.word(at: cursor)
            tags = Self.parseTags(word.dropFirst(), in: line)
            cursor = line.skippingSpaces(from: word.upperBound)
        }
        var source: String?
        if cursor < line.bytes.count, line.bytes[cursor] == UInt8(ascii: ":") {
            let word = line.word(at: cursor)
            guard word.count > 1 else {
                return failure(.invalidSource)
            }
            source = line.string(word.dropFirst())
            cursor = line.skippingSpaces(from: word.upperBound)
        }
        let command = line.word(at: cursor)
        guard !command.isEmpty else {
            return failure(.missingCommand)
        }
        guard Self.isValidCommand(line.bytes[command]) else {
            return failure(.invalidCommand)
        }
        var message = IRCMessage(
            parsedTags: tags,
            source: source,
            command: line.bytes[command].contains { $0 >= UInt8(ascii: "a") }
                ? Self.asciiUppercased(line.string(command)) : line.string(command)
        )
        // Two parameters (target and text) are the common case; room for four avoids regrowing for most others.
        message.parameters.reserveCapacity(4)
        cursor = line.skippingSpaces(from: command.upperBound)
        while cursor < line.bytes.count {
            if line.bytes[cursor] == UInt8(ascii: ":") {
                message.parameters.append(line.string((cursor + 1)..<line.bytes.count))
                break
            }
            let word = line.word(at: cursor)
            message.parameters.append(line.string(word))
            cursor = line.skippingSpaces(from: word.upperBound)
        }
        return .success(message)
    }

    /// Splits the tag section (without its `@`) into unescaped key/value pairs; a repeated key keeps its last value.
    private static func parseTags(_ section: Range<Int>, in line: LineBytes) -> [String: String] {
        let bytes = line.bytes
        var separators = 0
        for index in section where bytes[index] == UInt8(ascii: ";") {
            separators += 1
        }
        // Sized for every tag up front: growing a dictionary rehashes the keys already in it.
        var tags = [String: String](minimumCapacity: separators + 1)
        var start = section.lowerBound
        var equals: Int?
        var index = section.lowerBound
        while true {
            let isEnd = index == section.upperBound
            if isEnd || bytes[index] == UInt8(ascii: ";") {
                if let equals {
                    if equals > start {
                        let value = UnsafeBufferPointer(rebasing: bytes[(equals + 1)..<index])
                        tags[line.string(start..<equals)] = Self.unescapeTagValue(value)
                    }
                } else if index > start {
                    tags[line.string(start..<index)] = ""
                }
                if isEnd {
                    return tags
                }
                start = index + 1
                equals = nil
            } else if equals == nil, bytes[index] == UInt8(ascii: "=") {
                equals = index
            }
            index += 1
        }
    }

    /// A command is letters only or exactly three digits; anything else is a garbled line, not a new command.
    static func isValidCommand<Bytes: Collection<UInt8>>(_ bytes: Bytes) -> Bool {
        let isDigit = { (byte: UInt8) in byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }
        let isLetter = { (byte: UInt8) in
            (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z"))
                || (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z"))
        }
        return bytes.allSatisfy(isLetter) || (bytes.count == 3 && bytes.allSatisfy(isDigit))
    }
}

/// One line and its UTF-8, cut at byte offsets; only valid inside the `withContiguousStorageIfAvailable` call that
/// made it.
private struct LineBytes {
    /// The line's bytes.
    let bytes: UnsafeBufferPointer<UInt8>
    /// The line itself, whose storage `bytes` points into.
    let text: String

    /// Whether the line holds NUL, CR or LF, which no message may contain.
    ///
    /// All three are below 0x0E, so eight bytes at a time are first tested for any byte that small (the classic
    /// `(word - 0x0E…) & ~word & 0x80…` test, exact as a yes/no answer); only from such a word on, typically never,
    /// are bytes looked at one by one.
    func containsForbiddenByte() -> Bool {
        var index = 0
        if let base = UnsafeRawPointer(self.bytes.baseAddress) {
            while index + 8 <= self.bytes.count {
                let word = base.loadUnaligned(fromByteOffset: index, as: UInt64.self)
                if (word &- 0x0E0E_0E0E_0E0E_0E0E) & ~word & 0x8080_8080_8080_8080 != 0 {
                    break
                }
                index += 8
            }
        }
        return self.bytes[index...].contains { $0 == 0x00 || $0 == 0x0D || $0 == 0x0A }
    }

    /// The first offset from `start` on that is not a space (only U+0020: tabs are ordinary characters in IRC).
    func skippingSpaces(from start: Int) -> Int {
        var index = start
        while index < self.bytes.count, self.bytes[index] == UInt8(ascii: " ") {
            index += 1
        }
        return index
    }

    /// The space-delimited word starting at `start` (empty at the end of the line).
    func word(at start: Int) -> Range<Int> {
        var end = start
        while end < self.bytes.count, self.bytes[end] != UInt8(ascii: " ") {
            end += 1
        }
        return start..<end
    }

    /// The text of `range`; valid UTF-8 because the parser cuts only next to ASCII delimiters.
    func string(_ range: Range<Int>) -> String {
        String(decoding: UnsafeBufferPointer(rebasing: self.bytes[range]), as: UTF8.self)
    }
}
