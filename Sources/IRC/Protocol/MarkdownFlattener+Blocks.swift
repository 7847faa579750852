extension MarkdownFlattener {
    /// Flattens the characters in `range` of a line outside code blocks (a heading, rule, quote, list item, table
    /// row or paragraph text) onto the end of `output`, which is left as it was when the line shows nothing on IRC.
    /// - Returns: whether the line was plain paragraph text, which a setext underline can make a heading.
    static func flattenBlockLine(_ line: LineCharacters, _ range: Range<Int>, into output: inout [UInt8]) -> Bool {
        let trimmed = line.trimmingBlanks(range)
        guard let first = trimmed.first, !Self.isThematicBreak(line, trimmed) else {
            return false
        }
        if let title = Self.headingText(line, trimmed) {
            let start = output.count
            output.append(0x02)
            Self.inline(line, title, into: &output)
            // The whole heading is bold: bold inside it (`### **Step 1:** Install`, as models write) would toggle
            // it off on IRC, showing "Step 1:" plain and the rest bold.
            let inner = output[(start + 1)...].filter { $0 != 0x02 }
            output.replaceSubrange((start + 1)..., with: inner)
            if output.count == start + 1 {
                output.removeLast()
            } else {
                output.append(0x02)
            }
            return false
        }
        if line.isCharacter(first, ">") {
            Self.quote(line, trimmed, into: &output)
            return false
        }
        let indent = line.prefix(of: range) { line.isCharacter($0, " ") || line.isCharacter($0, "\t") }
        if let item = Self.bulletItem(line, trimmed) {
            output += line.bytes(of: indent)
            output += "• ".utf8
            Self.inline(line, item, into: &output)
            return false
        }
        if let (marker, item) = Self.orderedItem(line, trimmed) {
            output += line.bytes(of: indent)
            output += line.bytes(of: marker)
            output.append(UInt8(ascii: " "))
            Self.inline(line, item, into: &output)
            return false
        }
        if line.isCharacter(first, "|") {
            Self.tableRow(line, trimmed, into: &output)
            return false
        }
        Self.inline(line, range, into: &output)
        return true
    }

    /// Flattens a quote line (`trimmed` starts with `>`): one `>` per level, then a space and the quoted line,
    /// flattened as a line of its own; nothing when that shows nothing. The levels are counted in a loop rather
    /// than by recursion: an answer with a line of 60,000 `>` must not exhaust the stack.
    private static func quote(_ line: LineCharacters, _ trimmed: Range<Int>, into output: inout [UInt8]) {
        var depth = 0
        var inner = trimmed
        while true {
            inner = inner.dropFirst()
            if let space = inner.first, line.isCharacter(space, " ") {
                inner = inner.dropFirst()
            }
            depth += 1
            let next = line.trimmingBlanks(inner)
            guard let first = next.first, line.isCharacter(first, ">") else { break }
            inner = next
        }
        let start = output.count
        output += repeatElement(UInt8(ascii: ">"), count: depth)
        output.append(UInt8(ascii: " "))
        let body = output.count
        _ = Self.flattenBlockLine(line, inner, into: &output)
        if output.count == body {
            output.removeSubrange(start...)
        } else if Self.startsWithQuoteMarker(output[body...]) {
            output.remove(at: body - 1)
        }
    }

    /// Whether flattened text starts with the character `>`, so a nested quote reads `>> text`.
    private static func startsWithQuoteMarker(_ text: ArraySlice<UInt8>) -> Bool {
        guard let first = text.first, first == UInt8(ascii: ">") else {
            return false
        }
        // A following ASCII byte cannot join the `>` into a longer character; anything else is left to `String`.
        let second = text.dropFirst().first
        return second.map { $0 < 0x80 } ?? true || String(decoding: text, as: UTF8.self).hasPrefix(">")
    }

    /// Whether `range` is a horizontal rule (three or more `-`, `*` or `_`, spaces allowed between), which IRC
    /// does not need: the next line already starts on its own.
    private static func isThematicBreak(_ line: LineCharacters, _ range: Range<Int>) -> Bool {
        guard let first = range.first,
            line.isCharacter(first, "-") || line.isCharacter(first, "*") || line.isCharacter(first, "_")
        else {
            return false
        }
        var marks = 0
        for index in range where !line.isCharacter(index, " ") && !line.isCharacter(index, "\t") {
            guard line.isSameCharacter(index, as: first) else {
                return false
            }
            marks += 1
        }
        return marks >= 3
    }

    /// The title of an ATX heading (`## Title ##`), or `nil` when `range` is not one.
    private static func headingText(_ line: LineCharacters, _ range: Range<Int>) -> Range<Int>? {
        let hashes = line.prefix(of: range) { line.isCharacter($0, "#") }
        guard (1...6).contains(hashes.count) else {
            return nil
        }
        let rest = hashes.upperBound..<range.upperBound
        guard rest.isEmpty || line.isCharacter(rest.lowerBound, " ") || line.isCharacter(rest.lowerBound, "\t") else {
            return nil
        }
        var title = line.trimmingBlanks(rest)
        let closing = title.reversed().prefix { line.isCharacter($0, "#") }.count
        if closing == title.count {
            title = title.dropLast(closing)
        } else if closing > 0, line.isCharacter(title.upperBound - closing - 1, " ") {
            title = line.trimmingBlanks(title.dropLast(closing))
        }
        return title
    }

    /// The text of a `-`, `*` or `+` bullet item, or `nil` when `range` is not one.
    private static func bulletItem(_ line: LineCharacters, _ range: Range<Int>) -> Range<Int>? {
        guard let first = range.first,
            line.isCharacter(first, "-") || line.isCharacter(first, "*") || line.isCharacter(first, "+")
        else {
            return nil
        }
        let rest = range.dropFirst()
        guard rest.isEmpty || line.isCharacter(rest.lowerBound, " ") || line.isCharacter(rest.lowerBound, "\t") else {
            return nil
        }
        return line.trimmingBlanks(rest)
    }

    /// The marker (`3.` or `3)`) and text of a numbered item, or `nil` when `range` is not one.
    private static func orderedItem(
        _ line: LineCharacters,
        _ range: Range<Int>
    ) -> (marker: Range<Int>, text: Range<Int>)? {
        let digits = line.prefix(of: range) { line.isASCIIDigit($0) }
        guard (1...9).contains(digits.count) else {
            return nil
        }
        let delimiter = digits.upperBound
        guard delimiter < range.upperBound, line.isCharacter(delimiter, ".") || line.isCharacter(delimiter, ")") else {
            return nil
        }
        let text = (delimiter + 1)..<range.upperBound
        guard text.isEmpty || line.isCharacter(text.lowerBound, " ") || line.isCharacter(text.lowerBound, "\t") else {
            return nil
        }
        return (range.lowerBound..<(delimiter + 1), line.trimmingBlanks(text))
    }
}
