/// Tables and thematic breaks, which Slack's `mrkdwn` has no form for: shown as typed, a table was rows of pipes
/// under a `|---|---|` line, and a `***` break came out as a stray bold marker.
extension SlackMarkdown {
    /// Whether `line` is a thematic break: three or more of one of `-`, `*`, `_`, with only blanks between them.
    static func isThematicBreak(_ line: Substring) -> Bool {
        let marks = line.filter { $0 != " " && $0 != "\t" }
        guard marks.count >= 3, let mark = marks.first, "-*_".contains(mark) else { return false }
        return marks.allSatisfy { $0 == mark }
    }

    /// The cells of a table row (a line starting with `|`): split at each `|` that is neither escaped (`\|`, shown as
    /// `|` even in code, as GitHub's tables do) nor inside inline code, the outer pipes dropped and each cell trimmed. `nil` for the `|---|:--:|` row,
    /// which only sets alignment and shows nothing.
    static func tableCells(_ row: Substring) -> [Substring]? {
        var cells: [Substring] = []
        var cell = ""
        var inCode = false
        var characters = row.dropFirst()[...]
        while let character = characters.popFirst() {
            if character == "\\", characters.first == "|" {
                cell.append("|")
                characters = characters.dropFirst()
            } else if character == "|", !inCode {
                cells.append(Self.trimmed(cell))
                cell = ""
            } else {
                if character == "`" { inCode.toggle() }
                cell.append(character)
            }
        }
        if !Self.trimmed(cell).isEmpty || cells.isEmpty { cells.append(Self.trimmed(cell)) }
        let isAlignmentRow = cells.allSatisfy { cell in
            let dashes = cell.drop { $0 == ":" }.reversed().drop { $0 == ":" }
            return !dashes.isEmpty && dashes.allSatisfy { $0 == "-" }
        }
        return isAlignmentRow ? nil : cells
    }

    private static func trimmed(_ text: String) -> Substring {
        let isBlank = { (character: Character) in character == " " || character == "\t" }
        guard let first = text.firstIndex(where: { !isBlank($0) }), let last = text.lastIndex(where: { !isBlank($0) })
        else { return "" }
        return text[first...last]
    }
}
