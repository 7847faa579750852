extension MarkdownFlattener {
    /// Flattens the inline Markdown of the characters in `range` of a line: code spans, links, images, autolinks
    /// and emphasis.
    static func inline(_ line: LineCharacters, _ range: Range<Int>, into output: inout [UInt8]) {
        var renderer = InlineRenderer(characters: line, range: range)
        swap(&renderer.output, &output)
        renderer.render(range)
        swap(&renderer.output, &output)
    }

    /// Walks a line's characters once, writing IRC text; nested constructs (emphasis inside a link text, a link
    /// inside emphasis) are rendered by recursing on the inner range.
    ///
    /// An answer is model output, so a line may be crafted (asked for) to be as hostile as its 4 MiB allow:
    /// thousands of unmatched `*`, `[`, `<` or backticks. Searching for each one's closer anew made such a line
    /// quadratic (300 KB of `*a ` took about a minute and a half of CPU on one event loop). So code spans and
    /// bracket pairs are found once, in linear passes (``InlineScan``); a failed search for an emphasis
    /// closer or an autolink's end is remembered; link destinations share a budget; and nesting stops at
    /// ``maximumDepth``, beyond which text stays as written, so no line can exhaust the stack either.
    struct InlineRenderer {
        /// The line being rendered.
        let characters: LineCharacters
        /// The range ``MarkdownFlattener/inline(_:_:into:)`` renders; nested constructs render parts of it.
        let range: Range<Int>
        /// Where code spans close (see ``InlineScan/codeSpanCloses(_:_:)``), found at the first backtick.
        var codeSpanCloses: [Int: Int]?
        /// The matching `]` of each `[` (see ``InlineScan/closingBrackets(_:_:)``), found at the first `[`.
        var closingBrackets: [Int: Int]?
        /// The UTF-8 of the IRC text produced so far.
        var output: [UInt8] = []
        /// For each emphasis character, width and range end: the positions a failed search for a closer passed
        /// through. A search that reaches one of them fails too.
        var failedCloserSearches: [DelimiterSearch: FailedSteps] = [:]
        /// The last search for an autolink's `>`, which later `<` before that `>` share.
        var autolinkSearch: AutolinkSearch?
        /// How many more characters link destinations may be read for; see ``link(at:upper:)``.
        var destinationBudget: Int
        /// How many emphasis and link texts the construct being rendered is inside.
        var depth = 0

        /// Nesting beyond this renders as text: far beyond any real answer, well within any thread's stack.
        static let maximumDepth = 32

        /// Identifies searches for an emphasis closer that share their outcome.
        struct DelimiterSearch: Hashable {
            /// The kind of `*` or `_` (see ``LineCharacters/kinds``).
            var kind: UInt8
            /// 1 for italic, 2 for bold.
            var width: Int
            /// The end of the range searched.
            var upper: Int
        }

        /// Prepares to render `range` of `characters`.
        init(characters: LineCharacters, range: Range<Int>) {
            self.characters = characters
            self.range = range
            self.destinationBudget = 4 * range.count + 4_096
        }

        /// Appends the rendering of `range` to ``output``.
        mutating func render(_ range: Range<Int>) {
            let startsConstruct = Self.startsConstruct
            var index = range.lowerBound
            while index < range.upperBound {
                // Text up to the next character that can start a construct is written as it is, in one go.
                var plainEnd = index
                while plainEnd < range.upperBound,
                    !self.mayStartConstruct(at: plainEnd, upper: range.upperBound, startsConstruct)
                {
                    plainEnd += 1
                }
                if plainEnd > index {
                    self.characters.append(index..<plainEnd, to: &self.output)
                    index = plainEnd
                } else {
                    index = self.renderConstruct(at: index, upper: range.upperBound)
                }
            }
        }

        /// Renders `range` one level deeper. Callers check ``maximumDepth`` first, since at the limit the
        /// construct's own markers stay text too.
        mutating func renderNested(_ range: Range<Int>) {
            self.depth += 1
            self.render(range)
            self.depth -= 1
        }

        /// Whether ``renderConstruct(at:upper:)`` might do more than copy the character at `index`: its kind is
        /// one that starts a construct, and for the common letter `h` and for `!` the next character fits too
        /// (`http`, `![`).
        private func mayStartConstruct(at index: Int, upper: Int, _ startsConstruct: [Bool]) -> Bool {
            guard startsConstruct[Int(self.characters.kinds[index])] else {
                return false
            }
            if self.characters.isCharacter(index, "h") {
                return index + 1 < upper && self.characters.isCharacter(index + 1, "t")
            }
            if self.characters.isCharacter(index, "!") {
                return index + 1 < upper && self.characters.isCharacter(index + 1, "[")
            }
            return true
        }

        /// Per character kind: whether ``renderConstruct(at:upper:)`` might do more than copy the character.
        private static let startsConstruct: [Bool] = (0..<256).map { kind in
            kind != Int(LineCharacters.other) && "\\`![<h*_".utf8.contains(UInt8(kind & 0x7F))
        }

        /// Renders whatever starts at `index` and returns where the next construct starts.
        private mutating func renderConstruct(at index: Int, upper: Int) -> Int {
            let kind = self.characters.kinds[index]
            switch kind == LineCharacters.other ? 0 : kind & 0x7F {
            case UInt8(ascii: "\\") where index + 1 < upper && self.characters.isEscapable(index + 1):
                self.characters.append((index + 1)..<(index + 2), to: &self.output)
                return index + 2
            case UInt8(ascii: "`"):
                return self.renderCodeSpan(at: index, upper: upper)
            case UInt8(ascii: "!") where index + 1 < upper && self.characters.isCharacter(index + 1, "["):
                guard let link = self.link(at: index + 1, upper: upper) else { break }
                self.renderLink(link)
                return link.end
            case UInt8(ascii: "["):
                guard let link = self.link(at: index, upper: upper) else { break }
                self.renderLink(link)
                return link.end
            case UInt8(ascii: "<"):
                guard let end = self.autolinkEnd(at: index, upper: upper) else { break }
                self.characters.append((index + 1)..<(end - 1), to: &self.output)
                return end
            case UInt8(ascii: "h") where self.isWordStart(index):
                guard let end = self.bareURLEnd(at: index, upper: upper) else { break }
                self.characters.append(index..<end, to: &self.output)
                return end
            case UInt8(ascii: "*"), UInt8(ascii: "_"):
                return self.renderEmphasis(at: index, upper: upper)
            default:
                break
            }
            self.characters.append(index..<(index + 1), to: &self.output)
            return index + 1
        }

        /// Writes a code span's text without its backticks (and without the one space padding each side, as
        /// CommonMark does); an unmatched run of backticks is written as it is.
        private mutating func renderCodeSpan(at index: Int, upper: Int) -> Int {
            let run = self.runLength(at: index, upper: upper)
            guard let close = self.codeSpanClose(at: index, upper: upper) else {
                self.characters.append(index..<(index + run), to: &self.output)
                return index + run
            }
            var content = (index + run)..<close
            if content.count >= 2, self.characters.isCharacter(content.lowerBound, " "),
                self.characters.isCharacter(content.upperBound - 1, " "),
                content.contains(where: { !self.characters.isCharacter($0, " ") })
            {
                content = (content.lowerBound + 1)..<(content.upperBound - 1)
            }
            self.characters.append(content, to: &self.output)
            return close + run
        }

        /// Where the backticks closing the code span opened at `index` start, or `nil` when it never closes:
        /// the next run of exactly as many backticks, which must end within `upper`.
        mutating func codeSpanClose(at index: Int, upper: Int) -> Int? {
            if self.codeSpanCloses == nil {
                self.codeSpanCloses = InlineScan.codeSpanCloses(self.characters, self.range)
            }
            guard let close = self.codeSpanCloses?[index],
                close + self.runLength(at: index, upper: upper) <= upper
            else { return nil }
            return close
        }

        /// How many copies of the character at `index` follow one another from there.
        func runLength(at index: Int, upper: Int) -> Int {
            var end = index + 1
            while end < upper, self.characters.isSameCharacter(end, as: index) {
                end += 1
            }
            return end - index
        }

        /// Whether `index` starts a word, i.e. follows no letter or digit.
        func isWordStart(_ index: Int) -> Bool {
            index == 0 || !self.characters.isAlphanumeric(index - 1)
        }
    }
}
