extension MarkdownFlattener {
    /// One flattened line and whether it was ordinary paragraph text (which a setext underline can make a heading).
    struct BlockLine {
        /// The flattened text; empty when the line shows nothing on IRC.
        var text: String
        /// Whether the line was plain paragraph text.
        var isParagraph: Bool
    }

    /// Flattens one line outside code blocks: headings, rules, quotes, list items, table rows or paragraph text.
    static func flattenBlockLine(_ line: Substring) -> BlockLine {
        let trimmed = Self.trimmingBlanks(line)
        guard let first = trimmed.first, !Self.isThematicBreak(trimmed) else {
            return BlockLine(text: "", isParagraph: false)
        }
        if let title = Self.headingText(trimmed) {
            let text = Self.inline(title)
            return BlockLine(text: text.isEmpty ? "" : Self.bold(text), isParagraph: false)
        }
        if first == ">" {
            var inner = trimmed.dropFirst()
            if inner.first == " " {
                inner = inner.dropFirst()
            }
            let quoted = Self.flattenBlockLine(inner).text
            let separator = quoted.hasPrefix(">") ? "" : " "
            return BlockLine(text: quoted.isEmpty ? "" : ">\(separator)\(quoted)", isParagraph: false)
        }
        let indent = line.prefix { $0 == " " || $0 == "\t" }
        if let item = Self.bulletItem(trimmed) {
            return BlockLine(text: "\(indent)• \(Self.inline(item))", isParagraph: false)
        }
        if let (marker, item) = Self.orderedItem(trimmed) {
            return BlockLine(text: "\(indent)\(marker) \(Self.inline(item))", isParagraph: false)
        }
        if first == "|" {
            return BlockLine(text: Self.tableRow(trimmed), isParagraph: false)
        }
        return BlockLine(text: Self.inline(line), isParagraph: true)
    }

    /// Whether `line` is a horizontal rule (three or more `-`, `*` or `_`, spaces allowed between), which IRC
    /// does not need: the next line already starts on its own.
    private static func isThematicBreak(_ line: Substring) -> Bool {
        guard let first = line.first, first == "-" || first == "*" || first == "_" else {
            return false
        }
        let marks = line.filter { $0 != " " && $0 != "\t" }
        return marks.count >= 3 && marks.allSatisfy { $0 == first }
    }

    /// The title of an ATX heading (`## Title ##`), or `nil` when `line` is not one.
    private static func headingText(_ line: Substring) -> Substring? {
        let hashes = line.prefix { $0 == "#" }
        guard (1...6).contains(hashes.count) else {
            return nil
        }
        let rest = line.dropFirst(hashes.count)
        guard rest.isEmpty || rest.first == " " || rest.first == "\t" else {
            return nil
        }
        var title = Self.trimmingBlanks(rest)
        let closing = title.reversed().prefix { $0 == "#" }.count
        if closing == title.count {
            title = title.dropLast(closing)
        } else if closing > 0, title.dropLast(closing).last == " " {
            title = Self.trimmingBlanks(title.dropLast(closing))
        }
        return title
    }

    /// The text of a `-`, `*` or `+` bullet item, or `nil` when `line` is not one.
    private static func bulletItem(_ line: Substring) -> Substring? {
        guard let first = line.first, first == "-" || first == "*" || first == "+" else {
            return nil
        }
        let rest = line.dropFirst()
        guard rest.isEmpty || rest.first == " " || rest.first == "\t" else {
            return nil
        }
        return Self.trimmingBlanks(rest)
    }

    /// The marker (`3.` or `3)`) and text of a numbered item, or `nil` when `line` is not one.
    private static func orderedItem(_ line: Substring) -> (marker: Substring, text: Substring)? {
        let digits = line.prefix { $0.isASCII && $0.isNumber }
        guard (1...9).contains(digits.count) else {
            return nil
        }
        let rest = line.dropFirst(digits.count)
        guard let delimiter = rest.first, delimiter == "." || delimiter == ")" else {
            return nil
        }
        let text = rest.dropFirst()
        guard text.isEmpty || text.first == " " || text.first == "\t" else {
            return nil
        }
        return (line.prefix(digits.count + 1), Self.trimmingBlanks(text))
    }
}
