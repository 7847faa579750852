import Common
import Foundation

/// Turns the assistant's Markdown into Slack `mrkdwn`, which differs in the details users see: `*bold*` instead of
/// `**bold**`, `_italic_`, `~strike~`, `<url|text>` links, no headings, and `&`, `<`, `>` escaped. Code blocks and
/// inline code keep their content, escaped only. Pure and line-based: a reply is never lost to a formatting rule,
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
            } else {
                lines.append(Self.block(line))
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

    /// One line outside code blocks: headings become bold lines, list bullets become `•`.
    private static func block(_ line: Substring) -> String {
        let characters = Array(line)
        if let title = Self.headingTitle(in: characters) {
            return "*" + Self.inline(Substring(characters[title])) + "*"
        }
        if let (indent, item) = Self.bulletItem(in: characters) {
            return String(characters[indent]) + "• " + Self.inline(Substring(characters[item]))
        }
        return Self.inline(line)
    }

    /// Inline markup, leaving `code spans` alone apart from escaping.
    private static func inline(_ text: Substring) -> String {
        var result = ""
        var inCode = false
        for (index, segment) in text.split(separator: "`", omittingEmptySubsequences: false).enumerated() {
            if index > 0 { result += "`" }
            result += inCode ? SlackText.escape(segment) : Self.styled(segment)
            inCode.toggle()
        }
        return result
    }

    /// Links, emphasis and strike-through in text outside code.
    private static func styled(_ text: Substring) -> String {
        let characters = Array(text)
        var result = ""
        var done = 0
        for link in Self.links(in: characters) {
            result += Self.emphasis(SlackText.escape(String(characters[done..<link.whole.lowerBound])))
            // `<`, `>` and `|` are Slack's own markup: an address holding `<!here|…` would become a mention that
            // notifies the channel once a post boundary cut the link.
            let url = String(characters[link.url]).replacing(">", with: "%3E").replacing("<", with: "%3C")
                .replacing("|", with: "%7C")
            result += "<\(url)|\(SlackText.escape(String(characters[link.label])))>"
            done = link.whole.upperBound
        }
        return result + Self.emphasis(SlackText.escape(String(characters[done...])))
    }

    private static func emphasis(_ text: String) -> String {
        // Bold first, through a placeholder, so its asterisks are not read as italics afterwards.
        let bold = Self.replacingSpans(in: Array(text), delimitedBy: ["*", "_"], with: "\u{1}")
        let italic = Self.replacingItalics(in: bold)
        let strike = Self.replacingSpans(in: italic, delimitedBy: ["~"], with: "~")
        return String(strike).replacingOccurrences(of: "\u{1}", with: "*")
    }
}
