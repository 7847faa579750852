extension BlockRenderer {
    /// A GitHub-style table's header: a row with `|` followed by a delimiter row (`| --- | :-: |`) with as many
    /// cells, whose colons set each column's alignment.
    struct TableHead {
        /// How a column's cells are aligned, as the class the page's style sheet knows.
        enum Alignment {
            /// `---`: the browser's default.
            case unaligned
            /// `:--`.
            case left
            /// `:-:`.
            case center
            /// `--:`.
            case right
        }

        /// The header cells.
        var cells: [ArraySlice<UInt8>]
        /// One alignment per column.
        var alignments: [Alignment]

        /// Recognises a table whose header is the line at `index`.
        init?(_ lines: [[UInt8]], at index: Int) {
            guard index + 1 < lines.count, Line.indentation(lines[index]) < 4,
                Line.indentation(lines[index + 1]) < 4, lines[index].contains(UInt8(ascii: "|"))
            else { return nil }
            let delimiters = BlockRenderer.tableCells(lines[index + 1])
            let cells = BlockRenderer.tableCells(lines[index])
            guard delimiters.count == cells.count else { return nil }
            var alignments: [Alignment] = []
            for cell in delimiters {
                guard let alignment = Self.alignment(cell) else { return nil }
                alignments.append(alignment)
            }
            self.cells = cells
            self.alignments = alignments
        }

        /// The alignment a delimiter cell (`---`, `:--`, `--:`, `:-:`) sets, or nil when it is not one.
        private static func alignment(_ cell: ArraySlice<UInt8>) -> Alignment? {
            let colon = UInt8(ascii: ":")
            let left = cell.first == colon
            let right = cell.last == colon && cell.count > 1
            let dashes = cell.dropFirst(left ? 1 : 0).dropLast(right ? 1 : 0)
            guard !dashes.isEmpty, dashes.allSatisfy({ $0 == UInt8(ascii: "-") }) else { return nil }
            switch (left, right) {
            case (true, true): return .center
            case (true, false): return .left
            case (false, true): return .right
            case (false, false): return .unaligned
            }
        }
    }

    /// The table: header, delimiter row, then rows until a blank line or another block. Rows with too few cells
    /// are padded and extra cells dropped, so every row has the header's columns, as long as the padding stays
    /// within half a cell per byte of the table's text: a header of thousands of columns over thousands of one-byte
    /// rows would otherwise make an HTML page of cells quadratic in the answer (28 MB from 10 KB), for anyone
    /// holding the link to ask for. Past that, short rows stay short, which a browser shows as blank space.
    mutating func renderTable(_ lines: [[UInt8]], at start: Int, head: TableHead, depth: Int) -> Int {
        self.output.markup("<div class=\"table\"><table>\n<thead>\n")
        var paddingBudget = (lines[start].count + lines[start + 1].count) / 2
        self.renderRow(head.cells, tag: .header, alignments: head.alignments, paddingBudget: &paddingBudget)
        self.output.markup("</thead>\n")
        var index = start + 2
        if index < lines.count, !Line.isBlank(lines[index]) {
            self.output.markup("<tbody>\n")
            while index < lines.count, !Line.isBlank(lines[index]),
                !Self.interruptsParagraph(lines, at: index, depth: depth)
            {
                paddingBudget += lines[index].count / 2
                self.renderRow(
                    Self.tableCells(lines[index]),
                    tag: .data,
                    alignments: head.alignments,
                    paddingBudget: &paddingBudget
                )
                index += 1
            }
            self.output.markup("</tbody>\n")
        }
        self.output.markup("</table></div>\n")
        return index
    }

    /// Which cell element a row uses.
    private enum CellTag {
        case header, data
    }

    /// Renders a row with the header's columns: extra cells are dropped, and missing ones padded with empty cells
    /// while `paddingBudget` lasts (one per cell).
    private mutating func renderRow(
        _ cells: [ArraySlice<UInt8>],
        tag: CellTag,
        alignments: [TableHead.Alignment],
        paddingBudget: inout Int
    ) {
        self.output.markup("<tr>")
        for (column, alignment) in alignments.enumerated() {
            if column >= cells.count {
                guard paddingBudget > 0 else { break }
                paddingBudget -= 1
            }
            switch (tag, alignment) {
            case (.header, .unaligned): self.output.markup("<th>")
            case (.header, .left): self.output.markup("<th class=\"left\">")
            case (.header, .center): self.output.markup("<th class=\"center\">")
            case (.header, .right): self.output.markup("<th class=\"right\">")
            case (.data, .unaligned): self.output.markup("<td>")
            case (.data, .left): self.output.markup("<td class=\"left\">")
            case (.data, .center): self.output.markup("<td class=\"center\">")
            case (.data, .right): self.output.markup("<td class=\"right\">")
            }
            if column < cells.count {
                InlineRenderer.render(Array(cells[column]), into: &self.output)
            }
            self.output.markup(tag == .header ? "</th>" : "</td>")
        }
        self.output.markup("</tr>\n")
    }

    /// The trimmed cells of a row, split at `|` except where escaped (`\|`) or inside a code span; the outer pipes
    /// are optional.
    static func tableCells(_ line: [UInt8]) -> [ArraySlice<UInt8>] {
        let pipe = UInt8(ascii: "|")
        var body = Line.trimmed(line[...])
        if body.first == pipe {
            body = body.dropFirst()
        }
        if body.last == pipe, !(body.count >= 2 && body[body.endIndex - 2] == UInt8(ascii: "\\")) {
            body = body.dropLast()
        }
        var cells: [ArraySlice<UInt8>] = []
        var cellStart = body.startIndex
        var inCode = false
        var index = body.startIndex
        while index < body.endIndex {
            switch body[index] {
            case UInt8(ascii: "\\") where !inCode:
                index += 1
            case UInt8(ascii: "`"):
                inCode.toggle()
            case pipe where !inCode:
                cells.append(Line.trimmed(body[cellStart..<index]))
                cellStart = index + 1
            default:
                break
            }
            index += 1
        }
        cells.append(Line.trimmed(body[cellStart..<body.endIndex]))
        return cells
    }
}
