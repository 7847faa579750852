import Testing

@testable import Webhooks

/// What a full-reply page shows for the Markdown models write.
@Suite struct MarkdownHTMLRendererTests {
    private func render(_ markdown: String) -> String {
        MarkdownHTMLRenderer().render(markdown)
    }

    @Test(arguments: [
        ("# Title", "<h1>Title</h1>\n"),
        ("### Steps ###", "<h3>Steps</h3>\n"),
        ("Title\n=====", "<h1>Title</h1>\n"),
        ("Sub\n---", "<h2>Sub</h2>\n"),
        ("#hashtag", "<p>#hashtag</p>\n"),
        ("one\ntwo\n\nthree", "<p>one\ntwo</p>\n<p>three</p>\n"),
        ("hard  \nbreak", "<p>hard<br>\nbreak</p>\n"),
        ("also\\\nhard", "<p>also<br>\nhard</p>\n"),
        ("---", "<hr>\n"),
        ("* * *", "<hr>\n"),
    ])
    func headingsParagraphsAndRules(markdown: String, html: String) {
        #expect(self.render(markdown) == html)
    }

    @Test(arguments: [
        (
            "**bold**, __bold__, *em*, _em_",
            "<p><strong>bold</strong>, <strong>bold</strong>, <em>em</em>, <em>em</em></p>\n"
        ),
        ("***both***", "<p><strong><em>both</em></strong></p>\n"),
        ("~~gone~~ but ~kept~", "<p><del>gone</del> but ~kept~</p>\n"),
        ("snake_case_name and 2*3*4 and a * b", "<p>snake_case_name and 2*3*4 and a * b</p>\n"),
        ("use `**kwargs` here", "<p>use <code>**kwargs</code> here</p>\n"),
        ("``a ` b``", "<p><code>a ` b</code></p>\n"),
        ("path `C:\\` ok", "<p>path <code>C:\\</code> ok</p>\n"),
        ("\\*not em\\*", "<p>*not em*</p>\n"),
        ("a & b < c > d \"q\" 'a'", "<p>a &amp; b &lt; c &gt; d &quot;q&quot; &#39;a&#39;</p>\n"),
    ])
    func inlineFormatting(markdown: String, html: String) {
        #expect(self.render(markdown) == html)
    }

    @Test func fencedCodeKeepsEverythingAsTextAndNamesTheLanguage() {
        let markdown = "```swift\nlet a = \"<b>\" && b\n\n  indented *not em*\n```\nafter"
        #expect(
            self.render(markdown)
                == "<pre><code class=\"language-swift\">let a = &quot;&lt;b&gt;&quot; &amp;&amp; b\n\n"
                + "  indented *not em*\n</code></pre>\n<p>after</p>\n"
        )
    }

    @Test func anUnclosedFenceRunsToTheEnd() {
        #expect(self.render("~~~\ncode\nmore") == "<pre><code>code\nmore\n</code></pre>\n")
    }

    @Test func indentedCodeIsCode() {
        #expect(
            self.render("text\n\n    code <x>\n    more")
                == "<p>text</p>\n<pre><code>code &lt;x&gt;\nmore\n</code></pre>\n"
        )
    }

    @Test func listsNestAndNumberedListsKeepTheirStart() {
        let markdown = "- one\n- two\n  1. a\n  2. b\n- three\n\n3. x\n4. y"
        #expect(
            self.render(markdown)
                == "<ul>\n<li>one</li>\n<li>two<ol>\n<li>a</li>\n<li>b</li>\n</ol>\n</li>\n<li>three</li>\n</ul>\n"
                + "<ol start=\"3\">\n<li>x</li>\n<li>y</li>\n</ol>\n"
        )
    }

    @Test func looseListsWrapTheirItemsInParagraphs() {
        #expect(
            self.render("1. first\n\n2. second\n\n   more")
                == "<ol>\n<li><p>first</p>\n</li>\n<li><p>second</p>\n<p>more</p>\n</li>\n</ol>\n"
        )
    }

    @Test func aListItemCanHoldCode() {
        #expect(
            self.render("- run:\n  ```sh\n  make\n  ```")
                == "<ul>\n<li>run:<pre><code class=\"language-sh\">make\n</code></pre>\n</li>\n</ul>\n"
        )
    }

    @Test func blockQuotesNest() {
        #expect(
            self.render("> quoted\nlazy\n> > deeper\n\nout")
                == "<blockquote>\n<p>quoted\nlazy</p>\n<blockquote>\n<p>deeper</p>\n</blockquote>\n</blockquote>\n"
                + "<p>out</p>\n"
        )
    }

    @Test func tablesGetAlignmentAndEveryColumn() {
        let markdown = "| Name | Qty | Note |\n|:-----|----:|:----:|\n| `a|b` | 2 |\n| **c** | 3 | x | extra |"
        #expect(
            self.render(markdown)
                == "<div class=\"table\"><table>\n<thead>\n"
                + "<tr><th class=\"left\">Name</th><th class=\"right\">Qty</th><th class=\"center\">Note</th></tr>\n"
                + "</thead>\n<tbody>\n"
                + "<tr><td class=\"left\"><code>a|b</code></td><td class=\"right\">2</td><td class=\"center\"></td></tr>\n"
                + "<tr><td class=\"left\"><strong>c</strong></td><td class=\"right\">3</td><td class=\"center\">x</td></tr>\n"
                + "</tbody>\n</table></div>\n"
        )
    }

    @Test(arguments: [
        (
            "see [the docs](https://example.com/a?b=1&c=2 \"title\")",
            "<p>see <a href=\"https://example.com/a?b=1&amp;c=2\" rel=\"nofollow noopener noreferrer\">the docs</a></p>\n"
        ),
        (
            "<https://example.com/x_y_z>",
            "<p><a href=\"https://example.com/x_y_z\" rel=\"nofollow noopener noreferrer\">https://example.com/x_y_z</a></p>\n"
        ),
        (
            "mail <mailto:a@example.com>",
            "<p>mail <a href=\"mailto:a@example.com\" rel=\"nofollow noopener noreferrer\">mailto:a@example.com</a></p>\n"
        ),
        (
            "(see https://en.wikipedia.org/wiki/Swift_(language)).",
            "<p>(see <a href=\"https://en.wikipedia.org/wiki/Swift_(language)\" rel=\"nofollow noopener noreferrer\">"
                + "https://en.wikipedia.org/wiki/Swift_(language)</a>).</p>\n"
        ),
        (
            "[**bold** link](http://example.com)",
            "<p><a href=\"http://example.com\" rel=\"nofollow noopener noreferrer\"><strong>bold</strong> link</a></p>\n"
        ),
        (
            "![a cat](https://example.com/cat.png)",
            "<p><img src=\"https://example.com/cat.png\" alt=\"a cat\" loading=\"lazy\"></p>\n"
        ),
        (
            "![plain http](http://example.com/cat.png)",
            "<p><a href=\"http://example.com/cat.png\" rel=\"nofollow noopener noreferrer\">plain http</a></p>\n"
        ),
        ("[relative](/admin)", "<p>[relative](/admin)</p>\n"),
        (
            "[not a link] (https://example.com)",
            "<p>[not a link] (<a href=\"https://example.com\" rel=\"nofollow noopener noreferrer\">https://example.com</a>)</p>\n"
        ),
    ])
    func linksAndImages(markdown: String, html: String) {
        #expect(self.render(markdown) == html)
    }

    @Test func characterReferencesAreShownAsWritten() {
        #expect(self.render("&lt;script&gt; &amp; &#106;") == "<p>&amp;lt;script&amp;gt; &amp;amp; &amp;#106;</p>\n")
    }
}
