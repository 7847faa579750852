import Foundation
import Testing

@testable import Webhooks

@Suite struct MattermostTextTests {
    static let joiner = "\u{2060}"

    @Test(arguments: [
        ("Use @channel to notify everyone.", "Use @\u{2060}channel to notify everyone."),
        ("@here, @ALL and (@all)!", "@\u{2060}here, @\u{2060}ALL and (@\u{2060}all)!"),
        ("Slack writes <!channel> and <!here>.", "Slack writes <\u{2060}!channel> and <\u{2060}!here>."),
    ])
    func channelWideMentionsAreMadeInert(markdown: String, expected: String) {
        #expect(MattermostText.withoutChannelMentions(markdown) == expected)
    }

    @Test(arguments: [
        "Ask @alice or @allison, or @channels-team.",
        "Mail team@all.example.com or ops@here.example.",
        "Inline `@channel` stays as written.",
        "```\nnotify(@channel) <!here>\n```",
        "No mention at all.",
    ])
    func everythingElseIsLeftAsWritten(markdown: String) {
        #expect(MattermostText.withoutChannelMentions(markdown) == markdown)
    }

    @Test func codeAfterAFenceIsTextAgain() {
        let markdown = "```\n@here\n```\nthen @here"
        #expect(MattermostText.withoutChannelMentions(markdown) == "```\n@here\n```\nthen @\u{2060}here")
    }
}

/// Mentions Mattermost's server still finds after the defusing: its parser decodes character references, splits
/// words at `.`, `-` and `:` and trims `_`, and counts text after an unclosed backtick (which is no code span).
@Suite struct MattermostTextMentionParserTests {
    /// What the server sees as words after the Markdown is parsed, reduced to the rules that matter here
    /// (mattermost `processText`): words split at anything but letters, digits and `:.-_@`, leading `:.-_` trimmed,
    /// trailing `.-:_` trimmed, and the word split again at `.-:`.
    static func notifiesEveryone(_ text: String) -> Bool {
        let decoded = text.replacingOccurrences(of: "&#64;", with: "@")
        let words = decoded.split { character in
            !(character.isLetter || character.isNumber || ":.-_@".contains(character))
        }
        for word in words {
            let trimmed = String(word.drop { ":.-_".contains($0) })
            var candidates = [trimmed]
            var stripped = Substring(trimmed)
            while let last = stripped.last, ".-:_".contains(last) {
                stripped = stripped.dropLast()
                candidates.append(String(stripped))
            }
            candidates += trimmed.split { ".-:".contains($0) }.map(String.init)
            if candidates.contains(where: { ["@channel", "@all", "@here"].contains($0.lowercased()) }) {
                return true
            }
        }
        return false
    }

    @Test(arguments: [
        "Ping _@channel_ before the release.",
        "Heads up.@here the build is red.",
        "Status-@all: deploy at noon.",
        "Use &#64;channel to notify everyone.",
        "Press ` then @channel to notify everyone.",
    ])
    func noChannelWideMentionSurvives(markdown: String) {
        let defused = MattermostText.withoutChannelMentions(markdown)
        // None of these holds a closed code span, so all of the text is text to the server.
        #expect(!Self.notifiesEveryone(defused), "\(defused.debugDescription) still notifies the whole channel")
    }
}
