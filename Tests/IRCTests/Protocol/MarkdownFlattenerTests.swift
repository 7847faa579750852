import BridgeTesting
import IRC
import Testing

@Suite struct MarkdownFlattenerTests {
    let flattener = MarkdownFlattener()

    /// `B`/`I` stand for the IRC bold and italic codes so expectations stay readable.
    func flat(_ markdown: String) -> String {
        String(self.flattener.flatten(markdown).map { $0 == "\u{02}" ? "B" : $0 == "\u{1D}" ? "I" : $0 })
    }

    @Test func emphasisBecomesIRCFormatting() {
        #expect(
            self.flat("This is **bold**, __also bold__, *italic* and _italic_.")
                == "This is BboldB, Balso boldB, IitalicI and IitalicI."
        )
        #expect(self.flat("***both***") == "BIbothIB")
        #expect(self.flat("**bold with *italic* inside**") == "Bbold with IitalicI insideB")
    }

    @Test func intrawordAndArithmeticMarkersStayLiteral() {
        #expect(self.flat("Use snake_case_names and __init__ carefully") == "Use snake_case_names and BinitB carefully")
        #expect(self.flat("2*3*4 = 24 and 2 * 3 * 4 = 24") == "2*3*4 = 24 and 2 * 3 * 4 = 24")
        #expect(self.flat("a * b*c") == "a * b*c")
        #expect(self.flat("**not closed") == "**not closed")
        #expect(self.flat(#"\*escaped\* and \_too\_"#) == "*escaped* and _too_")
        #expect(self.flat("file_name.py and my_var") == "file_name.py and my_var")
    }

    @Test func inlineCodeLosesItsBackticksAndIsNotFormatted() {
        #expect(self.flat("Run `swift build` then `a*b*c` and ``x ` y``.") == "Run swift build then a*b*c and x ` y.")
        #expect(self.flat("*see `a*b`*") == "Isee a*bI")
        #expect(self.flat("a lone ` backtick") == "a lone ` backtick")
    }

    @Test func fencedCodeIsKeptVerbatimAndIndented() {
        let markdown = """
            Here is code:

            ```swift
            let x = a * b * c // **not bold**
                print(x)
            ```
            Done.
            """
        #expect(self.flat(markdown) == "Here is code:\n  let x = a * b * c // **not bold**\n      print(x)\nDone.")
        #expect(MarkdownFlattener(codeBlockIndent: "").flatten("~~~\ncode\n~~~") == "code")
        #expect(self.flat("````\n```\ninner\n```\n````") == "  ```\n  inner\n  ```")
    }

    @Test func anUnclosedFenceKeepsTheRestAsCode() {
        #expect(self.flat("```python\ndef f(*args):\n    return **kw") == "  def f(*args):\n      return **kw")
    }

    @Test func headingsBecomeBoldLines() {
        let headings = "# Title\n## Sub *title* ##\n####### not a heading\n#hashtag"
        #expect(self.flat(headings) == "BTitleB\nBSub ItitleIB\n####### not a heading\n#hashtag")
        #expect(self.flat("Setext\n======\nText\n---\n\n---\nafter") == "BSetextB\nBTextB\nafter")
        #expect(self.flat("# C#") == "BC#B")
    }

    /// Formatting codes in the answer itself (a prompt can steer the model into writing them) could hide words
    /// (white on white, reverse) or restyle the rest of a line; they are removed, colour digits included, and only
    /// the flattener's own codes remain.
    @Test func formattingCodesFromTheModelAreRemoved() {
        #expect(
            self.flattener.flatten("a\u{03}00,00hidden\u{03} b \u{16}rev\u{16} \u{1F}u\u{0F}c \u{03}4,x")
                == "ahidden b rev uc ,x"
        )
        #expect(self.flattener.flatten("**bold** and \u{02}raw") == "\u{02}bold\u{02} and raw")
    }

    @Test func boldInsideAHeadingDoesNotTurnTheHeadingsBoldOff() {
        // Models often write `### **Step 1:** Install`. Bold is a toggle on IRC, so the heading's own 0x02 and the
        // emphasis's cancelled each other: "Step 1:" showed plain and the rest of the heading bold.
        let line = self.flattener.flatten("### **Step 1:** Install the tool")
        #expect(ReplySplitterTests.boldWords([line]) == ["Step", "1:", "Install", "the", "tool"])
    }

    @Test func listsUseBulletsAndKeepNumbers() {
        let markdown = """
            Steps:
            - first **step**
            * second
              + nested
            1. one
            2) two
            10. ten
            """
        #expect(self.flat(markdown) == "Steps:\n• first BstepB\n• second\n  • nested\n1. one\n2) two\n10. ten")
    }

    @Test func linksAndImagesKeepTheirURLs() {
        #expect(
            self.flat("See [the docs](https://example.com/docs \"Docs\") now.")
                == "See the docs <https://example.com/docs> now."
        )
        #expect(self.flat("[https://example.com](https://example.com)") == "https://example.com")
        #expect(self.flat("[example.com](https://example.com/)") == "https://example.com/")
        #expect(self.flat("![a cat](https://img.example/cat.png)") == "a cat <https://img.example/cat.png>")
        #expect(self.flat("![](https://img.example/cat.png)") == "https://img.example/cat.png")
        #expect(self.flat("[**bold** link](https://x.example/a_(b))") == "BboldB link <https://x.example/a_(b)>")
        #expect(self.flat("<https://example.com/a_b_c>") == "https://example.com/a_b_c")
        #expect(self.flat("[not a link] and [ref][1]") == "[not a link] and [ref][1]")
    }

    @Test func bareURLsAreNotMangled() {
        #expect(self.flat("Visit https://example.com/_private_/x*y*z.") == "Visit https://example.com/_private_/x*y*z.")
        #expect(
            self.flat("(see https://en.wikipedia.org/wiki/Foo_(bar))")
                == "(see https://en.wikipedia.org/wiki/Foo_(bar))"
        )
    }

    @Test func nestedQuotesShowOneMarkerPerLevel() {
        #expect(self.flat("> > > x") == ">>> x")
        #expect(self.flat(">  >  > spaced") == ">>> spaced")
        #expect(self.flat("> >text") == ">> text")
        #expect(self.flat("> > **b**") == ">> BbB")
        #expect(self.flat(">   - item") == ">   • item")
        #expect(self.flat("> > | a | b |") == ">> a | b")
        #expect(self.flat("> > >\n> ---\n> # heading") == "> BheadingB")
    }

    @Test func aQuoteNestedTensOfThousandsDeepIsFlattenedWithoutExhaustingTheStack() {
        // One recursive call per level crashed the process at about 60,000 levels (8 MiB stack), far fewer on a
        // thread with a smaller stack; a model can be asked to write such a line.
        let depth = 200_000
        let flat = self.flattener.flatten(String(repeating: "> ", count: depth) + "deep")
        #expect(flat == String(repeating: ">", count: depth) + " deep")
    }

    /// Lines of constructs that never close, as a model can be asked to write: each opener used to search the
    /// rest of the line for its closer, so 300 KB of `*a ` took about a minute and a half of CPU (release build) on
    /// the event loop of an IRC network, and each line here (about 100 KB) minutes in a debug build. Now each takes
    /// milliseconds and comes out as written, since nothing in it closes. The bound is CPU time, and loose, so a
    /// loaded machine cannot fail it; only a renderer that is not about linear can.
    @Test(arguments: ["*a ", "**a ", "_a ", "[a ", "![a ", "<a ", "[a](", "<a<", "*a [b <c "])
    func aLongLineOfUnclosedConstructsStaysText(unit: String) {
        let line = String(repeating: unit, count: 100_000 / unit.count) + "end"
        let started = threadCPUTime()
        let flat = self.flattener.flatten(line)
        let spent = threadCPUTime() - started
        #expect(flat == line)
        #expect(spent < .seconds(5), "\(spent) of CPU")
    }

    @Test func aRunOfFlagsIsMeasuredQuickly() {
        // Each flag's end was found from an index into the whole line, which the standard library first rounds down
        // to a character by walking back over every flag before it.
        let line = String(repeating: "\u{1F1E9}\u{1F1EA}", count: 50_000)
        let started = threadCPUTime()
        let flat = self.flattener.flatten(line)
        let spent = threadCPUTime() - started
        #expect(flat == line)
        #expect(spent < .seconds(5), "\(spent) of CPU")
    }

    @Test func aURLEndingInThousandsOfParenthesesIsFlattened() {
        // Counting the parentheses again for every character taken off the end made this quadratic.
        let flat = self.flattener.flatten("see http://example.com/(a)" + String(repeating: ")", count: 100_000))
        #expect(flat == "see http://example.com/(a)" + String(repeating: ")", count: 100_000))
    }

    @Test func linksNestedThousandsDeepRenderTheirInnermostLevelsAsText() {
        // Each level of link text was rendered by a recursive call, so deep enough nesting exhausted the stack.
        let depth = 200_000
        let line = String(repeating: "[", count: depth) + "a" + String(repeating: "](u)", count: depth)
        let flat = self.flattener.flatten(line)
        let literal = depth - 32
        #expect(
            flat == String(repeating: "[", count: literal) + "a" + String(repeating: "](u)", count: literal)
                + String(repeating: " <u>", count: 32)
        )
        #expect(self.flat("[[a](u)](v)") == "a <u> <v>")
    }

    @Test func quotesRulesTablesAndHTML() {
        #expect(self.flat("> quoted **text**\n>> nested\n>\n> - item") == "> quoted BtextB\n>> nested\n> • item")
        #expect(self.flat("before\n\n***\n\n- - -\n___\nafter") == "before\nafter")
        let table = """
            | Name | Value |
            |:-----|------:|
            | `a|b` | **1** |
            | x \\| y | 2 |
            """
        #expect(self.flat(table) == "Name | Value\na|b | B1B\nx | y | 2")
        #expect(self.flat("Use <br> or <b>bold</b> tags") == "Use <br> or <b>bold</b> tags")
    }

    @Test func realisticModelAnswer() {
        let markdown = """
            ## Summary

            Swift's `async let` runs child tasks **concurrently**. Key points:

            1. Each `async let` starts immediately.
            2. You *must* `await` the result.

            ```swift
            async let a = fetch(1)
            async let b = fetch(2)
            print(await a + b)
            ```

            See [SE-0317](https://github.com/apple/swift-evolution/blob/main/proposals/0317-async-let.md) for details.

            ---
            | Feature | Structured |
            |---|---|
            | async let | yes |
            """
        let expected = """
            BSummaryB
            Swift's async let runs child tasks BconcurrentlyB. Key points:
            1. Each async let starts immediately.
            2. You ImustI await the result.
              async let a = fetch(1)
              async let b = fetch(2)
              print(await a + b)
            See SE-0317 <https://github.com/apple/swift-evolution/blob/main/proposals/0317-async-let.md> for details.
            Feature | Structured
            async let | yes
            """
        #expect(self.flat(markdown) == expected)
    }

    @Test func windowsLineEndingsAreHandled() {
        #expect(self.flat("# Hi\r\n\r\n- a\r\n") == "BHiB\n• a")
    }

    @Test func arbitraryMarkdownNeverCrashesOrLeavesBlankLines() {
        var random = SeededRandom(seed: 7)
        let alphabet = Array("*_`~[]()!<>#|-+.1 \\\nab:/h\u{301}é")
        for _ in 0..<3000 {
            let markdown = String(
                (0..<Int.random(in: 0...80, using: &random)).map { _ in alphabet.randomElement(using: &random)! }
            )
            let flattened = self.flattener.flatten(markdown)
            #expect(
                flattened.isEmpty || !flattened.split(separator: "\n", omittingEmptySubsequences: false).contains("")
            )
        }
    }
}
