extension MarkdownFlattener {
    /// An open fenced code block: the fence character (`` ` `` or `~`) and how many opened it.
    struct Fence {
        /// The character the fence is made of.
        var character: Unicode.Scalar
        /// How long the opening run was; the closing run must be at least as long.
        var length: Int

        /// Recognises an opening fence: three or more backticks or tildes, an optional language after them.
        init?(opening line: LineCharacters) {
            let trimmed = (0..<line.count).drop { line.isCharacter($0, " ") }
            guard let first = trimmed.first else {
                return nil
            }
            let character: Unicode.Scalar = line.isCharacter(first, "`") ? "`" : "~"
            guard line.isCharacter(first, character) else {
                return nil
            }
            let run = trimmed.prefix { line.isCharacter($0, character) }
            guard run.count >= 3,
                character == "~" || !trimmed.dropFirst(run.count).contains(where: { line.isCharacter($0, "`") })
            else {
                return nil
            }
            self.character = character
            self.length = run.count
        }

        /// Whether `line` closes this fence: a long-enough run of the same character and nothing else.
        func isClosed(by line: LineCharacters) -> Bool {
            let trimmed = line.trimmingBlanks(0..<line.count)
            return trimmed.count >= self.length && trimmed.allSatisfy { line.isCharacter($0, self.character) }
        }
    }
}
