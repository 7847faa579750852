/// What a reply's Markdown must not do on Mattermost.
enum MattermostText {
    /// `markdown` with its channel-wide mentions made inert: a word joiner (U+2060, invisible) after the `@` of
    /// `@channel`, `@all` and `@here`, and after the `<` of their Slack forms `<!channel>`, `<!here>` and `<!all>`
    /// (which Mattermost turns into mentions in webhook responses). An answer explaining how to "use @channel"
    /// would otherwise notify everyone in the channel, which the bot, unlike the person asking, may do.
    ///
    /// Code is left alone: Mattermost finds no mentions in code spans and blocks, and an invisible character there
    /// would be copied along with the code.
    static func withoutChannelMentions(_ markdown: String) -> String {
        guard markdown.contains("@") || markdown.contains("<!") else { return markdown }
        var inFence = false
        let lines = markdown.split(separator: "\n", omittingEmptySubsequences: false).map { line -> String in
            if line.trimmingPrefix(while: { $0 == " " }).hasPrefix("```") {
                inFence.toggle()
                return String(line)
            }
            guard !inFence else { return String(line) }
            // Outside inline code: the even-numbered pieces between backticks.
            return line.split(separator: "`", omittingEmptySubsequences: false).enumerated().map { index, piece in
                index.isMultiple(of: 2) ? Self.defuse(piece) : String(piece)
            }.joined(separator: "`")
        }
        return lines.joined(separator: "\n")
    }

    private static let joiner: Character = "\u{2060}"

    /// `text` (not code) with each channel-wide mention defused.
    private static func defuse(_ text: Substring) -> String {
        var out = ""
        var index = text.startIndex
        var previous: Character?
        while index < text.endIndex {
            let character = text[index]
            out.append(character)
            let rest = text[text.index(after: index)...]
            // `team@all.example.com` is an address, not a mention.
            let startsWord = previous.map { !$0.isLetter && !$0.isNumber && !"._-".contains($0) } ?? true
            previous = character
            if character == "@", startsWord, Self.startsWithBroadcastWord(rest) {
                out.append(Self.joiner)
            } else if character == "<", rest.hasPrefix("!"), Self.startsWithBroadcastWord(rest.dropFirst()) {
                out.append(Self.joiner)
            }
            index = text.index(after: index)
        }
        return out
    }

    /// Whether `text` starts with `channel`, `all` or `here` (any case) not followed by another letter or digit.
    private static func startsWithBroadcastWord(_ text: Substring) -> Bool {
        for word in ["channel", "all", "here"] {
            let candidate = text.prefix(word.count)
            guard candidate.lowercased() == word else { continue }
            let next = text.dropFirst(word.count).first
            if next.map({ !$0.isLetter && !$0.isNumber && $0 != "_" && $0 != "-" }) ?? true { return true }
        }
        return false
    }
}
