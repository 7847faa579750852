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
        guard markdown.contains("@") || markdown.contains("<!") || markdown.contains("&") else { return markdown }
        var inFence = false
        let lines = markdown.split(separator: "\n", omittingEmptySubsequences: false).map { line -> String in
            if line.trimmingPrefix(while: { $0 == " " }).hasPrefix("```") {
                inFence.toggle()
                return String(line)
            }
            guard !inFence else { return String(line) }
            // Outside inline code: the even-numbered pieces between backticks, and the text after a backtick that
            // nothing closes (no code span: Mattermost shows it, and finds mentions in it).
            let pieces = line.split(separator: "`", omittingEmptySubsequences: false)
            let unclosed = pieces.count.isMultiple(of: 2) ? pieces.count - 1 : nil
            return pieces.enumerated().map { index, piece in
                index.isMultiple(of: 2) || index == unclosed ? Self.defuse(piece) : String(piece)
            }.joined(separator: "`")
        }
        return lines.joined(separator: "\n")
    }

    private static let joiner: Character = "\u{2060}"

    /// `text` (not code) with each channel-wide mention defused.
    ///
    /// Mattermost's server splits words at `.`, `-` and `:`, trims `_` and decodes character references before it
    /// looks for mentions: `_@channel_`, `up.@here`, `@here-now` and `&#64;all` all notify everyone. Only an `@`
    /// right after a letter or digit (`team@all.example.com`, an address) is left alone.
    private static func defuse(_ text: Substring) -> String {
        var out = ""
        var index = text.startIndex
        var previous: Character?
        while index < text.endIndex {
            let character = text[index]
            let rest = text[text.index(after: index)...]
            let startsWord = previous.map { !$0.isLetter && !$0.isNumber } ?? true
            previous = character
            if character == "&", startsWord, let length = Self.atSignReference(rest),
                Self.startsWithBroadcastWord(rest.dropFirst(length))
            {
                out += "&" + rest.prefix(length) + String(Self.joiner)
                index = text.index(index, offsetBy: length + 1)
                previous = "@"
                continue
            }
            out.append(character)
            if character == "@", startsWord, Self.startsWithBroadcastWord(rest) {
                out.append(Self.joiner)
            } else if character == "<", rest.hasPrefix("!"), Self.startsWithBroadcastWord(rest.dropFirst()) {
                out.append(Self.joiner)
            }
            index = text.index(after: index)
        }
        return out
    }

    /// The length of a character reference to `@` at the start of `text` (after its `&`): `#64;`, `#x40;` (any
    /// case, leading zeros) or `commat;`.
    private static func atSignReference(_ text: Substring) -> Int? {
        if text.prefix(7).lowercased() == "commat;" { return 7 }
        guard text.first == "#" else { return nil }
        let isHex = text.dropFirst().first.map { $0 == "x" || $0 == "X" } ?? false
        let digits = text.dropFirst(isHex ? 2 : 1).prefix { $0.isHexDigit && (isHex || $0.isNumber) }
        guard !digits.isEmpty, digits.count <= 8, text.dropFirst((isHex ? 2 : 1) + digits.count).first == ";",
            Int(digits, radix: isHex ? 16 : 10) == 64
        else { return nil }
        return (isHex ? 2 : 1) + digits.count + 1
    }

    /// Whether `text` starts with `channel`, `all` or `here` (any case) not followed by another letter or digit.
    private static func startsWithBroadcastWord(_ text: Substring) -> Bool {
        for word in ["channel", "all", "here"] {
            let candidate = text.prefix(word.count)
            guard candidate.lowercased() == word else { continue }
            let next = text.dropFirst(word.count).first
            if next.map({ !$0.isLetter && !$0.isNumber }) ?? true { return true }
        }
        return false
    }
}
