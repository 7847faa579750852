import Common
import Foundation

/// Turns the assistant's Markdown into Slack `mrkdwn`, which differs in the details users see: `*bold*` instead of
/// `**bold**`, `_italic_`, `~strike~`, `<url|text>` links, no headings or tables, and `&`, `<`, `>` escaped. Code
/// blocks and inline code keep their content, escaped only. Pure and line-based: a reply is never lost to a formatting rule,
/// at worst a marker is shown as typed.
///
/// The rules are hand-written scans (`SlackMarkdown+Scanning.swift`) that take time linear in the line: the answer
/// comes from upstream, and the regular expressions they replace backtracked over the rest of the line at every
/// unclosed marker, so a 40 KB line of `**a ` held up the reply for 45 s.
enum SlackMarkdown {
    /// The `mrkdwn` form of `markdown`.
    static func mrkdwn(fromMarkdown markdown: String) -> String {
        var lines: [String] = []
        var inFence = false
        for line in markdown.withUnixLineEndings.split(separator: "\n", omittingEmptySubsequences: false) {
            let trimmed = line.drop { $0 == " " }
            if !inFence, let code = Self.oneLineCodeBlock(trimmed) {
                // ```npm install``` on one line is its own block; read as an opening fence, the code was dropped as
                // a language tag and the rest of the answer became code.
                lines.append("```" + SlackText.escape(code) + "```")
            } else if trimmed.hasPrefix("```") {
                // Slack shows a fence's language tag as code, so the tag is dropped.
                inFence.toggle()
                lines.append("```")
            } else if inFence {
                lines.append(SlackText.escape(line))
            } else if let block = Self.block(line) {
                lines.append(block)
            }
        }
        return lines.joined(separator: "\n")
    }

    /// The code of a line that opens and closes a fence itself (```` ```code``` ````), if it is one.
    private static func oneLineCodeBlock(_ line: Substring) -> Substring? {
        guard line.hasPrefix("```") else { return nil }
        let rest = line.dropFirst(3)
        guard let close = rest.firstRange(of: "```"), !rest[..<close.lowerBound].isEmpty,
            rest[close.upperBound...].allSatisfy({ $0 == " " || $0 == "`" })
        else { return nil }
        return rest[..<close.lowerBound]
    }

    /// One line outside code blocks: headings become bold lines, list bullets become `•`, table rows `cell | cell`;
    /// `nil` for a line that shows nothing (a thematic break, a table's alignment row).
    private static func block(_ line: Substring) -> String? {
        let trimmed = line.drop { $0 == " " || $0 == "\t" }
        if Self.isThematicBreak(trimmed) { return nil }
        if trimmed.first == "|" {
            return Self.tableCells(trimmed).map { cells in cells.map { Self.inline($0) }.joined(separator: " | ") }
        }
        let characters = Array(line)
        if let title = Self.headingTitle(in: characters) {
            return "*" + Self.inline(Substring(characters[title])) + "*"
        }
        if let (indent, item) = Self.bulletItem(in: characters) {
            return String(characters[indent]) + "• " + Self.inline(Substring(characters[item]))
        }
        return Self.inline(line)
    }

    /// Inline markup. Code spans and links are set aside first, each as one placeholder character, so that emphasis
    /// pairs over the whole line as in Markdown: `**Use `npm ci`**` and `**[Docs](https://…)**` are bold (handled
    /// piece by piece, their `**` stayed as typed). The pieces then come back in order: code escaped only, links as
    /// `<url|label>`. Control characters are dropped first: the emphasis pass uses one as its own marker, and Slack
    /// shows none of them.
    private static func inline(_ text: Substring) -> String {
        var masked: [Character] = []
        var codes: [String] = []
        let segments = text.filter { !Self.isControl($0) }.split(separator: "`", omittingEmptySubsequences: false)
        for (index, segment) in segments.enumerated() {
            guard index % 2 == 1 else {
                masked += segment
                continue
            }
            // A span still open at the end of the line keeps its opening backtick only, as typed.
            let closing = index < segments.count - 1 ? "`" : ""
            codes.append("`" + SlackText.escape(segment) + closing)
            masked.append(Self.codePlaceholder)
        }
        var withoutLinks: [Character] = []
        var links: [String] = []
        var done = 0
        for link in Self.links(in: masked) where !masked[link.url].contains(Self.codePlaceholder) {
            withoutLinks += masked[done..<link.whole.lowerBound]
            // An image (`![alt](url)`) becomes a link to it: Slack shows no images inline, and the `!` stayed.
            if masked[link.whole.lowerBound] == "[", withoutLinks.last == "!" { withoutLinks.removeLast() }
            // `<`, `>` and `|` are Slack's own markup: an address holding `<!here|…` would become a mention that
            // notifies the channel once a post boundary cut the link.
            let url = String(masked[link.url]).replacing(">", with: "%3E").replacing("<", with: "%3C")
                .replacing("|", with: "%7C")
            links.append("<\(url)|\(SlackText.escape(String(masked[link.label])))>")
            withoutLinks.append(Self.linkPlaceholder)
            done = link.whole.upperBound
        }
        withoutLinks += masked[done...]
        let styled = Self.emphasis(SlackText.escape(String(withoutLinks)))
        return Self.restoring(Self.codePlaceholder, codes, in: Self.restoring(Self.linkPlaceholder, links, in: styled))
    }

    /// Stand for a code span and a link while emphasis is paired: Unicode noncharacters, which no text exchanged
    /// between programs holds (one that does anyway is dropped with the control characters).
    private static let codePlaceholder = Character(Unicode.Scalar(0xFDD0)!)
    private static let linkPlaceholder = Character(Unicode.Scalar(0xFDD1)!)

    private static func isControl(_ character: Character) -> Bool {
        character == codePlaceholder || character == linkPlaceholder
            || character.unicodeScalars.allSatisfy { $0.value < 0x20 && $0 != "\t" || $0.value == 0x7F }
    }

    /// `text` with each `placeholder`, in order, replaced by the next of `pieces`.
    private static func restoring(_ placeholder: Character, _ pieces: [String], in text: String) -> String {
        guard !pieces.isEmpty else { return text }
        var result = ""
        var next = pieces.makeIterator()
        for character in text {
            if character == placeholder, let piece = next.next() {
                result += piece
            } else {
                result.append(character)
            }
        }
        return result
    }

    private static func emphasis(_ text: String) -> String {
        // Bold first, through a placeholder, so its asterisks are not read as italics afterwards.
        let bold = Self.replacingSpans(in: Array(text), delimitedBy: ["*", "_"], with: "\u{1}")
        let italic = Self.replacingItalics(in: bold)
        let strike = Self.replacingSpans(in: italic, delimitedBy: ["~"], with: "~")
        return String(strike).replacingOccurrences(of: "\u{1}", with: "*")
    }
}
