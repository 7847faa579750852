/// Turns a model's reply text into IRC lines that each fit one PRIVMSG.
///
/// Every produced line stays within ``maximumPayloadBytes`` of UTF-8 (so `:nick!user@host PRIVMSG #chan :` plus
/// the line plus CR LF fits the server's limit and nothing is cut off by the server), is split at a word boundary
/// where one exists and never inside a character, and carries no byte that could end the line early or start a
/// CTCP request. A reply longer than ``maximumLines`` says how much was cut instead of stopping mid-thought.
package struct ReplySplitter: Sendable, Hashable {
    /// What ``split(_:firstLinePrefix:)`` produced.
    package struct Output: Sendable, Hashable {
        /// The lines to send, in order; none is empty and each fits ``ReplySplitter/maximumPayloadBytes``.
        package var lines: [String]
        /// How many lines were replaced by the final "more lines not shown" note; 0 when everything fits.
        package var omittedLineCount: Int

        /// Whether the reply was cut to ``ReplySplitter/maximumLines``.
        package var truncated: Bool {
            self.omittedLineCount > 0
        }
    }

    /// The UTF-8 byte budget for one line's text; see ``maximumPayloadBytes(nick:user:host:target:command:lineLength:)``.
    package var maximumPayloadBytes: Int
    /// The most lines one reply may take, the overflow note included.
    package var maximumLines: Int

    /// Creates a splitter; the byte budget is raised to 16 and the line count to 1 at least, because no line of
    /// text fits in less (a target that long cannot be messaged anyway) and a reply must say something.
    package init(maximumPayloadBytes: Int, maximumLines: Int) {
        self.maximumPayloadBytes = max(maximumPayloadBytes, 16)
        self.maximumLines = max(maximumLines, 1)
    }

    /// The bytes left for text in `:nick!user@host COMMAND target :text` CR LF within `lineLength`.
    ///
    /// The server rewrites our line with our full source before relaying it, so that prefix counts against the
    /// limit even though we never send it. Unknown parts assume the worst the server allows: a 10-byte user
    /// and a 63-byte host.
    package static func maximumPayloadBytes(
        nick: String,
        user: String?,
        host: String?,
        target: String,
        command: String = "PRIVMSG",
        lineLength: Int = 512
    ) -> Int {
        Self.maximumPayloadBytes(
            nickBytes: nick.utf8.count,
            user: user,
            host: host,
            target: target,
            command: command,
            lineLength: lineLength
        )
    }

    /// ``maximumPayloadBytes(nick:user:host:target:command:lineLength:)`` for a nick of `nickBytes` bytes.
    package static func maximumPayloadBytes(
        nickBytes: Int,
        user: String?,
        host: String?,
        target: String,
        command: String = "PRIVMSG",
        lineLength: Int = 512
    ) -> Int {
        let prefixBytes =
            1 + nickBytes + 1 + (user?.utf8.count ?? 10) + 1 + (host?.utf8.count ?? 63)
            + 1 + command.utf8.count + 1 + target.utf8.count + 2
        return lineLength - prefixBytes - 2
    }

    /// Splits `text` into lines to send, `firstLinePrefix` (e.g. `alice: `) starting the first one.
    ///
    /// Empty lines vanish (IRC cannot send them), so paragraphs simply follow each other.
    package func split(_ text: String, firstLinePrefix: String = "") -> Output {
        var logicalLines = Self.sanitizedLines(text)
        guard !logicalLines.isEmpty else {
            return Output(lines: [], omittedLineCount: 0)
        }
        let prefix = Self.sanitizedFragment(firstLinePrefix)
        logicalLines[0] = prefix + logicalLines[0]
        var lines: [String] = []
        for line in logicalLines {
            self.wrapKeepingFormatting(line, into: &lines)
        }
        guard lines.count > self.maximumLines else {
            return Output(lines: lines, omittedLineCount: 0)
        }
        let kept = self.maximumLines - 1
        let omitted = lines.count - kept  // at least 2: one line over the limit also replaces the last kept line
        let note = (kept == 0 ? prefix : "") + "… (\(omitted) more lines not shown)"
        return Output(lines: Array(lines.prefix(kept)) + self.wrap(note).prefix(1), omittedLineCount: omitted)
    }
}
