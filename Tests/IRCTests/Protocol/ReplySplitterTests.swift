import BridgeTesting
import IRC
import Testing

@Suite struct ReplySplitterTests {
    static let prefix = ":gptbot!~gpt@user/gptbot/bot PRIVMSG #chan :"
    static let budget = ReplySplitter.maximumPayloadBytes(
        nick: "gptbot",
        user: "~gpt",
        host: "user/gptbot/bot",
        target: "#chan"
    )
    static let splitter = ReplySplitter(maximumPayloadBytes: budget, maximumLines: 1000)

    @Test func payloadBudgetAccountsForTheRelayedPrefixAndCRLF() {
        #expect(Self.budget == 512 - Self.prefix.utf8.count - 2)
        let worstCase = ReplySplitter.maximumPayloadBytes(nick: "gptbot", user: nil, host: nil, target: "#chan")
        let longest =
            ":gptbot!\(String(repeating: "u", count: 10))@\(String(repeating: "h", count: 63)) PRIVMSG #chan :"
        #expect(worstCase == 512 - longest.utf8.count - 2)
        #expect(
            ReplySplitter.maximumPayloadBytes(nick: "n", user: "u", host: "h", target: "t", lineLength: 1024) == 1024
                - 18 - 2
        )
    }

    @Test(arguments: [
        "a", "é", "e\u{301}", "漢字", "👩‍👩‍👧‍👦", "🇫🇷", "x\u{301}\u{302}\u{303}", "word ", "ab cd ", "\u{02}b\u{02} ",
    ])
    func everyLineFitsOnTheWireAndNoCharacterIsCut(unit: String) {
        for count in [1, 37, 113, 250, 600, 2000] {
            let text = String(repeating: unit, count: count)
            let lines = Self.splitter.split(text).lines
            for line in lines {
                #expect((Self.prefix + line + "\r\n").utf8.count <= 512)
                #expect(!line.isEmpty)
            }
            let expected = Array(text).filter { $0 != " " }
            #expect(lines.flatMap { Array($0) }.filter { $0 != " " } == expected, "\(unit.debugDescription)×\(count)")
        }
    }

    /// A wrapped line of code keeps its indentation, and a list item's continuation hangs under its text. Flush left,
    /// the rest of a long `print(…)` read as the next statement, and a wrapped item's text ran into the bullets.
    @Test(arguments: [("      ", "      "), ("  • ", "    "), ("10. ", "    "), ("  2) ", "     ")])
    func continuationLinesHangUnderTheLinesText(lead: String, hanging: String) {
        let splitter = ReplySplitter(maximumPayloadBytes: 60, maximumLines: 100)
        let words = (1...40).map { "word\($0)" }
        let lines = splitter.split(lead + words.joined(separator: " ")).lines
        #expect(lines.count > 2)
        #expect(lines.first?.hasPrefix(lead) == true)
        for line in lines.dropFirst() {
            #expect(line.hasPrefix(hanging) && line.dropFirst(hanging.count).first != " ", "\(line.debugDescription)")
        }
        #expect(lines.allSatisfy { $0.utf8.count <= 60 })
        #expect(lines.flatMap { $0.split(separator: " ") }.suffix(40).map(String.init) == words)
    }

    /// An indentation taking much of the line is not repeated: each continuation would hold little else.
    @Test func anIndentTooDeepForTheLineIsNotRepeated() {
        let splitter = ReplySplitter(maximumPayloadBytes: 60, maximumLines: 100)
        let text = String(repeating: " ", count: 20) + (1...40).map { "w\($0)" }.joined(separator: " ")
        let lines = splitter.split(text).lines
        #expect(lines.count > 2)
        #expect(lines.dropFirst().allSatisfy { !$0.hasPrefix(" ") })
    }

    @Test func fillsLinesExactlyToTheLimit() {
        let lines = Self.splitter.split(String(repeating: "x", count: 2000)).lines
        #expect(lines.dropLast().allSatisfy { (Self.prefix + $0 + "\r\n").utf8.count == 512 })
        #expect(lines.joined() == String(repeating: "x", count: 2000))
        #expect(lines.count == (2000 + Self.budget - 1) / Self.budget)
    }

    @Test func randomMixedTextRespectsTheLimitAndWordBoundaries() {
        var random = SeededRandom(seed: 42)
        let words = [
            "the", "quick", "brown", "fox", "café", "naïve", "漢字テキスト", "👍🏽", "e\u{301}tude", "\u{02}bold\u{02}",
        ]
        for _ in 0..<200 {
            let text = (0..<Int.random(in: 1...400, using: &random)).map { _ in words.randomElement(using: &random)! }
                .joined(separator: " ")
            let lines = Self.splitter.split(text).lines
            #expect(lines.allSatisfy { $0.utf8.count <= Self.budget })
            let wordsSent: [Substring] = lines.flatMap { $0.split(separator: " ") }
            let wordsWritten: [Substring] = text.split(separator: " ")
            #expect(wordsSent == wordsWritten)
            for (line, next) in zip(lines, lines.dropFirst()) {
                let nextWord = next.split(separator: " ").first.map(String.init) ?? ""
                #expect((line + " " + nextWord).utf8.count > Self.budget, "the next word would have fitted")
            }
        }
    }

    /// Text without spaces after the asker's name (Chinese or Japanese, a long URL) fills the first line: breaking
    /// at the name's space made the first line just "alice:", wasting one of the reply's few lines.
    @Test(arguments: [
        String(repeating: "答案是四十二。这是一个很长的回答，没有空格。", count: 40),
        "https://example.com/" + String(repeating: "a1b2c3", count: 100),
    ])
    func aRunWithoutSpacesLongerThanALineFillsTheFirstLine(text: String) {
        let lines = Self.splitter.split(text, firstLinePrefix: "alice: ").lines
        #expect(lines.count > 1)
        #expect(lines[0].hasPrefix("alice: "))
        #expect(lines[0].utf8.count > Self.budget - 4, "filled, not just \"alice:\"")
        #expect(lines.allSatisfy { $0.utf8.count <= Self.budget })
        #expect(lines.joined() == "alice: " + text)
    }

    @Test func aWordThatFitsALineStillMovesToTheNextLine() {
        let url = "https://example.com/" + String(repeating: "x", count: 300)
        let text = String(repeating: "word ", count: 40) + url
        let lines = Self.splitter.split(text, firstLinePrefix: "alice: ").lines
        #expect(lines.last == url, "the URL is kept whole on its own line")
    }

    @Test func prefersTheLastSpace() {
        let splitter = ReplySplitter(maximumPayloadBytes: 20, maximumLines: 10)
        #expect(splitter.split("one two three four five six").lines == ["one two three four", "five six"])
        #expect(splitter.split("aaaaaaaaaaaaaaaaaaaaaaaaa bb").lines == ["aaaaaaaaaaaaaaaaaaaa", "aaaaa bb"])
        #expect(splitter.split("    indented code line here").lines == ["    indented code", "    line here"])
    }

    @Test func aLongWordWithoutSpacesIsCutAtTheByteLimit() {
        let word = String(repeating: "é", count: 2000)
        let lines = Self.splitter.split(word).lines
        #expect(lines.joined() == word)
        #expect(lines.allSatisfy { $0.utf8.count <= Self.budget })
        #expect(lines.dropLast().allSatisfy { $0.utf8.count >= Self.budget - 1 }, "cut at the limit, not earlier")
    }

    @Test func aClusterLongerThanALineIsCutBetweenScalars() {
        let splitter = ReplySplitter(maximumPayloadBytes: 16, maximumLines: 10)
        let cluster = "a" + String(repeating: "\u{301}", count: 20)
        let lines = splitter.split(cluster).lines
        #expect(lines.allSatisfy { $0.utf8.count <= 16 })
        #expect(lines.joined().unicodeScalars.elementsEqual(cluster.unicodeScalars))
    }

    @Test func newlinesSplitAndEmptyLinesVanish() {
        let output = Self.splitter.split("first\n\n\nsecond\r\n  \n\u{02}\u{02}\nthird   \n")
        #expect(output.lines == ["first", "second", "third"])
        #expect(!output.truncated)
    }

    /// The words shown bold on IRC, line by line: each PRIVMSG starts plain, 0x02 toggles bold, 0x0F resets.
    static func boldWords(_ lines: [String]) -> [String] {
        var words: [String] = []
        for line in lines {
            var bold = false
            var word = ""
            var wordIsBold = false
            for scalar in line.unicodeScalars {
                switch scalar {
                case "\u{02}": bold.toggle()
                case "\u{0F}": bold = false
                case " ":
                    if wordIsBold { words.append(word) }
                    word = ""
                    wordIsBold = false
                default:
                    if word.isEmpty { wordIsBold = bold }
                    word.unicodeScalars.append(scalar)
                }
            }
            if wordIsBold { words.append(word) }
        }
        return words
    }

    @Test func boldCutByAWrapStaysBoldAndTheTextAfterItStaysPlain() {
        // What the flattener makes of "**Important: back up the database first** and then run the migration."
        let text = "\u{02}Important: back up the database first\u{02} and then run the migration."
        let lines = ReplySplitter(maximumPayloadBytes: 30, maximumLines: 10).split(text).lines
        #expect(lines.count > 1)
        #expect(Self.boldWords(lines) == ["Important:", "back", "up", "the", "database", "first"])
    }

    @Test func aLoneCarriageReturnBreaksTheLineInsteadOfGluingWords() {
        // Old Mac line endings: the page renderer treats CR as a line break; on IRC the two lines ran together.
        let flattened = MarkdownFlattener().flatten("Line one.\rLine two.")
        #expect(Self.splitter.split(flattened).lines == ["Line one.", "Line two."])
    }

    @Test func controlCharactersNeverReachTheWire() {
        let text = "a\u{01}ACTION waves\u{01}\0b\u{7}c\u{1B}[31md\u{7F}e\u{85}f\r\ng\u{2028}h\ti"
        let lines = Self.splitter.split(text).lines
        #expect(lines == ["aACTION wavesbcdef", "g", "h    i"], "a terminal colour sequence goes whole")
        let formatting = "\u{02}bold\u{02} \u{03}4red\u{03} \u{1D}it\u{1D} \u{1F}u\u{1F} \u{11}mono\u{11} \u{0F}"
        #expect(Self.splitter.split(formatting).lines == [formatting])
    }

    /// Every C0 byte but the line breaks and the tab (tested above), one at a time: the eight formatting codes
    /// reach the wire and the other 21 are removed; the flattener removes only the formatting codes the model wrote.
    @Test func eachC0ByteIsKeptOnlyWhenItIsAFormattingCode() {
        let formatting: Set<UInt8> = [0x02, 0x03, 0x0F, 0x11, 0x16, 0x1D, 0x1E, 0x1F]
        for byte in UInt8(0x00)...0x1F where ![0x09, 0x0A, 0x0D].contains(byte) {
            let control = String(UnicodeScalar(byte))
            let lines = Self.splitter.split("a\(control)b").lines
            #expect(lines == [formatting.contains(byte) ? "a\(control)b" : "ab"], "byte \(byte)")
            #expect(MarkdownFlattener().flatten("a\(control)b") == (formatting.contains(byte) ? "ab" : "a\(control)b"))
        }
    }

    @Test func overflowSaysHowManyLinesWereCut() {
        let splitter = ReplySplitter(maximumPayloadBytes: Self.budget, maximumLines: 5)
        let text = (1...30).map { "line \($0)" }.joined(separator: "\n")
        let output = splitter.split(text, firstLinePrefix: "alice: ")
        #expect(output.lines == ["alice: line 1", "line 2", "line 3", "line 4", "… (26 more lines not shown)"])
        #expect(output.truncated)
        #expect(output.omittedLineCount == 26)
    }

    @Test func overflowWithOneLineStillAddressesTheAsker() {
        let splitter = ReplySplitter(maximumPayloadBytes: Self.budget, maximumLines: 1)
        let output = splitter.split("a\nb", firstLinePrefix: "alice: ")
        #expect(output.lines == ["alice: … (2 more lines not shown)"])
        #expect(
            ReplySplitter(maximumPayloadBytes: 100, maximumLines: 2).split("a\nb\nc").lines == [
                "a", "… (2 more lines not shown)",
            ]
        )
        #expect(ReplySplitter(maximumPayloadBytes: 100, maximumLines: 2).split("a\nb").lines == ["a", "b"])
    }

    @Test func theOverflowNoteFitsATinyBudget() {
        let splitter = ReplySplitter(maximumPayloadBytes: 16, maximumLines: 2)
        let output = splitter.split(String(repeating: "word ", count: 50))
        #expect(output.lines.count == 2)
        #expect(output.lines.allSatisfy { $0.utf8.count <= 16 })
        #expect(output.lines[1].hasPrefix("… ("))
    }

    @Test func firstLinePrefixCountsTowardsTheLimitAndIsCleaned() {
        let splitter = ReplySplitter(maximumPayloadBytes: 20, maximumLines: 10)
        let output = splitter.split("hello there general kenobi", firstLinePrefix: "al\u{01}ice: ")
        #expect(output.lines == ["alice: hello there", "general kenobi"])
        #expect(splitter.split("", firstLinePrefix: "alice: ").lines.isEmpty)
    }

    /// Answers are model output, so one can hold a character thousands of scalars long (combining marks piled on a
    /// letter) or thousands of flags in a row. Checking each cut for a character boundary used to walk back over
    /// the whole character or run every time: seconds for 20 KB. The bound is CPU time, and loose, so a loaded
    /// machine cannot fail it; only work that is not about linear can.
    @Test(arguments: [
        Crafted(name: "a pile of combining marks", text: "e" + String(repeating: "\u{301}", count: 50_000)),
        Crafted(name: "a run of flags", text: String(repeating: "\u{1F1E9}\u{1F1EA}", count: 250_000)),
        Crafted(name: "flags between words", text: String(repeating: "flag \u{1F1EB}\u{1F1F7} ", count: 10_000)),
    ])
    func hugeCharactersAndRunsOfFlagsAreCutQuicklyAndNeverTorn(input: Crafted) {
        let text = input.text
        let splitter = ReplySplitter(maximumPayloadBytes: Self.budget, maximumLines: 1_000_000)
        let started = threadCPUTime()
        let lines = splitter.split(text).lines
        let spent = threadCPUTime() - started
        #expect(spent < .seconds(5), "\(spent) of CPU")
        #expect(lines.allSatisfy { $0.utf8.count <= Self.budget })
        // Nothing lost but the spaces where lines break.
        let scalars = { (text: String) in Array(text.unicodeScalars.filter { $0 != " " }) }
        #expect(scalars(lines.joined()) == scalars(text))
        if input.name == "a run of flags" {
            #expect(lines.allSatisfy { $0.unicodeScalars.count.isMultiple(of: 2) }, "no flag is torn in two")
        }
    }

    /// A crafted answer, named so test output does not print it.
    struct Crafted: Sendable, CustomTestStringConvertible {
        var name: String
        var text: String
        var testDescription: String { "\(self.name) (\(self.text.utf8.count) bytes)" }
    }
}
