extension BlockRenderer {
    /// A list item's marker line: what kind of list it belongs to, and where the item's content starts.
    struct ListMarker {
        /// Items of one list share their kind: the same bullet character, or the same delimiter after the number.
        enum Kind: Equatable {
            /// `-`, `*` or `+`.
            case bullet(UInt8)
            /// `1.` or `1)`.
            case ordered(delimiter: UInt8)
        }

        /// The list this item belongs to.
        var kind: Kind
        /// The item's number (1 for bullets).
        var start: Int
        /// The column the item's content starts at; continuation lines indented this far belong to the item.
        var contentOffset: Int
        /// The content on the marker line itself.
        var content: [UInt8]

        /// Recognises a marker indented by at most three spaces and followed by a space or the end of the line.
        init?(_ line: [UInt8]) {
            let indent = Line.indentation(line)
            guard indent < 4, indent < line.count else { return nil }
            var position = indent
            switch line[position] {
            case UInt8(ascii: "-"), UInt8(ascii: "*"), UInt8(ascii: "+"):
                self.kind = .bullet(line[position])
                self.start = 1
                position += 1
            default:
                let digits = line[position...].prefix { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }
                let delimiter = position + digits.count
                guard (1...9).contains(digits.count), delimiter < line.count,
                    line[delimiter] == UInt8(ascii: ".") || line[delimiter] == UInt8(ascii: ")")
                else { return nil }
                self.kind = .ordered(delimiter: line[delimiter])
                self.start = Int(String(decoding: digits, as: UTF8.self)) ?? 1
                position = delimiter + 1
            }
            let spaces = line[position...].prefix(while: Line.isSpaceOrTab).count
            guard position == line.count || spaces > 0 else { return nil }
            // Text more than four spaces after the marker is indented code inside the item, so the item's content
            // starts one space after the marker; so it does when the marker stands alone.
            let startsAfterOneSpace = spaces > 4 || position + spaces == line.count
            self.contentOffset = position + (startsAfterOneSpace ? 1 : spaces)
            self.content = Array(line.dropFirst(self.contentOffset))
        }
    }

    /// A block quote: its `>` lines (and lazy continuation lines of its last paragraph), rendered one level deeper.
    mutating func renderQuote(_ lines: [[UInt8]], at start: Int, depth: Int) -> Int {
        var inner: [[UInt8]] = []
        var index = start
        var continuesParagraph = false
        while index < lines.count {
            let line = lines[index]
            let indent = Line.indentation(line)
            if indent < 4, indent < line.count, line[indent] == UInt8(ascii: ">") {
                var rest = line[(indent + 1)...]
                if rest.first == UInt8(ascii: " ") {
                    rest = rest.dropFirst()
                }
                inner.append(Array(rest))
                continuesParagraph = !Line.isBlank(rest)
            } else if continuesParagraph, !Line.isBlank(line),
                !Self.interruptsParagraph(lines, at: index, depth: depth)
            {
                inner.append(Array(Line.trimmed(line[...])))
            } else {
                break
            }
            index += 1
        }
        self.output.markup("<blockquote>\n")
        self.render(inner, depth: depth + 1, tight: false)
        self.output.markup("</blockquote>\n")
        return index
    }

    /// A list: items of one kind, each with the lines indented under it (nested lists among them), rendered one
    /// level deeper. Blank lines between items make the list loose (`<p>` in each item), as in CommonMark.
    mutating func renderList(_ lines: [[UInt8]], at start: Int, first: ListMarker, depth: Int) -> Int {
        var items: [[[UInt8]]] = []
        var current = [first.content]
        var contentOffset = first.contentOffset
        var loose = false
        var afterBlank = false
        var index = start + 1
        while index < lines.count {
            let line = lines[index]
            let indent = Line.indentation(line)
            if Line.isBlank(line) {
                current.append([])
                afterBlank = true
            } else if indent >= contentOffset {
                let content = Array(line.dropFirst(contentOffset))
                // Another paragraph in the item makes the list loose; a nested list after a blank line does not.
                if afterBlank, Line.indentation(content) == 0, ListMarker(content) == nil {
                    loose = true
                }
                current.append(content)
                afterBlank = false
            } else if !Self.isThematicBreak(line[indent...]), let marker = ListMarker(line), marker.kind == first.kind {
                items.append(current)
                current = [marker.content]
                contentOffset = marker.contentOffset
                loose = loose || afterBlank
                afterBlank = false
            } else if !afterBlank, !Self.interruptsParagraph(lines, at: index, depth: depth) {
                // A lazy continuation line of the item's paragraph.
                current.append(Array(Line.trimmed(line[...])))
            } else {
                break
            }
            index += 1
        }
        items.append(current)
        switch first.kind {
        case .bullet:
            self.output.markup("<ul>\n")
        case .ordered where first.start == 1:
            self.output.markup("<ol>\n")
        case .ordered:
            self.output.markup("<ol start=\"")
            self.output.number(first.start)
            self.output.markup("\">\n")
        }
        for item in items {
            self.output.markup("<li>")
            self.render(item, depth: depth + 1, tight: !loose)
            self.output.markup("</li>\n")
        }
        switch first.kind {
        case .bullet: self.output.markup("</ul>\n")
        case .ordered: self.output.markup("</ol>\n")
        }
        return index
    }
}
