import BridgeTesting
import Testing

@testable import Webhooks

/// Every answer is converted whole before it is posted to Slack, and the answer comes from upstream, so crafted
/// text must not hold the reply up: the work stays about linear in the text.
@Suite struct SlackMarkdownCostTests {
    /// A crafted answer, named so test output does not print it.
    struct Input: Sendable, CustomTestStringConvertible {
        var name: String
        var markdown: String
        var testDescription: String { "\(self.name) (\(self.markdown.utf8.count) bytes)" }
    }

    /// About 200 KB each, on one line: the conversion works line by line.
    static let crafted: [Input] = [
        Input(name: "unclosed bold", markdown: String(repeating: "**a ", count: 50_000)),
        Input(name: "unclosed underscore bold", markdown: String(repeating: "__a ", count: 50_000)),
        Input(name: "unclosed strike-through", markdown: String(repeating: "~~a ", count: 50_000)),
        Input(name: "unclosed italics", markdown: String(repeating: "*a _b ", count: 33_000)),
        Input(name: "unmatched brackets", markdown: String(repeating: "[", count: 200_000)),
        Input(name: "unclosed links", markdown: String(repeating: "[a](http://", count: 18_000)),
        Input(name: "unclosed links with open parentheses", markdown: String(repeating: "[a](http://(", count: 16_000)),
        Input(name: "unclosed autolinks", markdown: String(repeating: "<https://a[b](", count: 14_000)),
        Input(name: "table row of escaped pipes", markdown: "|" + String(repeating: "\\|`", count: 66_000)),
        Input(name: "heading with inner space", markdown: "# a" + String(repeating: " ", count: 200_000) + "b"),
        Input(name: "heading with inner hashes", markdown: "# " + String(repeating: " #", count: 100_000) + "b"),
    ]

    /// Each input converts in under 1 s of CPU in a debug build; the quadratic rules this guards against took 0.4 s
    /// for 4 KB of unclosed bold, so 15 minutes and more for these, and a loose 5 s bound tells the two apart. CPU
    /// time, not wall time, so a loaded machine running every suite at once does not make the test fail.
    @Test(arguments: Self.crafted)
    func craftedAnswersConvertQuickly(input: Input) {
        let started = threadCPUTime()
        let converted = SlackMarkdown.mrkdwn(fromMarkdown: input.markdown)
        let spent = threadCPUTime() - started
        #expect(spent < .seconds(5), "\(spent) of CPU")
        #expect(converted.count >= input.markdown.count / 2, "the answer is converted, not dropped")
    }
}
