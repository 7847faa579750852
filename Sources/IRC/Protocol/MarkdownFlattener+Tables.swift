extension MarkdownFlattener {
    /// Writes a table row as `cell | cell | cell`, or nothing for the `|---|:--:|` row that only sets alignment.
    ///
    /// IRC clients use proportional fonts often enough that padding columns would not line up anyway, so cells are
    /// trimmed and joined with ` | `, which still reads as a row.
    static func tableRow(_ line: LineCharacters, _ range: Range<Int>, into output: inout [UInt8]) {
        let cells = Self.tableCells(line, range)
        let isAlignmentRow = cells.allSatisfy { cell in
            let dashes = cell.drop { line.isCharacter($0, ":") }.reversed().drop { line.isCharacter($0, ":") }
            return !dashes.isEmpty && dashes.allSatisfy { line.isCharacter($0, "-") }
        }
        if isAlignmentRow {
            return
        }
        for (index, cell) in cells.enumerated() {
            if index > 0 {
                output += " | ".utf8
            }
            Self.inline(line, cell, into: &output)
        }
    }

    /// The trimmed cells of `range`, split at `|` except where escaped (`\|`) or inside inline code.
    private static func tableCells(_ line: LineCharacters, _ range: Range<Int>) -> [Range<Int>] {
        var body = range
        if let first = body.first, line.isCharacter(first, "|") {
            body = body.dropFirst()
        }
        if let last = body.last, line.isCharacter(last, "|"),
            !(last > body.lowerBound && line.isCharacter(last - 1, "\\"))
        {
            body = body.dropLast()
        }
        var cells: [Range<Int>] = []
        var cellStart = body.lowerBound
        var inCode = false
        var index = body.lowerBound
        while index < body.upperBound {
            if line.isCharacter(index, "\\") {
                index += 1
            } else if line.isCharacter(index, "`") {
                inCode.toggle()
            } else if line.isCharacter(index, "|") && !inCode {
                cells.append(line.trimmingBlanks(cellStart..<index))
                cellStart = index + 1
            }
            if index < body.upperBound {
                index += 1
            }
        }
        cells.append(line.trimmingBlanks(cellStart..<body.upperBound))
        return cells
    }
}
