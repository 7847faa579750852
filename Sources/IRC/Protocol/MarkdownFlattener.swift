/// Turns the Markdown a model writes into plain lines an IRC client shows well.
///
/// IRC has no Markdown; raw `**`, `#` and `[text](url)` make replies noisy. Emphasis becomes IRC bold (0x02) and
/// italic (0x1D), headings become bold lines, bullets become `•`, links become `text <url>` so the URL stays
/// clickable, and fences disappear while code lines are kept verbatim. Inline code loses its backticks and keeps its
/// text untouched rather than using the monospace code (0x11): few clients render 0x11 and irssi shows it as a
/// visible control character, while plain text reads right everywhere. HTML is left as text, because guessing at
/// tags would mangle code that merely mentions them. Control characters are not this type's concern: the
/// ``ReplySplitter`` removes them from whatever comes out.
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
        var output: [String] = []
        var fence: Fence?
        var previousIsParagraph = false
        let lines = markdown.split(omittingEmptySubsequences: false) { $0 == "\n" || $0 == "\r\n" }
        for line in lines {
            if let open = fence {
                if open.isClosed(by: line) {
                    fence = nil
                } else {
                    output.append(self.codeBlockIndent + line)
                }
                previousIsParagraph = false
                continue
            }
            if let opening = Fence(opening: line) {
                fence = opening
                previousIsParagraph = false
                continue
            }
            if previousIsParagraph, let last = output.last, Self.isSetextUnderline(line) {
                output[output.count - 1] = Self.bold(last)
                previousIsParagraph = false
                continue
            }
            let block = Self.flattenBlockLine(line)
            output.append(block.text)
            previousIsParagraph = block.isParagraph
        }
        return output.filter { !$0.isEmpty }.joined(separator: "\n")
    }

    /// `text` wrapped in IRC bold, as headings are shown.
    static func bold(_ text: String) -> String {
        "\u{02}\(text)\u{02}"
    }

    /// Whether `line` is a run of `=` or `-` that turns the paragraph line above it into a heading.
    private static func isSetextUnderline(_ line: Substring) -> Bool {
        let trimmed = Self.trimmingBlanks(line)
        guard let first = trimmed.first, first == "=" || first == "-" else {
            return false
        }
        return trimmed.allSatisfy { $0 == first }
    }

    /// `text` without leading and trailing spaces and tabs.
    static func trimmingBlanks(_ text: Substring) -> Substring {
        let isBlank = { (character: Character) in character == " " || character == "\t" }
        let start = text.firstIndex { !isBlank($0) } ?? text.endIndex
        let end = text[start...].lastIndex { !isBlank($0) }.map { text.index(after: $0) } ?? start
        return text[start..<end]
    }
}
