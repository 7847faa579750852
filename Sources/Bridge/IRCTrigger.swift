import Foundation
import IRC

/// Decides whether an IRC line is for the bot and what it says.
///
/// In a channel the bot answers lines addressed to it (`gptbot: …`, `gptbot, …`, compared with the server's
/// CASEMAPPING) or starting with the command prefix (`!gpt …`); in a private query every line is for it.
package struct IRCTrigger: Sendable, Hashable {
    /// The command prefix, e.g. `!gpt`.
    package var prefix: String

    /// Creates a trigger.
    package init(prefix: String) {
        self.prefix = prefix
    }

    /// The input in `text`, or `nil` when the line is not for the bot.
    package func input(_ text: String, botNick: String, isPrivate: Bool, caseMapping: CaseMapping) -> ChatInput? {
        let trimmed = text.trimmingSpaces()
        let body: String
        if let rest = self.stripPrefix(trimmed) {
            body = rest
        } else if let rest = Self.stripAddress(trimmed, nick: botNick, caseMapping: caseMapping) {
            // `gptbot: !gpt status` is a command too, not a question about the text "!gpt status".
            body = self.stripPrefix(rest) ?? rest
        } else if isPrivate {
            body = trimmed
        } else {
            return nil
        }
        // A bare `gptbot:` or `!gpt` asks what the bot can do.
        guard !body.isEmpty else { return .command(.help) }
        if let command = ChatCommand.parse(body) { return .command(command) }
        return .question(body)
    }

    private func stripPrefix(_ text: String) -> String? {
        guard text.lowercased().hasPrefix(self.prefix.lowercased()) else { return nil }
        let rest = text.dropFirst(self.prefix.count)
        guard rest.isEmpty || rest.first == " " else { return nil }
        return rest.trimmingSpaces()
    }

    private static func stripAddress(_ text: String, nick: String, caseMapping: CaseMapping) -> String? {
        guard text.count > nick.count else { return nil }
        let head = String(text.prefix(nick.count))
        let separatorIndex = text.index(text.startIndex, offsetBy: nick.count)
        guard caseMapping.equal(head, nick), [":", ","].contains(text[separatorIndex]) else { return nil }
        return text[text.index(after: separatorIndex)...].trimmingSpaces()
    }
}

extension StringProtocol {
    /// The text without the spaces and tabs at either end: what `trimmingCharacters(in: .whitespaces)` removes
    /// (Unicode's space separators and the tab), without the trip through `NSString` that cost every line a copy.
    package func trimmingSpaces() -> String {
        let scalars = self.unicodeScalars
        guard let first = scalars.firstIndex(where: { !$0.isSpace }) else { return "" }
        let last = scalars.lastIndex(where: { !$0.isSpace })!
        return String(self[first...last])
    }
}

extension Unicode.Scalar {
    /// A space separator (general category Zs), a tab or the zero width space (a space separator in older Unicode,
    /// which Foundation's set still holds): exactly `CharacterSet.whitespaces`, checked over every scalar.
    fileprivate var isSpace: Bool {
        self == "\t" || self == "\u{200B}" || self.properties.generalCategory == .spaceSeparator
    }
}
