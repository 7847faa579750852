import Testing

@testable import Webhooks

@Suite struct SlackMarkdownTests {
    @Test(arguments: [
        ("**bold** and __also bold__", "*bold* and *also bold*"),
        ("an *italic* word", "an _italic_ word"),
        ("~~gone~~", "~gone~"),
        ("***both*** and ___both___", "*_both_* and *_both_*"),
        ("**bold *italic* bold**", "*bold _italic_ bold*"),
        // Emphasis around links and code, the way models write list items and advice.
        ("**See [the docs](https://example.com/d) now**", "*See <https://example.com/d|the docs> now*"),
        ("- **[Docs](https://e.com/docs)**", "• *<https://e.com/docs|Docs>*"),
        ("- **Item [a](https://e.com/a):** desc", "• *Item <https://e.com/a|a>:* desc"),
        ("**Use `npm ci`** in CI", "*Use `npm ci`* in CI"),
        ("*run `x` now* and *it [l](https://e.com/l)*", "_run `x` now_ and _it <https://e.com/l|l>_"),
        ("[`code` label](https://e.com) and `open", "<https://e.com|`code` label> and `open"),
        (
            "![diagram](https://example.com/d.png) and 3! [x](https://e.x)",
            "<https://example.com/d.png|diagram> and 3! <https://e.x|x>"
        ),
        // Control characters reach no one on Slack, and the CTCP marker is not a bold marker.
        ("\u{1}ACTION dances\u{1} nul\u{0}[] \u{7F}x", "ACTION dances nul[] x"),
        ("see [the docs](https://example.com/a?b=1&c=2)", "see <https://example.com/a?b=1&c=2|the docs>"),
        ("# Title", "*Title*"),
        ("### Steps ###", "*Steps*"),
        ("- one\n* two\n  + nested", "• one\n• two\n  • nested"),
        ("a < b && c > d", "a &lt; b &amp;&amp; c &gt; d"),
        ("use `**kwargs` here", "use `**kwargs` here"),
        ("2 * 3 * 4", "2 * 3 * 4"),
        ("#\ttitle  ##  ", "*title*"),
        ("####### seven hashes", "####### seven hashes"),
        ("- item **x** and *y*", "• item *x* and _y_"),
        ("a*b* and snake_case_name", "a*b* and snake_case_name"),
        ("[x](ftp://e.x) [y](http://e x)", "[x](ftp://e.x) [y](http://e x)"),
        ("[[x](https://e.x/a>b)", "<https://e.x/a%3Eb|[x>"),
        // Balanced parentheses belong to the address (CommonMark), as in most Wikipedia links.
        (
            "See [Swift](https://en.wikipedia.org/wiki/Swift_(programming_language)) for more.",
            "See <https://en.wikipedia.org/wiki/Swift_(programming_language)|Swift> for more."
        ),
        ("([a](https://e.x/b)) and [c](https://e.x/(d)(e))", "(<https://e.x/b|a>) and <https://e.x/(d)(e)|c>"),
        ("[a](https://e.x/(b) c)", "[a](https://e.x/(b) c)"),
        // Autolinks are links (escaped as text, `<https://…>` showed its brackets); anything else in `<…>` is text.
        ("see <https://e.com/a?b=1&c=2> now", "see <https://e.com/a?b=1&c=2|https://e.com/a?b=1&amp;c=2> now"),
        (
            "Wow!<https://e.x> <ftp://e.x> <https://e x> <https://>",
            "Wow!<https://e.x|https://e.x> &lt;ftp://e.x&gt; &lt;https://e x&gt; &lt;https://&gt;"
        ),
        ("**<https://e.x>** and <<https://e.y>", "*<https://e.x|https://e.x>* and &lt;<https://e.y|https://e.y>"),
    ])
    func markdownBecomesMrkdwn(markdown: String, expected: String) {
        #expect(SlackMarkdown.mrkdwn(fromMarkdown: markdown) == expected)
    }

    /// Slack has no tables: as typed, a model's comparison table was rows of pipes under a `|---|---|` line. Rows
    /// read as `cell | cell`, with their inline formatting.
    @Test func tablesBecomeRowsOfCells() {
        let markdown = """
            | Option | **Cost** | Notes |
            |:-------|-------:|:-----:|
            | `npm ci` | $0 | uses [the lock](https://e.com/lock) |
            | a \\| b | `x \\| y` |  |
            """
        let expected = """
            Option | *Cost* | Notes
            `npm ci` | $0 | uses <https://e.com/lock|the lock>
            a | b | `x | y` | 
            """
        #expect(SlackMarkdown.mrkdwn(fromMarkdown: markdown) == expected)
    }

    /// A thematic break shows nothing, as on IRC: `***` alone was a stray bold marker, `---` a line of dashes.
    @Test(arguments: ["---", "***", "___", " - - -", "*\t*\t*"])
    func thematicBreaksShowNothing(rule: String) {
        #expect(SlackMarkdown.mrkdwn(fromMarkdown: "above\n\(rule)\nbelow") == "above\nbelow")
    }

    @Test(arguments: ["--", "-- x", "* item", "**bold**", "a | b"])
    func linesThatAreNotBreaksAreKept(line: String) {
        #expect(!SlackMarkdown.mrkdwn(fromMarkdown: line).isEmpty)
    }

    @Test func codeBlocksKeepTheirContentAndLoseTheLanguageTag() {
        let markdown = "Run:\n```swift\nlet x = a < b && **c**\n```\nDone **now**."
        let expected = "Run:\n```\nlet x = a &lt; b &amp;&amp; **c**\n```\nDone *now*."
        #expect(SlackMarkdown.mrkdwn(fromMarkdown: markdown) == expected)
    }
}

@Suite struct SlackTextTests {
    @Test(arguments: [
        ("<@UBOT> what is 2+2?", "what is 2+2?"),
        ("<@UBOT|gpt> hi <@U2>", "hi @U2"),
        (
            "ask <#C1|general> about <https://example.com|this page>",
            "ask #general about this page (https://example.com)"
        ),
        ("plain <https://example.com> link", "plain https://example.com link"),
        ("a &lt;b&gt; &amp; c", "a <b> & c"),
        ("<!here> anyone?", "@here anyone?"),
    ])
    func incomingMarkupBecomesPlainText(text: String, expected: String) {
        #expect(SlackText.plain(text, removingMentionsOf: ["UBOT"]) == expected)
    }
}

/// Defects found auditing what readers see in Slack.
@Suite struct SlackMarkdownReaderTests {
    @Test func aLinkAddressCannotSmuggleABroadcastMentionIntoAPost() {
        // `>` in an address is percent-encoded, but `<` is not, so the address can carry Slack's own markup.
        let markdown =
            "Read the full guide in " + "[the docs](https://docs.example/<!here|guide)" + " before you start."
        let mrkdwn = SlackMarkdown.mrkdwn(fromMarkdown: markdown)
        #expect(!mrkdwn.contains("<!"), "\(mrkdwn)")
        // When a post boundary falls inside such a link, the splitter keeps the inner `<…>` whole, so a post
        // starts with `<!here|guide|the docs>`: Slack's syntax for an @here that notifies the channel.
        let posts = (20...60).flatMap { limit in
            MessageSplitter(limit: limit, maxParts: 10, isSlackMarkup: true).parts(of: mrkdwn)
        }
        let mention = posts.first { $0.hasPrefix("<!here|guide|the docs>") }
        #expect(mention == nil, "a post reads \(mention ?? "")")
    }

    @Test func windowsLineEndingsAreConvertedLikeUnixOnes() {
        // The IRC flattener handles CR LF; here every line of such an answer kept its Markdown as written.
        let markdown = "## Steps\r\n\r\n- **Install** the tool\r\n- Run *it*\r\n"
        #expect(SlackMarkdown.mrkdwn(fromMarkdown: markdown) == "*Steps*\n\n• *Install* the tool\n• Run _it_\n")
        #expect(SlackMarkdown.mrkdwn(fromMarkdown: "**a**\r**b**") == "*a*\n*b*", "a lone CR breaks the line too")
    }

    @Test func codeOnTheFenceLineIsNotLost() {
        // A one-line block: the code vanished and everything after it became a code block.
        let markdown = "Run:\n```npm install --save-dev typescript```\nThen **build**."
        let mrkdwn = SlackMarkdown.mrkdwn(fromMarkdown: markdown)
        #expect(mrkdwn.contains("```npm install --save-dev typescript```"))
        #expect(mrkdwn.hasSuffix("Then *build*."))
    }
}
