extension IRCMessage {
    /// The message as written on the wire, without the CR LF.
    ///
    /// Tags are escaped and sorted by key (so output is deterministic for logs and tests); the last parameter gets
    /// a `:` only when it needs one (empty, contains a space, or starts with `:`), matching what servers send.
    /// The result is faithful, not sanitised: use ``checkedSerialization()`` for messages built from data the
    /// bridge does not control.
    package var serialized: String {
        var line = ""
        if !self.tags.isEmpty {
            line += "@"
            line += self.tags.sorted { $0.key < $1.key }
                .map { $0.value.isEmpty ? $0.key : "\($0.key)=\(Self.escapeTagValue($0.value))" }
                .joined(separator: ";")
            line += " "
        }
        if let source = self.source {
            line += ":\(source) "
        }
        line += self.command
        for (index, parameter) in self.parameters.enumerated() {
            line += " "
            if index == self.parameters.count - 1 && Self.needsTrailingMarker(parameter) {
                line += ":"
            }
            line += parameter
        }
        return line
    }

    /// ``serialized``, after checking the message means the same thing once written.
    ///
    /// A CR or LF in a parameter would let text smuggle a second command onto the wire, and a space in a middle
    /// parameter would shift every parameter after it, so those are refused rather than sent.
    /// - Throws: ``IRCParseError`` with `.forbiddenCharacter`, `.invalidCommand`, `.invalidSource`, `.invalidTag`
    ///   or `.invalidParameter`; its `line` is the would-be serialization.
    package func checkedSerialization() throws(IRCParseError) -> String {
        let line = self.serialized
        let forbidden = { (text: String) in text.utf8.contains { $0 == 0x00 || $0 == 0x0D || $0 == 0x0A } }
        let tagValuesHaveNUL = self.tags.values.contains { $0.utf8.contains(0x00) }
        if forbidden(self.command) || forbidden(self.source ?? "") || self.parameters.contains(where: forbidden)
            || self.tags.keys.contains(where: forbidden) || tagValuesHaveNUL
        {
            throw IRCParseError(code: .forbiddenCharacter, line: line)
        }
        guard !self.command.isEmpty, Self.isValidCommand(self.command.utf8) else {
            throw IRCParseError(code: .invalidCommand, line: line)
        }
        if let source = self.source, source.isEmpty || source.utf8.contains(UInt8(ascii: " ")) {
            throw IRCParseError(code: .invalidSource, line: line)
        }
        let badKey = { (key: String) in key.isEmpty || key.utf8.contains { $0 == 0x3D || $0 == 0x3B || $0 == 0x20 } }
        if self.tags.keys.contains(where: badKey) {
            throw IRCParseError(code: .invalidTag, line: line)
        }
        if self.parameters.dropLast().contains(where: Self.needsTrailingMarker) {
            throw IRCParseError(code: .invalidParameter, line: line)
        }
        return line
    }

    /// Whether a parameter can only be written as the trailing one, after ` :`.
    private static func needsTrailingMarker(_ parameter: String) -> Bool {
        parameter.isEmpty || parameter.utf8.first == UInt8(ascii: ":") || parameter.utf8.contains(UInt8(ascii: " "))
    }
}
