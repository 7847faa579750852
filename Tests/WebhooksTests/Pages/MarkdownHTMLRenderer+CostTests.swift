import BridgeTesting
import Testing

@testable import Webhooks

/// Anyone holding a link can have its page rendered, so crafted text must not make rendering slow: the work stays
/// about linear in the text.
@Suite struct MarkdownHTMLRendererCostTests {
    /// A crafted input, named so test output does not print it.
    struct Input: Sendable, CustomTestStringConvertible {
        var name: String
        var markdown: String
        var testDescription: String { "\(self.name) (\(self.markdown.utf8.count) bytes)" }
    }

    static let crafted: [Input] = [
        Input(name: "unmatched emphasis", markdown: String(repeating: "*a _b ", count: 20_000)),
        Input(name: "unmatched strong", markdown: String(repeating: "**a ", count: 20_000)),
        Input(name: "unmatched brackets", markdown: String(repeating: "[", count: 60_000)),
        Input(name: "unclosed links", markdown: String(repeating: "[a](b", count: 20_000)),
        Input(
            name: "overlapping destinations",
            markdown: String(repeating: "[a](b" + String(repeating: "(c)", count: 100), count: 300)
        ),
        Input(name: "unclosed titles", markdown: String(repeating: "[a](b \"", count: 15_000)),
        Input(name: "backtick runs", markdown: (1...300).map { String(repeating: "`", count: $0) + "x" }.joined()),
        Input(name: "unclosed autolinks", markdown: String(repeating: "<https://", count: 12_000)),
        Input(name: "deep quotes", markdown: String(repeating: ">", count: 50_000) + " x"),
        Input(
            name: "deep lists",
            markdown: (0..<300).map { String(repeating: "  ", count: $0) + "- x" }.joined(separator: "\n")
        ),
        Input(
            name: "deep emphasis",
            markdown: String(repeating: "*a ", count: 5_000) + String(repeating: "a* ", count: 5_000)
        ),
        Input(name: "many table rows", markdown: "|a|b|\n|-|-|\n" + String(repeating: "|`x|y`|\\|z|\n", count: 10_000)),
        Input(
            name: "wide table over short rows",
            markdown: String(repeating: "a|", count: 3_000) + "\n" + String(repeating: "-|", count: 3_000) + "\n"
                + String(repeating: "x\n", count: 20_000)
        ),
    ]

    /// Each input renders in at most 0.2 s of CPU in a debug build, and quadratic behaviour on these inputs takes
    /// minutes, so a loose 10 s bound tells the two apart. CPU time, not wall time: on a loaded machine running
    /// every suite at once, the thread may wait for a core far longer than it computes.
    @Test(arguments: Self.crafted)
    func craftedTextRendersQuickly(input: Input) {
        let started = threadCPUTime()
        let html = MarkdownHTMLRenderer().render(input.markdown)
        let spent = threadCPUTime() - started
        #expect(spent < .seconds(10), "\(spent) of CPU")
        // The page stays about linear in size too: a wide table padding every short row used to make 28 MB of
        // cells from 10 KB. The most any of these needs is about 9 bytes of HTML per byte of text.
        #expect(html.utf8.count <= 16 * input.markdown.utf8.count, "\(html.utf8.count) bytes of HTML")
    }
}
