import GoAPI
import IRC

/// Turns an answer (or a failure) into the PRIVMSG payloads for IRC. Pure.
///
/// Markdown is flattened, the first line is addressed to the asker, lines fit the byte limit computed from
/// the bot's own prefix and the target, and overflow beyond `maxLines` is stated rather than dropped silently, or,
/// when the whole answer was saved as a page, replaced by the page's link.
package struct IRCReplyFormatter: Sendable, Hashable {
    /// Payload bytes available per line.
    package var maximumPayloadBytes: Int
    /// Lines one reply may take.
    package var maxLines: Int

    /// Creates a formatter.
    package init(maximumPayloadBytes: Int, maxLines: Int) {
        self.maximumPayloadBytes = maximumPayloadBytes
        self.maxLines = maxLines
    }

    /// The lines for a finished question.
    ///
    /// When a complete answer is longer than ``maxLines`` and `fullReplyLink` is given, the last text line is
    /// `… full reply: <link>` instead of the number of lines left out (unless the link cannot fit on one line).
    package func lines(
        for result: Result<ConversationReply, AskFailure>,
        asker: String,
        fullReplyLink: String? = nil
    ) -> [String] {
        switch result {
        case .success(let reply) where reply.isComplete:
            return self.answerLines(reply, asker: asker, fullReplyLink: fullReplyLink)
        case .success(let reply):
            // An answer that never reached end_turn is not posted as if it were one.
            let message = reply.interruption?.userMessage ?? GoAPIError(.cutOff).userMessage
            return self.notice(message, asker: asker)
        case .failure(let failure):
            return self.notice(failure.userMessage, asker: asker)
        }
    }

    /// Whether `result` is a complete answer that ``lines(for:asker:fullReplyLink:)`` has to cut short, so a
    /// full-reply page is worth saving for it.
    package func cutsAnswer(_ result: Result<ConversationReply, AskFailure>, asker: String) -> Bool {
        guard case .success(let reply) = result, reply.isComplete else { return false }
        let (_, textBudget) = self.extraLines(reply)
        return ReplySplitter(maximumPayloadBytes: self.maximumPayloadBytes, maximumLines: textBudget)
            .split(Self.text(of: reply), firstLinePrefix: "\(asker): ").truncated
    }

    /// One line addressed to `asker`, cut short with `…` if it does not fit: what went wrong (or a command's
    /// answer) must show, and its beginning says it, where a note about lines not shown would say nothing.
    package func notice(_ text: String, asker: String) -> [String] {
        ReplySplitter(maximumPayloadBytes: self.maximumPayloadBytes, maximumLines: 1)
            .oneLine(text, firstLinePrefix: "\(asker): ").map { [$0] } ?? []
    }

    private func answerLines(_ reply: ConversationReply, asker: String, fullReplyLink: String?) -> [String] {
        let (extra, textBudget) = self.extraLines(reply)
        let text = Self.text(of: reply)
        let prefix = "\(asker): "
        if let fullReplyLink,
            let linked = self.linkedLines(text, prefix: prefix, budget: textBudget, link: fullReplyLink)
        {
            return linked + extra
        }
        let body = ReplySplitter(maximumPayloadBytes: self.maximumPayloadBytes, maximumLines: textBudget)
            .split(text, firstLinePrefix: prefix)
        return body.lines + extra
    }

    /// The flattened answer; one with nothing left to show still gets its addressed line, so the asker is not
    /// left waiting.
    private static func text(of reply: ConversationReply) -> String {
        let flattened = MarkdownFlattener().flatten(reply.text)
        return flattened.isEmpty ? "(no text)" : flattened
    }

    /// The lines that follow the text (images, a new conversation), and how many lines that leaves the text.
    ///
    /// They never take the text's last line, so a reply stays within ``maxLines``: images beyond the room are
    /// counted in one line instead, and the new-conversation note, which explains the answer, goes first.
    private func extraLines(_ reply: ConversationReply) -> (lines: [String], textBudget: Int) {
        let oneLine = ReplySplitter(maximumPayloadBytes: self.maximumPayloadBytes, maximumLines: 1)
        var images: [String] = reply.images.map { image in
            guard let url = image.downloadURL else { return "image: (\(image.fileID) — download link unavailable)" }
            // A link cut in two is no link (and the splitter would say only "… more lines not shown").
            let line = oneLine.split("image: \(url)")
            return line.truncated ? "image: (\(image.fileID) — link too long for IRC)" : line.lines.first ?? ""
        }
        let note =
            reply.startedNewConversation && self.maxLines > 1
            ? ["(GoAPI no longer knew this channel's conversation, so this answer started a new one.)"] : []
        let room = max(self.maxLines - 1 - note.count, 0)
        if images.count > room {
            let shown = max(room - 1, 0)
            let hidden = images.count - shown
            images = Array(images.prefix(shown)) + (room > 0 ? ["(\(hidden) more images not shown)"] : [])
        }
        let extra = (images + note).flatMap { oneLine.split($0).lines }
        return (extra, max(self.maxLines - extra.count, 1))
    }

    /// The text's first `budget - 1` lines and then the link, or nil when the text fits (nothing to link) or the
    /// link note does not fit on one line (a very long `publicBaseURL`), where stating the overflow is better than
    /// a link cut in two.
    private func linkedLines(_ text: String, prefix: String, budget: Int, link: String) -> [String]? {
        let all = ReplySplitter(maximumPayloadBytes: self.maximumPayloadBytes, maximumLines: .max)
            .split(text, firstLinePrefix: prefix).lines
        guard all.count > budget else { return nil }
        let kept = budget - 1
        let note = ReplySplitter(maximumPayloadBytes: self.maximumPayloadBytes, maximumLines: 1)
            .split("… full reply: \(link)", firstLinePrefix: kept == 0 ? prefix : "")
        guard !note.truncated, let noteLine = note.lines.first else { return nil }
        return Array(all.prefix(kept)) + [noteLine]
    }
}
