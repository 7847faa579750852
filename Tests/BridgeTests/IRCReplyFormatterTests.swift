import Bridge
import GoAPI
import IRC
import Testing

@Suite struct IRCReplyFormatterTests {
    let formatter = IRCReplyFormatter(
        maximumPayloadBytes: ReplySplitter.maximumPayloadBytes(
            nick: "gptbot",
            user: "bot",
            host: "example.org",
            target: "#chan"
        ),
        maxLines: 4
    )

    @Test func answerIsAddressedFlattenedAndSplit() {
        let reply = ConversationReply(conversationID: "c", text: "**Yes.**\n\n- one\n- two", isComplete: true)
        #expect(
            self.formatter.lines(for: .success(reply), asker: "alice") == ["alice: \u{02}Yes.\u{02}", "• one", "• two"]
        )
    }

    /// A terminal colour sequence goes whole (without its ESC, `[31m` showed), and bidi controls and the byte-order
    /// mark go: a right-to-left override turns the rest of a line around, so an answer could show one command and
    /// mean another.
    @Test func terminalSequencesAndBidiControlsNeverReachIRC() {
        let text = "\u{FEFF}\u{1B}[1;31mred\u{1B}[0m and run \u{202E}txt.exe\u{202C} or \u{2067}x\u{2069} \u{1B}[ü"
        let reply = ConversationReply(conversationID: "c", text: text, isComplete: true)
        #expect(
            self.formatter.lines(for: .success(reply), asker: "alice") == ["alice: red and run txt.exe or x [ü"]
        )
        #expect(
            self.formatter.lines(for: .success(reply), asker: "\u{202E}alice") == [
                "alice: red and run txt.exe or x [ü"
            ]
        )
    }

    @Test func overflowIsStated() {
        let text = (1...20).map { "line \($0)" }.joined(separator: "\n")
        let lines = self.formatter.lines(
            for: .success(ConversationReply(conversationID: "c", text: text, isComplete: true)),
            asker: "alice"
        )
        #expect(lines.count == 4)
        #expect(lines.last?.contains("more lines") == true)
    }

    static let twentyLines = ConversationReply(
        conversationID: "c",
        text: (1...20).map { "line \($0)" }.joined(separator: "\n"),
        isComplete: true
    )

    @Test func overflowLinksToTheFullReplyWhenOneIsGiven() {
        let link = "https://bridge.example.com/r/AAAAAAAAAAAAAAAAAAAAAA"
        let lines = self.formatter.lines(for: .success(Self.twentyLines), asker: "alice", fullReplyLink: link)
        #expect(lines == ["alice: line 1", "line 2", "line 3", "… full reply: \(link)"])
    }

    @Test func onlyLongCompleteAnswersAreCut() {
        #expect(self.formatter.cutsAnswer(.success(Self.twentyLines), asker: "alice"))
        let short = ConversationReply(conversationID: "c", text: "1\n2\n3\n4", isComplete: true)
        #expect(!self.formatter.cutsAnswer(.success(short), asker: "alice"))
        #expect(
            self.formatter.lines(for: .success(short), asker: "alice", fullReplyLink: "https://x.example/r/a").count
                == 4
        )
        var cutOff = Self.twentyLines
        cutOff.isComplete = false
        #expect(!self.formatter.cutsAnswer(.success(cutOff), asker: "alice"))
        #expect(!self.formatter.cutsAnswer(.failure(.goapi(GoAPIError(.unauthorized, status: 401))), asker: "alice"))
    }

    @Test func aOneLineBudgetStillAddressesTheAsker() {
        var formatter = self.formatter
        formatter.maxLines = 1
        let lines = formatter.lines(
            for: .success(Self.twentyLines),
            asker: "alice",
            fullReplyLink: "https://x.example/r/a"
        )
        #expect(lines == ["alice: … full reply: https://x.example/r/a"])
    }

    @Test func imagesFollowTheLink() {
        var reply = Self.twentyLines
        reply.images = [GeneratedImage(fileID: "file-1", downloadURL: "https://files.example/1.png")]
        let lines = self.formatter.lines(for: .success(reply), asker: "alice", fullReplyLink: "https://x.example/r/a")
        #expect(
            lines == [
                "alice: line 1", "line 2", "… full reply: https://x.example/r/a", "image: https://files.example/1.png",
            ]
        )
    }

    @Test func aLinkTooLongForOneLineFallsBackToTheCount() {
        let link = "https://bridge.example.com/" + String(repeating: "x", count: 600) + "/r/a"
        let lines = self.formatter.lines(for: .success(Self.twentyLines), asker: "alice", fullReplyLink: link)
        #expect(lines.count == 4)
        #expect(lines.last?.contains("more lines not shown") == true)
    }

    @Test func incompleteAnswersAreNotPostedAsAnswers() {
        let reply = ConversationReply(
            conversationID: "c",
            text: "Half of the ans",
            isComplete: false,
            interruption: GoAPIError(.idleTimeout)
        )
        let lines = self.formatter.lines(for: .success(reply), asker: "alice")
        #expect(lines == ["alice: GoAPI took too long to answer; please try again."])
    }

    @Test func failuresBecomeOneShortLine() {
        #expect(
            self.formatter.lines(for: .failure(.goapi(GoAPIError(.unauthorized, status: 401))), asker: "bob") == [
                "bob: the bridge's GoAPI key was refused; please tell the operator."
            ]
        )
    }

    @Test func aLongFailureIsCutToOneLineInsteadOfVanishing() throws {
        let asker = "a_very_long_nick_for_irc_00001"
        let formatter = IRCReplyFormatter(
            maximumPayloadBytes: ReplySplitter.maximumPayloadBytes(
                nick: "gptbot_with_a_long_fallback_01",
                user: nil,
                host: nil,
                target: "#" + String(repeating: "c", count: 320)
            ),
            maxLines: 4
        )
        // The longest reason shown in a chat (100 characters) does not fit what such a target leaves.
        let detail = String(String(repeating: "the model's input was refused ", count: 4).prefix(100)) + "."
        #expect(formatter.maximumPayloadBytes < 120)
        let lines = formatter.lines(
            for: .failure(.goapi(GoAPIError(.requestRejected, status: 400, detail: detail))),
            asker: asker
        )
        #expect(lines.count == 1)
        let line = try #require(lines.first)
        #expect(line.hasPrefix("\(asker): GoAPI refused the request (the model"))
        #expect(line.hasSuffix("…"))
        #expect(!line.contains("not shown"))
        #expect(line.utf8.count <= formatter.maximumPayloadBytes)
        #expect(line.utf8.count >= formatter.maximumPayloadBytes - 3, "only what does not fit is cut")
    }

    @Test func aCutNeverSplitsACharacter() throws {
        let formatter = IRCReplyFormatter(maximumPayloadBytes: 40, maxLines: 4)
        let line = try #require(formatter.notice(String(repeating: "é👍🏽", count: 30), asker: "bob").first)
        #expect(line.hasPrefix("bob: é👍🏽"))
        #expect(line.hasSuffix("…"))
        #expect(line.utf8.count <= 40)
        #expect(line.dropLast().allSatisfy { $0 == "é" || $0 == "👍🏽" || "bob: ".contains($0) })
    }

    @Test func aNoticeThatFitsIsUnchanged() {
        #expect(self.formatter.notice("done.\nreally", asker: "bob") == ["bob: done. really"])
        #expect(self.formatter.notice(" \n ", asker: "bob") == [])
    }

    @Test func imagesAndANewConversationAreMentioned() {
        let reply = ConversationReply(
            conversationID: "c",
            text: "Here.",
            isComplete: true,
            images: [
                GeneratedImage(fileID: "file-1", downloadURL: "https://files.example/1.png"),
                GeneratedImage(fileID: "file-2", downloadURL: nil),
            ],
            startedNewConversation: true
        )
        let lines = self.formatter.lines(for: .success(reply), asker: "alice")
        #expect(lines.first == "alice: Here.")
        #expect(lines.contains("image: https://files.example/1.png"))
        #expect(lines.contains { $0.contains("file-2") && $0.contains("unavailable") })
        #expect(lines.contains { $0.contains("new one") })
    }

    /// DESIGN: at most maxLinesPerReply lines. Images beyond the room are counted, the note that explains the
    /// answer stays, and the text keeps its line.
    @Test func imagesAndTheNewConversationNoteStayWithinMaxLines() {
        let reply = ConversationReply(
            conversationID: "c",
            text: "Here are four pictures.",
            isComplete: true,
            images: (1...4).map {
                GeneratedImage(fileID: "file-\($0)", downloadURL: "https://files.example/\($0).png")
            },
            startedNewConversation: true
        )
        let lines = self.formatter.lines(for: .success(reply), asker: "alice")
        #expect(
            lines == [
                "alice: Here are four pictures.",
                "image: https://files.example/1.png",
                "(3 more images not shown)",
                "(GoAPI no longer knew this channel's conversation, so this answer started a new one.)",
            ]
        )
    }

    /// A signed download link longer than a line would be cut in two, which is no link: the image is named instead
    /// of the splitter's "… more lines not shown", which said nothing at all.
    @Test func anImageLinkLongerThanALineNamesTheImage() {
        let url = "https://files.example/download/file-1?" + String(repeating: "sig=abcdef0123456789&", count: 30)
        let reply = ConversationReply(
            conversationID: "c",
            text: "Here.",
            isComplete: true,
            images: [GeneratedImage(fileID: "file-1", downloadURL: url)]
        )
        let lines = self.formatter.lines(for: .success(reply), asker: "alice")
        #expect(lines == ["alice: Here.", "image: (file-1 — link too long for IRC)"])
    }

    @Test(arguments: ["", " \n\n ", "---"])
    func answerWithNothingToShowIsStillAddressed(text: String) {
        let reply = ConversationReply(conversationID: "c", text: text, isComplete: true)
        #expect(self.formatter.lines(for: .success(reply), asker: "alice") == ["alice: (no text)"])
    }

    @Test func modelTextCannotInjectProtocolLines() {
        let reply = ConversationReply(
            conversationID: "c",
            text: "hi\r\nQUIT :pwned\u{0}\u{01}ACTION x\u{01}",
            isComplete: true
        )
        let lines = self.formatter.lines(for: .success(reply), asker: "alice")
        #expect(
            lines.allSatisfy {
                !$0.contains("\r") && !$0.contains("\n") && !$0.contains("\u{0}") && !$0.contains("\u{01}")
            }
        )
    }
}
