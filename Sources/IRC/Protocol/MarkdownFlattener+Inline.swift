extension MarkdownFlattener {
    /// Flattens the inline Markdown of one line: code spans, links, images, autolinks and emphasis.
    static func inline(_ text: Substring) -> String {
        var renderer = InlineRenderer(characters: Array(text))
        renderer.render(0..<renderer.characters.count)
        return renderer.output
    }

    /// Walks a line's characters once, writing IRC text; nested constructs (emphasis inside a link text, a link
    /// inside emphasis) are rendered by recursing on the inner range.
    struct InlineRenderer {
        /// The line being rendered.
        let characters: [Character]
        /// The IRC text produced so far.
        var output = ""

        /// Creates a renderer over `characters`.
        init(characters: [Character]) {
            self.characters = characters
        }

        /// Appends the rendering of `range` to ``output``.
        mutating func render(_ range: Range<Int>) {
            var index = range.lowerBound
            while index < range.upperBound {
                index = self.renderConstruct(at: index, upper: range.upperBound)
            }
        }

        /// Renders whatever starts at `index` and returns where the next construct starts.
        private mutating func renderConstruct(at index: Int, upper: Int) -> Int {
            let character = self.characters[index]
            switch character {
            case "\\" where index + 1 < upper && Self.isEscapable(self.characters[index + 1]):
                self.output.append(self.characters[index + 1])
                return index + 2
            case "`":
                return self.renderCodeSpan(at: index, upper: upper)
            case "!" where index + 1 < upper && self.characters[index + 1] == "[":
                guard let link = self.link(at: index + 1, upper: upper) else { break }
                self.output += self.linkText(link)
                return link.end
            case "[":
                guard let link = self.link(at: index, upper: upper) else { break }
                self.output += self.linkText(link)
                return link.end
            case "<":
                guard let end = self.autolinkEnd(at: index, upper: upper) else { break }
                self.output += String(self.characters[(index + 1)..<(end - 1)])
                return end
            case "h" where self.isWordStart(index):
                guard let end = self.bareURLEnd(at: index, upper: upper) else { break }
                self.output += String(self.characters[index..<end])
                return end
            case "*", "_":
                return self.renderEmphasis(at: index, upper: upper)
            default:
                break
            }
            self.output.append(character)
            return index + 1
        }

        /// Writes a code span's text without its backticks (and without the one space padding each side, as
        /// CommonMark does); an unmatched run of backticks is written as it is.
        private mutating func renderCodeSpan(at index: Int, upper: Int) -> Int {
            let run = self.runLength(at: index, upper: upper)
            guard let close = self.codeSpanClose(at: index, upper: upper) else {
                self.output += String(self.characters[index..<(index + run)])
                return index + run
            }
            var content = self.characters[(index + run)..<close]
            if content.count >= 2, content.first == " ", content.last == " ", content.contains(where: { $0 != " " }) {
                content = content.dropFirst().dropLast()
            }
            self.output += String(content)
            return close + run
        }

        /// Where the backticks closing the code span opened at `index` start, or `nil` when it never closes.
        func codeSpanClose(at index: Int, upper: Int) -> Int? {
            let run = self.runLength(at: index, upper: upper)
            var scan = index + run
            while scan < upper {
                let length = self.runLength(at: scan, upper: upper)
                if self.characters[scan] == "`" && length == run {
                    return scan
                }
                scan += max(length, 1)
            }
            return nil
        }

        /// How many copies of the character at `index` follow one another from there.
        func runLength(at index: Int, upper: Int) -> Int {
            let character = self.characters[index]
            var end = index
            while end < upper, self.characters[end] == character {
                end += 1
            }
            return end - index
        }

        /// Whether `index` starts a word, i.e. follows no letter or digit.
        func isWordStart(_ index: Int) -> Bool {
            index == 0 || !Self.isAlphanumeric(self.characters[index - 1])
        }

        /// Letters and digits, the characters that make `*`/`_` intraword (as in `snake_case` or `2*3*4`).
        static func isAlphanumeric(_ character: Character) -> Bool {
            character.isLetter || character.isNumber
        }

        /// ASCII punctuation, which a backslash makes literal (`\*not italic\*`).
        private static func isEscapable(_ character: Character) -> Bool {
            character.isASCII && (character.isPunctuation || character.isSymbol)
        }
    }
}
