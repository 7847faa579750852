import Foundation

/// Slack's message markup, both ways: incoming text to plain text for the question, and the assistant's Markdown to
/// Slack `mrkdwn` for the reply.
enum SlackText {
    /// Plain text of an incoming message: the bot's own mentions removed, `<url|label>` links and `<#C|name>`
    /// channel references spelled out, and the three escaped characters (`&amp;`, `&lt;`, `&gt;`) restored.
    static func plain(_ text: String, removingMentionsOf botUserIDs: Set<String>) -> String {
        var result = ""
        var rest = Substring(text)
        while let open = rest.firstIndex(of: "<"), let close = rest[open...].firstIndex(of: ">") {
            result += rest[..<open]
            let inner = rest[rest.index(after: open)..<close]
            result += Self.reference(inner, botUserIDs: botUserIDs)
            rest = rest[rest.index(after: close)...]
        }
        result += rest
        return Self.unescape(result).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// A `<…>` reference as plain text.
    private static func reference(_ inner: Substring, botUserIDs: Set<String>) -> String {
        let parts = inner.split(separator: "|", maxSplits: 1)
        let target = parts.first.map(String.init) ?? ""
        let label = parts.count > 1 ? String(parts[1]) : nil
        if target.hasPrefix("@") {
            let id = String(target.dropFirst())
            return botUserIDs.contains(id) ? "" : "@" + (label ?? id)
        }
        if target.hasPrefix("#") { return "#" + (label ?? String(target.dropFirst())) }
        if target.hasPrefix("!") { return "@" + (label ?? String(target.dropFirst())) }
        guard let label, label != target else { return target }
        return "\(label) (\(target))"
    }

    private static func unescape(_ text: String) -> String {
        text.replacingOccurrences(of: "&lt;", with: "<")
            .replacingOccurrences(of: "&gt;", with: ">")
            .replacingOccurrences(of: "&amp;", with: "&")
    }

    /// The three characters Slack requires escaped in message text.
    static func escape(_ text: some StringProtocol) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;")
            .replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;")
    }
}
