import GoAPI
import IRC

/// Turns an answer (or a failure) into the PRIVMSG payloads for IRC. Pure.
///
/// Markdown is flattened, the first line is addressed to the asker, lines fit the byte limit computed from
/// the bot's own prefix and the target, and overflow beyond `maxLines` is stated rather than dropped silently.
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
    package func lines(for result: Result<ConversationReply, AskFailure>, asker: String) -> [String] {
        switch result {
        case .success(let reply) where reply.isComplete:
            return self.answerLines(reply, asker: asker)
        case .success(let reply):
            // An answer that never reached end_turn is not posted as if it were one.
            let message = reply.interruption?.userMessage ?? GoAPIError(.cutOff).userMessage
            return self.notice(message, asker: asker)
        case .failure(let failure):
            return self.notice(failure.userMessage, asker: asker)
        }
    }

    /// One short line addressed to `asker`.
    package func notice(_ text: String, asker: String) -> [String] {
        ReplySplitter(maximumPayloadBytes: self.maximumPayloadBytes, maximumLines: 1)
            .split(text, firstLinePrefix: "\(asker): ").lines
    }

    private func answerLines(_ reply: ConversationReply, asker: String) -> [String] {
        var extra: [String] = reply.images.map { image in
            image.downloadURL.map { "image: \($0)" } ?? "image: (\(image.fileID) — download link unavailable)"
        }
        if reply.startedNewConversation {
            extra.append("(GoAPI no longer knew this channel's conversation, so this answer started a new one.)")
        }
        let textBudget = max(self.maxLines - extra.count, 1)
        let flattened = MarkdownFlattener().flatten(reply.text)
        // An answer with nothing left to show still gets its addressed line, so the asker is not left waiting.
        let body = ReplySplitter(maximumPayloadBytes: self.maximumPayloadBytes, maximumLines: textBudget)
            .split(flattened.isEmpty ? "(no text)" : flattened, firstLinePrefix: "\(asker): ")
        let extraLines = extra.flatMap {
            ReplySplitter(maximumPayloadBytes: self.maximumPayloadBytes, maximumLines: 1).split($0).lines
        }
        return body.lines + extraLines
    }
}
