import Foundation
import Testing

@testable import Webhooks

@Suite struct MessageSplitterTests {
    @Test func aShortMessageIsOnePost() {
        #expect(MessageSplitter(limit: 100, maxParts: 3).parts(of: "Hello.") == ["Hello."])
    }

    @Test func postsBreakAtParagraphsThenLinesThenWords() {
        let splitter = MessageSplitter(limit: 30, maxParts: 10)
        #expect(splitter.parts(of: "First paragraph here.\n\nSecond one.") == ["First paragraph here.", "Second one."])
        #expect(
            splitter.parts(of: "line one is long\nline two is long too") == [
                "line one is long", "line two is long too",
            ]
        )
        let words = splitter.parts(of: "alpha beta gamma delta epsilon zeta eta theta")
        #expect(words == ["alpha beta gamma delta", "epsilon zeta eta theta"])
    }

    @Test func unbrokenTextIsCutBetweenCharactersNeverInside() {
        let text = String(repeating: "é👍🏽", count: 20)
        let parts = MessageSplitter(limit: 25, maxParts: 20).parts(of: text)
        #expect(parts.joined() == text)
        #expect(parts.allSatisfy { $0.unicodeScalars.count <= 25 })
    }

    @Test func aCharacterLongerThanAPostIsCutBetweenItsScalars() {
        // Whole, it made a post over the limit, which Slack or Mattermost refuses at every retry.
        let cluster = "e" + String(repeating: "\u{301}", count: 10_000)
        let parts = MessageSplitter(limit: 3_900, maxParts: 10).parts(of: "before " + cluster + " after")
        #expect(parts.allSatisfy { $0.unicodeScalars.count <= 3_900 })
        #expect(parts.count == 4, "the word before, the character in three, the word after with its end")
        #expect(Array(parts.joined().unicodeScalars) == Array(("before" + cluster + " after").unicodeScalars))
    }

    @Test func aCodeBlockCutInTwoIsClosedAndReopened() {
        let code = (1...10).map { "let value\($0) = \($0)" }.joined(separator: "\n")
        let text = "Code:\n```swift\n" + code + "\n```\nAfter."
        let parts = MessageSplitter(limit: 80, maxParts: 10).parts(of: text)
        #expect(parts.count > 1)
        for part in parts {
            #expect(part.unicodeScalars.count <= 80)
            // Every post has balanced fences, so each renders its code as code.
            #expect(part.components(separatedBy: "```").count % 2 == 1)
        }
        #expect(parts[1].hasPrefix("```swift\n"))
    }

    @Test func aRunawayAnswerStopsAtTheLastPartAndSaysHowMuchWasLeftOut() {
        let text = String(repeating: "word ", count: 1_000)
        let parts = MessageSplitter(limit: 200, maxParts: 3).parts(of: text)
        #expect(parts.count == 3)
        #expect(parts.allSatisfy { $0.unicodeScalars.count <= 200 })
        #expect(parts[2].hasSuffix("more characters not shown.)_"))
    }

    @Test func slackLinksAndEntitiesAreNeverCutInTwo() {
        let splitter = MessageSplitter(limit: 60, maxParts: 40, isSlackMarkup: true)
        // Links whose labels have spaces, where a word break would land inside them, and entities in unbroken text.
        let links = (1...12).map { "see <https://example.com/page\($0)|the guide part \($0)> now" }.joined(
            separator: " "
        )
        let entities = String(repeating: "a&amp;b&lt;c&gt;", count: 20)
        for text in [links, entities] {
            let parts = splitter.parts(of: text)
            #expect(parts.count > 1)
            for part in parts {
                #expect(part.unicodeScalars.count <= 60)
                #expect(part.filter { $0 == "<" }.count == part.filter { $0 == ">" }.count, "\(part)")
                #expect(part.filter { $0 == "&" }.count == part.filter { $0 == ";" }.count, "\(part)")
            }
        }
        // Markdown is not Slack markup: a literal `<` there does not hold a cut back.
        let markdown = MessageSplitter(limit: 60, maxParts: 40).parts(
            of: "if a < b " + String(repeating: "word ", count: 40)
        )
        #expect(markdown[0].unicodeScalars.count > 50)
    }
}
