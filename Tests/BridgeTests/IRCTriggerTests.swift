import Bridge
import Foundation
import IRC
import Testing

@Suite struct IRCTriggerTests {
    let trigger = IRCTrigger(prefix: "!gpt")

    func input(_ text: String, isPrivate: Bool = false) -> ChatInput? {
        self.trigger.input(text, botNick: "GptBot", isPrivate: isPrivate, caseMapping: .rfc1459)
    }

    @Test(arguments: [
        "", " ", "\t", "plain", "  two sides \t", "\u{A0}nbsp\u{A0}", "\u{3000}ideographic\u{2003}",
        "\nnewline kept\n", " e\u{301} ", " \u{301}mark first", "emoji 👍🏽 ", "\u{200B}zero width\u{200B}",
    ])
    func spacesAreTrimmedAsFoundationTrimsWhitespaces(text: String) {
        #expect(text.trimmingSpaces() == text.trimmingCharacters(in: .whitespaces))
    }

    @Test func addressedLinesAndThePrefixTrigger() {
        #expect(self.input("gptbot: what is IRC?") == .question("what is IRC?"))
        #expect(self.input("GPTBOT, explain TLS") == .question("explain TLS"))
        #expect(self.input("!gpt why is the sky blue") == .question("why is the sky blue"))
        #expect(self.input("  !GPT   spaced out  ") == .question("spaced out"))
    }

    @Test func otherChannelLinesDoNot() {
        #expect(self.input("hello everyone") == nil)
        #expect(self.input("gptbot is a nice bot") == nil)
        #expect(self.input("!gptx something") == nil)
        #expect(self.input("gptbot2: hi") == nil)
    }

    @Test func everyPrivateLineIsForTheBot() {
        #expect(self.input("hello there", isPrivate: true) == .question("hello there"))
        #expect(self.input("reset", isPrivate: true) == .command(.reset))
    }

    @Test func commandsAreRecognisedOnlyInTheirExactShape() {
        #expect(self.input("!gpt reset") == .command(.reset))
        #expect(self.input("gptbot: status") == .command(.status))
        #expect(self.input("!gpt use g-3w1rEXGE0") == .command(.use("g-3w1rEXGE0")))
        #expect(self.input("!gpt model gpt-4o-mini") == .command(.model("gpt-4o-mini")))
        #expect(self.input("!gpt help") == .command(.help))
        #expect(self.input("!gpt") == .command(.help))
        #expect(self.input("!gpt help me write a haiku") == .question("help me write a haiku"))
        #expect(self.input("!gpt use the force") == .question("use the force"))
    }

    /// `!gpt use` or `!gpt model` without its argument is a command typed half-way, not the one-word question "use"
    /// for GoAPI: the help says what goes after it.
    @Test(arguments: ["!gpt use", "!gpt model", "gptbot: MODEL"])
    func aSettingsCommandWithoutItsArgumentShowsTheHelp(line: String) {
        #expect(self.input(line) == .command(.help))
    }

    /// People who address the bot by nick often still type the prefix (`gptbot: !gpt status`); that is a command,
    /// not a question for the GPT about the text "!gpt status".
    @Test(arguments: [
        ("gptbot: !gpt status", ChatInput.command(.status)),
        ("GptBot, !gpt reset", .command(.reset)),
        ("gptbot: !GPT model gpt-4o-mini", .command(.model("gpt-4o-mini"))),
    ])
    func aPrefixedCommandAddressedByNickIsStillACommand(line: String, expected: ChatInput) {
        #expect(self.input(line) == expected)
        #expect(self.input(line, isPrivate: true) == expected)
    }

    @Test func casemappingAppliesToTheNick() {
        let trigger = IRCTrigger(prefix: "!gpt")
        #expect(
            trigger.input("bot[1]: hi", botNick: "BOT{1}", isPrivate: false, caseMapping: .rfc1459) == .question("hi")
        )
        #expect(trigger.input("bot[1]: hi", botNick: "BOT{1}", isPrivate: false, caseMapping: .ascii) == nil)
    }
}
