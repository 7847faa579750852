import Foundation

/// Turns the assistant's Markdown into Slack `mrkdwn`, which differs in the details users see: `*bold*` instead of
/// `**bold**`, `_italic_`, `~strike~`, `<url|text>` links, no headings, and `&`, `<`, `>` escaped. Code blocks and
/// inline code keep their content, escaped only. Pure and line-based: a reply is never lost to a formatting rule,
/// at worst a marker is shown as typed.
enum SlackMarkdown {
    /// The `mrkdwn` form of `markdown`.
    static func mrkdwn(fromMarkdown markdown: String) -> String {
        var lines: [String] = []
        var inFence = false
        for line in markdown.split(separator: "\n", omittingEmptySubsequences: false) {
            let trimmed = line.drop { $0 == " " }
            if trimmed.hasPrefix("```") {
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

    /// One line outside code blocks: headings become bold lines, list bullets become `•`.
    private static func block(_ line: Substring) -> String {
        if let match = line.wholeMatch(of: Self.heading) {
            return "*" + Self.inline(match.output.1) + "*"
        }
        if let match = line.wholeMatch(of: Self.bullet) {
            return match.output.1 + "• " + Self.inline(match.output.2)
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
        var result = ""
        var rest = text
        while let match = rest.firstMatch(of: Self.link) {
            result += Self.emphasis(SlackText.escape(rest[..<match.range.lowerBound]))
            let url = match.output.2.replacingOccurrences(of: ">", with: "%3E")
            result += "<\(url)|\(SlackText.escape(match.output.1))>"
            rest = rest[match.range.upperBound...]
        }
        return result + Self.emphasis(SlackText.escape(rest))
    }

    private static func emphasis(_ text: String) -> String {
        text
            // Bold first, through a placeholder, so its asterisks are not read as italics afterwards.
            .replacing(Self.bold) { "\u{1}" + $0.output.2 + "\u{1}" }
            .replacing(Self.italic) { $0.output.1 + "_" + $0.output.2 + "_" }
            .replacing(Self.strike) { "~" + $0.output.1 + "~" }
            .replacingOccurrences(of: "\u{1}", with: "*")
    }

    nonisolated(unsafe) private static let heading = try! Regex<(Substring, Substring)>(#"#{1,6}\s+(.+?)\s*#*\s*"#)
    nonisolated(unsafe) private static let bullet = try! Regex<(Substring, Substring, Substring)>(#"(\s*)[-*+]\s+(.*)"#)
    nonisolated(unsafe) private static let link = try! Regex<(Substring, Substring, Substring)>(
        #"\[([^\]]+)\]\((https?://[^)\s]+)\)"#
    )
    nonisolated(unsafe) private static let bold = try! Regex<(Substring, Substring, Substring)>(
        #"(\*\*|__)(\S(?:.*?\S)?)\1"#
    )
    nonisolated(unsafe) private static let italic = try! Regex<(Substring, Substring, Substring)>(
        #"(^|[^*\w])\*(\S(?:[^*]*?\S)?)\*(?![*\w])"#
    )
    nonisolated(unsafe) private static let strike = try! Regex<(Substring, Substring)>(#"~~(\S(?:.*?\S)?)~~"#)
}
