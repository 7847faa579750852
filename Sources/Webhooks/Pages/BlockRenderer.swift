/// Renders lines of Markdown as block elements: it finds where each block starts and ends, and hands the text of
/// paragraphs, headings and table cells to ``InlineRenderer``. Block quotes and list items are rendered by
/// recursing on their own lines, one level deeper.
struct BlockRenderer {
    /// The HTML so far.
    var output = HTMLOutput()

    /// Renders `lines` as a sequence of blocks. In a `tight` list item, paragraphs are not wrapped in `<p>`.
    mutating func render(_ lines: [[UInt8]], depth: Int, tight: Bool) {
        var index = 0
        while index < lines.count {
            index = self.renderBlock(lines, at: index, depth: depth, tight: tight)
        }
    }

    /// Renders the block starting at `index` and returns the index of the line after it.
    private mutating func renderBlock(_ lines: [[UInt8]], at index: Int, depth: Int, tight: Bool) -> Int {
        let line = lines[index]
        if Line.isBlank(line) {
            return index + 1
        }
        let indent = Line.indentation(line)
        if indent >= 4 {
            return self.renderIndentedCode(lines, at: index)
        }
        let body = line[indent...]
        if let fence = Fence(opening: body, indent: indent) {
            return self.renderFencedCode(lines, at: index, fence: fence)
        }
        if Self.isThematicBreak(body) {
            self.output.markup("<hr>\n")
            return index + 1
        }
        if let heading = Self.atxHeading(body) {
            self.renderHeading(level: heading.level, text: Array(heading.title))
            return index + 1
        }
        let nests = depth < MarkdownHTMLRenderer.maximumBlockDepth
        if nests, body.first == UInt8(ascii: ">") {
            return self.renderQuote(lines, at: index, depth: depth)
        }
        if nests, let marker = ListMarker(line) {
            return self.renderList(lines, at: index, first: marker, depth: depth)
        }
        if let head = TableHead(lines, at: index) {
            return self.renderTable(lines, at: index, head: head, depth: depth)
        }
        return self.renderParagraph(lines, at: index, depth: depth, tight: tight)
    }

    /// A paragraph: lines up to a blank line or the start of another block; a setext underline (`===`, `---`)
    /// after them makes them a heading instead.
    private mutating func renderParagraph(_ lines: [[UInt8]], at start: Int, depth: Int, tight: Bool) -> Int {
        var end = start + 1
        var setextLevel: Int?
        while end < lines.count, !Line.isBlank(lines[end]) {
            if let level = Self.setextLevel(lines[end]) {
                setextLevel = level
                break
            }
            if Self.interruptsParagraph(lines, at: end, depth: depth) {
                break
            }
            end += 1
        }
        // Leading blanks never count; trailing ones do (two spaces before a line break make it a hard break),
        // except at the very end.
        var text: [UInt8] = []
        for index in start..<end {
            if index > start {
                text.append(UInt8(ascii: "\n"))
            }
            text += lines[index].drop(while: Line.isSpaceOrTab)
        }
        text = Array(Line.trimmed(text[...]))
        if let setextLevel {
            self.renderHeading(level: setextLevel, text: text)
            return end + 1
        }
        if !tight {
            self.output.markup("<p>")
        }
        InlineRenderer.render(text, into: &self.output)
        if !tight {
            self.output.markup("</p>\n")
        }
        return end
    }

    /// `<h1>` … `<h6>`.
    private mutating func renderHeading(level: Int, text: [UInt8]) {
        self.output.markup("<h")
        self.output.number(level)
        self.output.markup(">")
        InlineRenderer.render(text, into: &self.output)
        self.output.markup("</h")
        self.output.number(level)
        self.output.markup(">\n")
    }

    /// Whether the line at `index` starts a block that ends a paragraph: a fence, rule, heading, quote, a list
    /// item that could not be paragraph text (a bullet with text, or a numbered item starting at 1), or a table.
    /// Indented code cannot interrupt a paragraph, so deeper indentation is paragraph text.
    static func interruptsParagraph(_ lines: [[UInt8]], at index: Int, depth: Int) -> Bool {
        let line = lines[index]
        let indent = Line.indentation(line)
        guard indent < 4 else { return false }
        let body = line[indent...]
        if Fence(opening: body, indent: indent) != nil || Self.isThematicBreak(body) || Self.atxHeading(body) != nil {
            return true
        }
        if depth < MarkdownHTMLRenderer.maximumBlockDepth {
            if body.first == UInt8(ascii: ">") {
                return true
            }
            if let marker = ListMarker(line), !Line.isBlank(marker.content) {
                switch marker.kind {
                case .bullet: return true
                case .ordered: if marker.start == 1 { return true }
                }
            }
        }
        return TableHead(lines, at: index) != nil
    }

    /// Three or more `-`, `*` or `_`, alone on the line apart from spaces.
    static func isThematicBreak(_ body: ArraySlice<UInt8>) -> Bool {
        guard let first = body.first,
            first == UInt8(ascii: "-") || first == UInt8(ascii: "*") || first == UInt8(ascii: "_")
        else { return false }
        let marks = body.filter { !Line.isSpaceOrTab($0) }
        return marks.count >= 3 && marks.allSatisfy { $0 == first }
    }

    /// The level and title of an ATX heading (`## Title ##`), or nil.
    static func atxHeading(_ body: ArraySlice<UInt8>) -> (level: Int, title: ArraySlice<UInt8>)? {
        let level = body.prefix { $0 == UInt8(ascii: "#") }.count
        guard (1...6).contains(level) else { return nil }
        let rest = body.dropFirst(level)
        guard rest.isEmpty || Line.isSpaceOrTab(rest.first!) else { return nil }
        var title = Line.trimmed(rest)
        // A closing run of `#` is decoration when it stands apart (or is all there is).
        let closing = title.reversed().prefix { $0 == UInt8(ascii: "#") }.count
        if closing == title.count {
            title = title.prefix(0)
        } else if closing > 0, Line.isSpaceOrTab(title[title.endIndex - closing - 1]) {
            title = Line.trimmed(title.dropLast(closing))
        }
        return (level, title)
    }

    /// 1 for a `===` underline, 2 for `---`, nil for anything else.
    static func setextLevel(_ line: [UInt8]) -> Int? {
        let indent = Line.indentation(line)
        guard indent < 4 else { return nil }
        let marks = Line.trimmed(line[indent...])
        guard let first = marks.first, marks.allSatisfy({ $0 == first }) else { return nil }
        switch first {
        case UInt8(ascii: "="): return 1
        case UInt8(ascii: "-"): return 2
        default: return nil
        }
    }
}
