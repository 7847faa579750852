/// Renders the inline Markdown of one paragraph, heading or table cell: escapes, code spans, emphasis, links,
/// images, autolinks, bare URLs and line breaks. Everything else is text, escaped.
///
/// Code spans and bracket pairs are found once, up front, in a linear pass, and a failed search for an emphasis
/// closer is remembered, so crafted text (thousands of unmatched `*`, `[` or backticks) cannot make rendering
/// quadratic.
struct InlineRenderer {
    /// The text being rendered (UTF-8).
    let text: [UInt8]
    /// Where the closing run of each code span starts, by the position of its opening run.
    let codeSpans: [Int: Int]
    /// The matching `]` of each `[` that has one (outside code spans and escapes).
    let closingBrackets: [Int: Int]
    /// The HTML so far.
    var output = HTMLOutput()
    /// For each emphasis delimiter, width and range end: the earliest position from which a search for a closer
    /// has already failed. A search starting there or later fails too.
    var failedCloserSearches: [DelimiterSearch: Int] = [:]
    /// How many more bytes link destinations and titles may be read for; see ``link(at:upper:)``.
    var linkScanBudget: Int

    /// Identifies searches for an emphasis closer that share their outcome.
    struct DelimiterSearch: Hashable {
        /// `*`, `_` or `~`.
        var delimiter: UInt8
        /// 1 for `<em>`, 2 for the others.
        var width: Int
        /// The end of the range searched.
        var upper: Int
    }

    /// Prepares `text` for rendering.
    init(text: [UInt8]) {
        self.text = text
        self.linkScanBudget = 4 * text.count + 4 * SafeURL.maximumLength
        self.codeSpans = Self.findCodeSpans(text)
        self.closingBrackets = Self.matchBrackets(text, codeSpans: self.codeSpans)
    }

    /// Renders `text` onto the end of `output`.
    static func render(_ text: [UInt8], into output: inout HTMLOutput) {
        var renderer = InlineRenderer(text: text)
        swap(&renderer.output, &output)
        renderer.render(0..<text.count, links: true, depth: 0)
        swap(&renderer.output, &output)
    }

    /// Renders `range`. Inside a link's text `links` is false, because a link inside a link is not valid HTML.
    mutating func render(_ range: Range<Int>, links: Bool, depth: Int) {
        var index = range.lowerBound
        while index < range.upperBound {
            var plainEnd = index
            while plainEnd < range.upperBound, !Self.mayStartConstruct[Int(self.text[plainEnd])] {
                plainEnd += 1
            }
            if plainEnd > index {
                self.output.text(self.text[index..<plainEnd])
                index = plainEnd
            } else {
                index = self.renderConstruct(at: index, upper: range.upperBound, links: links, depth: depth)
            }
        }
    }

    /// The bytes at which something other than plain text may start.
    private static let mayStartConstruct: [Bool] = (0..<256).map { byte in
        "\\`*_~[!<\nhH".utf8.contains(UInt8(byte))
    }

    /// Renders what starts at `index` and returns where rendering continues.
    private mutating func renderConstruct(at index: Int, upper: Int, links: Bool, depth: Int) -> Int {
        let byte = self.text[index]
        switch byte {
        case UInt8(ascii: "\\") where index + 1 < upper:
            let next = self.text[index + 1]
            if next == UInt8(ascii: "\n") {
                self.output.markup("<br>\n")
                return index + 2
            }
            if Line.isPunctuation(next) {
                self.output.text(byte: next)
                return index + 2
            }
        case UInt8(ascii: "`"):
            return self.renderCodeSpan(at: index, upper: upper)
        case UInt8(ascii: "!") where index + 1 < upper && self.text[index + 1] == UInt8(ascii: "["):
            if let link = self.link(at: index + 1, upper: upper) {
                self.renderImage(link, from: index)
                return link.end
            }
        case UInt8(ascii: "[") where links:
            if let link = self.link(at: index, upper: upper) {
                self.renderLink(link, from: index, depth: depth)
                return link.end
            }
        case UInt8(ascii: "<") where links:
            if let end = self.renderAutolink(at: index, upper: upper) {
                return end
            }
        case UInt8(ascii: "h"), UInt8(ascii: "H"):
            if links, let end = self.renderBareURL(at: index, upper: upper) {
                return end
            }
        case UInt8(ascii: "*"), UInt8(ascii: "_"), UInt8(ascii: "~"):
            return self.renderDelimited(at: index, upper: upper, links: links, depth: depth)
        case UInt8(ascii: "\n"):
            // Two spaces before a line break make it a hard one; the spaces themselves are never shown.
            let spaces = self.output.removeTrailingSpaces()
            self.output.markup(spaces >= 2 ? "<br>\n" : "\n")
            return index + 1
        default:
            break
        }
        self.output.text(byte: byte)
        return index + 1
    }

    /// A code span's text in `<code>` (line breaks as spaces, one padding space each side removed, as CommonMark
    /// does); an unmatched run of backticks is text.
    private mutating func renderCodeSpan(at index: Int, upper: Int) -> Int {
        let run = self.runLength(at: index, upper: upper)
        guard let close = self.codeSpans[index], close + run <= upper else {
            self.output.text(self.text[index..<(index + run)])
            return index + run
        }
        var content = self.text[(index + run)..<close]
        let space = UInt8(ascii: " ")
        if content.count >= 2, content.first == space || content.first == UInt8(ascii: "\n"),
            content.last == space || content.last == UInt8(ascii: "\n"),
            content.contains(where: { $0 != space && $0 != UInt8(ascii: "\n") })
        {
            content = content.dropFirst().dropLast()
        }
        self.output.markup("<code>")
        self.output.text(content.lazy.map { $0 == UInt8(ascii: "\n") ? space : $0 })
        self.output.markup("</code>")
        return close + run
    }

    /// How many copies of the byte at `index` follow one another from there, up to `upper`.
    func runLength(at index: Int, upper: Int) -> Int {
        var end = index + 1
        while end < upper, self.text[end] == self.text[index] {
            end += 1
        }
        return end - index
    }

    /// Whether `index` starts a word: it follows no letter or digit.
    func isWordStart(_ index: Int) -> Bool {
        index == 0 || !Line.isWordByte(self.text[index - 1])
    }
}
