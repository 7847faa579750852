/// Renders the Markdown a model writes as HTML for a full-reply page, safely.
///
/// The model's text is untrusted: a user can ask it to write anything, including HTML and script. So no raw HTML is
/// ever passed through (a tag is shown as the text it is), every piece of text is escaped (``HTMLOutput``), and a
/// link or image becomes one only when its address is `http:`, `https:` or `mailto:` (``SafeURL``); anything else
/// (`javascript:`, `data:`, relative paths, tricks with case, spaces or entities) stays visible as plain text.
/// Character references such as `&amp;` are not decoded, for the same reason: they are shown as written.
///
/// The Markdown understood is what models use: ATX and setext headings, paragraphs with soft and hard breaks,
/// emphasis, strong, strikethrough, code spans, fenced and indented code blocks (a fence's language becomes a
/// `language-…` class), nested bullet and numbered lists, block quotes, links, images, autolinks and bare URLs,
/// GitHub-style tables and horizontal rules. It follows CommonMark where that is simple and is stricter elsewhere
/// (emphasis opens and closes only at word boundaries, like ``MarkdownFlattener`` on IRC).
///
/// Pure and bounded: the work grows about linearly with the text however it is crafted (nesting is capped, failed
/// searches are remembered, URLs are capped in length), because anyone holding a link can have a page rendered.
package struct MarkdownHTMLRenderer: Sendable {
    /// Block quotes and list items nest at most this deep; deeper markers are shown as text.
    static let maximumBlockDepth = 16
    /// Emphasis and links nest at most this deep; deeper delimiters are shown as text.
    static let maximumInlineDepth = 32

    /// Creates a renderer.
    package init() {}

    /// The HTML for `markdown`: a sequence of block elements, to be placed inside a page's `<body>`.
    package func render(_ markdown: String) -> String {
        var blocks = BlockRenderer()
        blocks.render(Self.lines(of: markdown), depth: 0, tight: false)
        return blocks.output.string
    }

    /// The lines of `text`, split at LF, CR LF and CR, with tabs in each line's indentation expanded to the next
    /// multiple of four columns, so indentation can be measured in spaces.
    static func lines(of text: String) -> [[UInt8]] {
        var lines: [[UInt8]] = []
        var line: [UInt8] = []
        var previous: UInt8 = 0
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "\n") where previous == UInt8(ascii: "\r"):
                break
            case UInt8(ascii: "\n"), UInt8(ascii: "\r"):
                lines.append(Self.expandingIndentTabs(line))
                line.removeAll(keepingCapacity: true)
            default:
                line.append(byte)
            }
            previous = byte
        }
        lines.append(Self.expandingIndentTabs(line))
        return lines
    }

    private static func expandingIndentTabs(_ line: [UInt8]) -> [UInt8] {
        guard line.prefix(while: Line.isSpaceOrTab).contains(UInt8(ascii: "\t")) else { return line }
        var expanded: [UInt8] = []
        var index = 0
        while index < line.count, Line.isSpaceOrTab(line[index]) {
            let width = line[index] == UInt8(ascii: "\t") ? 4 - expanded.count % 4 : 1
            expanded += repeatElement(UInt8(ascii: " "), count: width)
            index += 1
        }
        return expanded + line[index...]
    }
}

/// Byte-level helpers for a line of Markdown (UTF-8).
enum Line {
    /// A space or a tab.
    static func isSpaceOrTab(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t")
    }

    /// Whether the line holds nothing but spaces and tabs.
    static func isBlank(_ line: some Collection<UInt8>) -> Bool {
        line.allSatisfy(Self.isSpaceOrTab)
    }

    /// Leading spaces (tabs there were already expanded).
    static func indentation(_ line: [UInt8]) -> Int {
        line.prefix { $0 == UInt8(ascii: " ") }.count
    }

    /// The line without leading and trailing spaces and tabs.
    static func trimmed(_ line: ArraySlice<UInt8>) -> ArraySlice<UInt8> {
        guard let first = line.firstIndex(where: { !Self.isSpaceOrTab($0) }),
            let last = line.lastIndex(where: { !Self.isSpaceOrTab($0) })
        else { return line[line.endIndex...] }
        return line[first...last]
    }

    /// Whether `byte` is an ASCII letter or digit, or part of a non-ASCII character (most of which are letters),
    /// for the word-boundary rules of emphasis and bare URLs.
    static func isWordByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"), 0x80...:
            true
        default:
            false
        }
    }

    /// Whitespace as Markdown means it: space, tab, line feed.
    static func isWhitespace(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") || byte == UInt8(ascii: "\n")
    }

    /// ASCII punctuation, which a backslash escapes.
    static func isPunctuation(_ byte: UInt8) -> Bool {
        switch byte {
        case 0x21...0x2F, 0x3A...0x40, 0x5B...0x60, 0x7B...0x7E: true
        default: false
        }
    }
}
