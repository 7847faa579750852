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
