extension MarkdownFlattener {
    /// A table row as `cell | cell | cell`, or `""` for the `|---|:--:|` row that only sets alignment.
    ///
    /// IRC clients use proportional fonts often enough that padding columns would not line up anyway, so cells are
    /// trimmed and joined with ` | `, which still reads as a row.
    static func tableRow(_ line: Substring) -> String {
        let cells = Self.tableCells(line)
        let isAlignmentRow = cells.allSatisfy { cell in
            let dashes = cell.drop { $0 == ":" }.reversed().drop { $0 == ":" }
            return !dashes.isEmpty && dashes.allSatisfy { $0 == "-" }
        }
        if isAlignmentRow {
            return ""
        }
        return cells.map { Self.inline($0) }.joined(separator: " | ")
    }

    /// The trimmed cells of `line`, split at `|` except where escaped (`\|`) or inside inline code.
    private static func tableCells(_ line: Substring) -> [Substring] {
        var body = line
        if body.first == "|" {
            body = body.dropFirst()
        }
        if body.last == "|", body.dropLast().last != "\\" {
            body = body.dropLast()
        }
        var cells: [Substring] = []
        var cellStart = body.startIndex
        var inCode = false
        var index = body.startIndex
        while index < body.endIndex {
            let character = body[index]
            if character == "\\" {
                index = body.index(after: index)
            } else if character == "`" {
                inCode.toggle()
            } else if character == "|" && !inCode {
                cells.append(Self.trimmingBlanks(body[cellStart..<index]))
                cellStart = body.index(after: index)
            }
            if index < body.endIndex {
                index = body.index(after: index)
            }
        }
        cells.append(Self.trimmingBlanks(body[cellStart...]))
        return cells
    }
}
