import BridgeTesting
import Testing

@testable import Webhooks

/// Model output is untrusted: whatever it writes, the page holds only the renderer's own tags and attributes, and
/// links only to http, https and mailto addresses.
@Suite struct MarkdownHTMLRendererInjectionTests {
    /// A hostile input and a piece of text its page must show literally (so it was neither dropped nor executed).
    struct Attempt: Sendable, CustomTestStringConvertible {
        var markdown: String
        var shownAs: String
        var testDescription: String { self.markdown }
    }

    static let attempts: [Attempt] = [
        Attempt(markdown: "<script>alert(1)</script>", shownAs: "&lt;script&gt;alert(1)&lt;/script&gt;"),
        Attempt(markdown: "<img src=x onerror=alert(1)>", shownAs: "&lt;img src=x onerror=alert(1)&gt;"),
        Attempt(
            markdown: "<a href=\"javascript:alert(1)\">x</a>",
            shownAs: "&lt;a href=&quot;javascript:alert(1)&quot;&gt;"
        ),
        Attempt(markdown: "[x](javascript:alert(1))", shownAs: "[x](javascript:alert(1))"),
        Attempt(markdown: "[x](JaVaScRiPt:alert(1))", shownAs: "[x](JaVaScRiPt:alert(1))"),
        Attempt(markdown: "[x]( javascript:alert(1))", shownAs: "[x]( javascript:alert(1))"),
        Attempt(markdown: "[x](\n javascript:alert(1))", shownAs: "javascript:alert(1))"),
        Attempt(markdown: "[x](<javascript:alert(1)>)", shownAs: "[x](&lt;javascript:alert(1)&gt;)"),
        Attempt(markdown: "[x](< javascript:alert(1)>)", shownAs: "[x](&lt; javascript:alert(1)&gt;)"),
        Attempt(markdown: "[x](java\tscript:alert(1))", shownAs: "[x](java\tscript:alert(1))"),
        Attempt(markdown: "[x](java&#115;cript:alert(1))", shownAs: "[x](java&amp;#115;cript:alert(1))"),
        Attempt(markdown: "[x](javascript&#58;alert(1))", shownAs: "[x](javascript&amp;#58;alert(1))"),
        Attempt(markdown: "[x](%6Aavascript:alert(1))", shownAs: "[x](%6Aavascript:alert(1))"),
        Attempt(markdown: "[x](\\javascript:alert(1))", shownAs: "[x](\\javascript:alert(1))"),
        Attempt(markdown: "[x](https:javascript:alert(1))", shownAs: "[x](https:javascript:alert(1))"),
        Attempt(
            markdown: "[x](data:text/html,<script>alert(1)</script>)",
            shownAs: "[x](data:text/html,&lt;script&gt;alert(1)&lt;/script&gt;)"
        ),
        Attempt(
            markdown: "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
            shownAs: "[x](data:text/html;base64,"
        ),
        Attempt(markdown: "[x](vbscript:msgbox(1))", shownAs: "[x](vbscript:msgbox(1))"),
        Attempt(markdown: "![x](javascript:alert(1))", shownAs: "![x](javascript:alert(1))"),
        Attempt(markdown: "<javascript:alert(1)>", shownAs: "&lt;javascript:alert(1)&gt;"),
        Attempt(markdown: "<JAVASCRIPT:alert(1)>", shownAs: "&lt;JAVASCRIPT:alert(1)&gt;"),
        Attempt(
            markdown: "[a\"b](https://example.com/\"onmouseover=\"alert(1))",
            shownAs: "href=\"https://example.com/&quot;onmouseover=&quot;alert(1)\""
        ),
        Attempt(
            markdown: "[x](https://example.com/'onmouseover='alert(1))",
            shownAs: "href=\"https://example.com/&#39;onmouseover=&#39;alert(1)\""
        ),
        Attempt(
            markdown: "[x](<https://example.com/a b\" onclick=\"alert(1)>)",
            shownAs: "href=\"https://example.com/a%20b&quot;%20onclick=&quot;alert(1)\""
        ),
        Attempt(
            markdown: "![x\" onerror=\"alert(1)](https://example.com/i.png)",
            shownAs: "alt=\"x&quot; onerror=&quot;alert(1)\""
        ),
        Attempt(markdown: "[<script>](https://example.com)", shownAs: ">&lt;script&gt;</a>"),
        Attempt(
            markdown: "https://example.com/\"><script>alert(1)</script>",
            shownAs: "&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;"
        ),
        Attempt(
            markdown: "```html\n<script>alert(1)</script>\n<img src=x onerror=alert(1)>\n```",
            shownAs: "&lt;script&gt;alert(1)&lt;/script&gt;\n&lt;img src=x onerror=alert(1)&gt;"
        ),
        Attempt(markdown: "```\"><script>alert(1)</script>\nx\n```", shownAs: "class=\"language-scriptalert1script\""),
        Attempt(markdown: "`<b onclick=alert(1)>`", shownAs: "<code>&lt;b onclick=alert(1)&gt;</code>"),
        Attempt(markdown: "| <b>x</b> |\n|---|\n| <i>y</i> |", shownAs: "&lt;i&gt;y&lt;/i&gt;"),
        Attempt(
            markdown: "# <style>body{display:none}</style>",
            shownAs: "&lt;style&gt;body{display:none}&lt;/style&gt;"
        ),
        Attempt(markdown: "<!-- comment --> <![CDATA[x]]>", shownAs: "&lt;!-- comment --&gt; &lt;![CDATA[x]]&gt;"),
        Attempt(markdown: "a\u{0}b\u{1B}c\u{7F}d", shownAs: "abcd"),
        Attempt(markdown: "<\u{338}script>", shownAs: "&lt;\u{338}script&gt;"),
        Attempt(markdown: "\"\u{301}><script>", shownAs: "&quot;\u{301}&gt;&lt;script&gt;"),
    ]

    @Test(arguments: Self.attempts)
    func hostileMarkdownStaysText(attempt: Attempt) {
        let html = MarkdownHTMLRenderer().render(attempt.markdown)
        let inspection = HTMLInspection(html)
        #expect(inspection.problems.isEmpty, "\(html)")
        #expect(!html.lowercased().contains("<script"), "\(html)")
        #expect(html.contains(attempt.shownAs), "\(html)")
    }

    /// Fragments that matter to HTML or to the renderer, in random order, must never add a tag or an attribute.
    @Test(arguments: 0..<200)
    func randomMixturesOfHostileFragmentsAreSafe(seed: UInt64) {
        let fragments = [
            "<script>", "</script>", "<img src=x onerror=alert(1)>", "javascript:", "JaVaScRiPt:", "data:", "vbscript:",
            "[", "]", "(", ")", "![", "](", "<", ">", "\"", "'", "`", "```", "*", "**", "_", "~~", "\\", "&", "&#58;",
            "\n", "\n\n", " ", "  ", "\t", "- ", "1. ", "> ", "# ", "|", "---", "https://example.com/", "http://",
            "mailto:", "x", "onmouseover=", "=", "\u{0}", "é", "\u{301}",
        ]
        var random = SeededRandom(seed: seed)
        let markdown = (0..<60).map { _ in fragments.randomElement(using: &random)! }.joined()
        let html = MarkdownHTMLRenderer().render(markdown)
        let inspection = HTMLInspection(html)
        #expect(inspection.problems.isEmpty, "\(markdown.debugDescription) -> \(html)")
    }
}
