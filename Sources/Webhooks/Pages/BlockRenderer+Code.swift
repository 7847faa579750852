extension BlockRenderer {
    /// An open fenced code block: what it is made of, how it was indented, and its language.
    struct Fence {
        /// `` ` `` or `~`.
        var character: UInt8
        /// The opening run's length; the closing run must be at least as long.
        var length: Int
        /// The opening fence's indentation, removed from the content lines too.
        var indent: Int
        /// The first word of the info string, reduced to characters a class name needs (`c++`, `objective-c`,
        /// `c#`, `x86.asm`); empty when there is none.
        var language: [UInt8]

        /// Recognises an opening fence: three or more backticks or tildes, then an optional info string (which
        /// for backtick fences may not hold a backtick, so inline code such as ``` ``` `x` ``` ``` stays inline).
        init?(opening body: ArraySlice<UInt8>, indent: Int) {
            guard let first = body.first, first == UInt8(ascii: "`") || first == UInt8(ascii: "~") else { return nil }
            let length = body.prefix { $0 == first }.count
            let info = Line.trimmed(body.dropFirst(length))
            guard length >= 3, first == UInt8(ascii: "~") || !info.contains(UInt8(ascii: "`")) else { return nil }
            self.character = first
            self.length = length
            self.indent = indent
            self.language = Array(
                info.prefix { !Line.isSpaceOrTab($0) }.filter(Self.isLanguageByte).prefix(Self.maximumLanguageLength)
            )
        }

        /// Longer "languages" are not names of one.
        static let maximumLanguageLength = 40

        private static func isLanguageByte(_ byte: UInt8) -> Bool {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "+"),
                UInt8(ascii: "#"), UInt8(ascii: "."):
                true
            default:
                false
            }
        }

        /// Whether `line` closes this fence: up to three spaces, a long-enough run of the same character, nothing
        /// else.
        func isClosed(by line: [UInt8]) -> Bool {
            let indent = Line.indentation(line)
            guard indent < 4 else { return false }
            let body = Line.trimmed(line[indent...])
            return body.count >= self.length && body.allSatisfy { $0 == self.character }
        }
    }

    /// A fenced code block up to its closing fence, or to the end when the model never closed it.
    mutating func renderFencedCode(_ lines: [[UInt8]], at start: Int, fence: Fence) -> Int {
        var end = start + 1
        while end < lines.count, !fence.isClosed(by: lines[end]) {
            end += 1
        }
        let content = lines[(start + 1)..<end].map { line in
            Array(line.dropFirst(min(fence.indent, Line.indentation(line))))
        }
        self.renderCode(content, language: fence.language)
        return min(end + 1, lines.count)
    }

    /// Lines indented by four or more spaces (blank lines between them included).
    mutating func renderIndentedCode(_ lines: [[UInt8]], at start: Int) -> Int {
        var end = start
        var lastCode = start
        while end < lines.count, Line.isBlank(lines[end]) || Line.indentation(lines[end]) >= 4 {
            if !Line.isBlank(lines[end]) {
                lastCode = end
            }
            end += 1
        }
        let content = lines[start...lastCode].map { Array($0.dropFirst(min(4, Line.indentation($0)))) }
        self.renderCode(content, language: [])
        return lastCode + 1
    }

    /// `<pre><code>` with every line escaped; the language, if any, as `class="language-…"`.
    private mutating func renderCode(_ content: [[UInt8]], language: [UInt8]) {
        if language.isEmpty {
            self.output.markup("<pre><code>")
        } else {
            self.output.markup("<pre><code class=\"language-")
            self.output.text(language)
            self.output.markup("\">")
        }
        for line in content {
            self.output.text(line)
            self.output.markup("\n")
        }
        self.output.markup("</code></pre>\n")
    }
}
