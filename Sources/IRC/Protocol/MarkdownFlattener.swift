import Common

/// Turns the Markdown a model writes into plain lines an IRC client shows well.
///
/// IRC has no Markdown; raw `**`, `#` and `[text](url)` make replies noisy. Emphasis becomes IRC bold (0x02) and
/// italic (0x1D), headings become bold lines, bullets become `•`, links become `text <url>` so the URL stays
/// clickable, and fences disappear while code lines are kept verbatim. Inline code loses its backticks and keeps its
/// text untouched rather than using the monospace code (0x11): few clients render 0x11 and irssi shows it as a
/// visible control character, while plain text reads right everywhere. HTML is left as text, because guessing at
/// tags would mangle code that merely mentions them. Control characters are not this type's concern: the
/// ``ReplySplitter`` removes them from whatever comes out.
///
/// Every rule is stated in characters (grapheme clusters); the work happens on each line's UTF-8 through
/// ``LineCharacters``, which keeps `Character`'s boundaries and equality, so a 1 MB reply flattens in milliseconds.
package struct MarkdownFlattener: Sendable, Hashable {
    /// What goes before each line of a fenced code block, so code stands apart from prose.
    package var codeBlockIndent: String

    /// Creates a flattener; code block lines get `codeBlockIndent` before them.
    package init(codeBlockIndent: String = "  ") {
        self.codeBlockIndent = codeBlockIndent
    }

    /// The flattened text: one output line per Markdown line (minus fences, rules and table separators), joined
    /// with LF and ready for ``ReplySplitter/split(_:firstLinePrefix:)``.
    package func flatten(_ markdown: String) -> String {
        let markdown = Self.withoutFormattingCodes(markdown)
        var output = Output()
        output.bytes.reserveCapacity(markdown.utf8.count)
        var fence: Fence?
        var previousIsParagraph = false
        for text in Self.lines(of: markdown) {
            let line = LineCharacters(text)
            if let open = fence {
                if open.isClosed(by: line) {
                    fence = nil
                } else {
                    output.appendLine { $0 += self.codeBlockIndent.utf8 + line.bytes }
                }
                previousIsParagraph = false
                continue
            }
            if let opening = Fence(opening: line) {
                fence = opening
                previousIsParagraph = false
                continue
            }
            if previousIsParagraph, Self.isSetextUnderline(line, 0..<line.count) {
                output.boldenLast()
                previousIsParagraph = false
                continue
            }
            previousIsParagraph = output.appendLine { Self.flattenBlockLine(line, 0..<line.count, into: &$0) }
        }
        return String(decoding: output.bytes, as: UTF8.self)
    }

    /// The flattened lines so far: the non-empty ones joined with LF, as the result is built.
    private struct Output {
        /// The UTF-8 of the result so far.
        var bytes: [UInt8] = []
        /// Where the last line starts in ``bytes``, or `nil` when it was empty (and so left out).
        var lastStart: Int?

        /// Appends the line `write` writes; an empty one leaves no trace but is still "the last line".
        @discardableResult
        mutating func appendLine<Result>(_ write: (inout [UInt8]) -> Result) -> Result {
            let mark = self.bytes.count
            if !self.bytes.isEmpty {
                self.bytes.append(UInt8(ascii: "\n"))
            }
            let start = self.bytes.count
            let result = write(&self.bytes)
            if self.bytes.count == start {
                self.bytes.removeSubrange(mark...)
                self.lastStart = nil
            } else {
                self.lastStart = start
            }
            return result
        }

        /// Turns the last line into a heading; an empty one becomes a visible pair of bold codes, as wrapping
        /// an empty string in bold would.
        mutating func boldenLast() {
            guard let start = self.lastStart else {
                self.appendLine { $0 += [0x02, 0x02] }
                return
            }
            self.bytes.insert(0x02, at: start)
            self.bytes.append(0x02)
        }
    }

    /// `text` without the IRC formatting codes it carries itself: bold, colour (with its digits), reset, monospace,
    /// reverse, italic, strikethrough, underline. They come from the model, which a prompt can steer: white on white
    /// or reversed text would hide words from readers, and an unbalanced code would restyle the rest of the line.
    /// The flattener's own codes are added afterwards.
    static func withoutFormattingCodes(_ text: String) -> String {
        guard text.utf8.contains(where: { ReplySplitter.isFormattingCode($0) }) else { return text }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.utf8.count)
        var utf8 = text.utf8.makeIterator()
        var pending: UInt8? = nil
        while let byte = pending ?? utf8.next() {
            pending = nil
            guard ReplySplitter.isFormattingCode(byte) else {
                bytes.append(byte)
                continue
            }
            guard byte == 0x03 else { continue }
            // `\x03` takes up to two digits of foreground, then `,` and up to two of background. Returns how many
            // digits it skipped; the byte that ended them waits in `pending`.
            let skipDigits = { () -> Int in
                var digits = 0
                while digits < 2, let next = utf8.next() {
                    guard (0x30...0x39).contains(next) else {
                        pending = next
                        break
                    }
                    digits += 1
                }
                return digits
            }
            guard skipDigits() > 0, pending == nil, let comma = utf8.next() else { continue }
            guard comma == UInt8(ascii: ",") else {
                pending = comma
                continue
            }
            if skipDigits() == 0 {
                // A comma with no colour after it is text.
                bytes.append(UInt8(ascii: ","))
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// `text` cut at its line breaks: `"\n"`, `"\r\n"` and a lone `"\r"`.
    ///
    /// Found by looking for LF bytes rather than walking characters: an LF is always a character of its own or the
    /// second half of CR LF, so the cuts are the same, without measuring every character of the reply first.
    static func lines(of text: String) -> [Substring] {
        // A lone CR (old Mac line endings) is a line break too; left in, the sanitizer drops it and glues the lines.
        var text = text.withUnixLineEndings
        text.makeContiguousUTF8()  // A no-op for native strings; keeps index arithmetic below constant-time.
        let utf8 = text.utf8
        var breaks: [(start: Int, end: Int)] = []
        let scanned: Void? = utf8.withContiguousStorageIfAvailable { bytes in
            var offset = 0
            while offset < bytes.count {
                if offset + 8 <= bytes.count, !Self.hasLineFeed(bytes, at: offset) {
                    offset += 8
                    continue
                }
                if bytes[offset] == UInt8(ascii: "\n") {
                    let start = offset > 0 && bytes[offset - 1] == UInt8(ascii: "\r") ? offset - 1 : offset
                    breaks.append((start, offset + 1))
                }
                offset += 1
            }
        }
        guard scanned != nil else {
            preconditionFailure("Invalid state: contiguous UTF-8 without contiguous storage")
        }
        var lines: [Substring] = []
        lines.reserveCapacity(breaks.count + 1)
        var lineStart = 0
        for (start, end) in breaks + [(utf8.count, utf8.count)] {
            let from = utf8.index(utf8.startIndex, offsetBy: lineStart)
            lines.append(text[from..<utf8.index(from, offsetBy: start - lineStart)])
            lineStart = end
        }
        return lines
    }

    /// Whether the eight bytes from `offset` hold an LF (the classic zero-byte test on the bytes XOR LF).
    private static func hasLineFeed(_ bytes: UnsafeBufferPointer<UInt8>, at offset: Int) -> Bool {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let word = UnsafeRawPointer(bytes.baseAddress! + offset).loadUnaligned(as: UInt64.self) ^ (ones &* 0x0A)
        return (word &- ones) & ~word & (ones &* 0x80) != 0
    }

    /// Whether the characters in `range` are a run of `=` or `-` that turns the paragraph line above into a heading.
    private static func isSetextUnderline(_ line: LineCharacters, _ range: Range<Int>) -> Bool {
        let trimmed = line.trimmingBlanks(range)
        guard let first = trimmed.first, line.isCharacter(first, "=") || line.isCharacter(first, "-") else {
            return false
        }
        return trimmed.allSatisfy { line.isSameCharacter($0, as: first) }
    }
}
