import BridgeTesting

/// A long model answer in Markdown, built from pieces whose IRC rendering is known so the flattener's output can be
/// checked exactly rather than trusted: headings, long paragraphs with emphasis, code spans, links and bare URLs,
/// lists, a fenced code block, a quote, a table and rules, with accented Latin, CJK and emoji throughout.
struct MarkdownCorpus {
    /// The Markdown reply.
    var markdown = ""
    /// What ``MarkdownFlattener/flatten(_:)`` must turn it into.
    var flattened: [String] = []

    /// Words of running text: Markdown and its IRC rendering (`\u{02}` bold, `\u{1D}` italic).
    private static let fragments: [(markdown: String, irc: String)] =
        [
            "the", "bridge", "keeps", "every", "conversation", "in", "SQLite", "and", "streams", "replies", "café",
            "naïve", "résumé", "Grüße", "漢字テキスト", "日本語の文章も正しく分割されます。", "🎉", "👍🏽", "—", "so",
            "snake_case_name", "2*3*4", "a", "reply", "of", "several", "paragraphs", "reaches", "IRC", "within",
            "limits",
            "https://example.org/a_b_c/x*y", "because", "GoAPI", "sends", "cumulative", "snapshots",
        ].map { ($0, $0) } + [
            ("**strongly typed**", "\u{02}strongly typed\u{02}"),
            ("*cumulative*", "\u{1D}cumulative\u{1D}"),
            ("__init__", "\u{02}init\u{02}"),
            ("`ConversationStreamReducer`", "ConversationStreamReducer"),
            ("`a*b*c`", "a*b*c"),
            (
                "[the design notes](https://example.com/docs/design#stream)",
                "the design notes <https://example.com/docs/design#stream>"
            ),
            ("**bold with *italic* inside**", "\u{02}bold with \u{1D}italic\u{1D} inside\u{02}"),
        ]

    /// A reply of at least `minimumBytes` UTF-8 bytes, the same for every run.
    static func generate(minimumBytes: Int) -> MarkdownCorpus {
        var corpus = MarkdownCorpus()
        var random = SeededRandom(seed: 2_025)
        var section = 1
        while corpus.markdown.utf8.count < minimumBytes {
            corpus.add(random: &random, section: section)
            section += 1
        }
        return corpus
    }

    /// One line of Markdown and its expected IRC line (`nil` when the line must vanish).
    private mutating func line(_ markdown: String, _ irc: String?) {
        self.markdown += markdown + "\n"
        if let irc { self.flattened.append(irc) }
    }

    /// A sentence-like run of `count` fragments; single spaces, as the splitter check assumes for long lines.
    private func text(_ count: Int, random: inout SeededRandom) -> (markdown: String, irc: String) {
        let picked = (0..<count).map { _ in Self.fragments.randomElement(using: &random)! }
        return (picked.map(\.markdown).joined(separator: " "), picked.map(\.irc).joined(separator: " "))
    }

    private mutating func add(random: inout SeededRandom, section: Int) {
        self.line(
            "## Section \(section): Café, 漢字 and *streams*",
            "\u{02}Section \(section): Café, 漢字 and \u{1D}streams\u{1D}\u{02}"
        )
        self.line("", nil)
        for _ in 0..<2 {
            let paragraph = self.text(Int.random(in: 40...110, using: &random), random: &random)
            self.line(paragraph.markdown + ".", paragraph.irc + ".")
            self.line("", nil)
        }
        for _ in 0..<3 {
            let item = self.text(Int.random(in: 3...12, using: &random), random: &random)
            self.line("- " + item.markdown, "• " + item.irc)
        }
        let nested = self.text(4, random: &random)
        self.line("  - " + nested.markdown, "  • " + nested.irc)
        self.line("", nil)
        for number in 1...3 {
            let step = self.text(Int.random(in: 3...10, using: &random), random: &random)
            self.line("\(number). " + step.markdown, "\(number). " + step.irc)
        }
        self.line("", nil)
        self.line("```swift", nil)
        for code in [
            "func handle(_ event: ServerSentEvent) throws -> Step {",
            "    let total = a * b * c  // **not bold**, [not](a link)",
            "\treturn reducer.receive(event)",
            "}",
        ] {
            self.line(code, "  " + code)
        }
        self.line("```", nil)
        let quote = self.text(8, random: &random)
        self.line("> " + quote.markdown, "> " + quote.irc)
        self.line("", nil)
        self.line("| Column | Meaning |", "Column | Meaning")
        self.line("|---|:---:|", nil)
        self.line("| `id` | the **key** 漢字 |", "id | the \u{02}key\u{02} 漢字")
        self.line("", nil)
        self.line("---", nil)
        self.line("", nil)
    }
}
