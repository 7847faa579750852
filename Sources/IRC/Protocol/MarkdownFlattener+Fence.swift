extension MarkdownFlattener {
    /// An open fenced code block: the fence character (`` ` `` or `~`) and how many opened it.
    struct Fence {
        /// The character the fence is made of.
        var character: Character
        /// How long the opening run was; the closing run must be at least as long.
        var length: Int

        /// Recognises an opening fence: three or more backticks or tildes, an optional language after them.
        init?(opening line: Substring) {
            let trimmed = line.drop { $0 == " " }
            guard let first = trimmed.first, first == "`" || first == "~" else {
                return nil
            }
            let run = trimmed.prefix { $0 == first }
            guard run.count >= 3, first == "~" || !trimmed.dropFirst(run.count).contains("`") else {
                return nil
            }
            self.character = first
            self.length = run.count
        }

        /// Whether `line` closes this fence: a long-enough run of the same character and nothing else.
        func isClosed(by line: Substring) -> Bool {
            let trimmed = MarkdownFlattener.trimmingBlanks(line)
            return trimmed.count >= self.length && trimmed.allSatisfy { $0 == self.character }
        }
    }
}
