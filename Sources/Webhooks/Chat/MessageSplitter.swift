import Foundation

/// Splits a long chat message into posts under a platform's length limit, at the most natural boundary: a blank
/// line, else a line break, else a space, else anywhere between characters (and between scalars only inside a
/// character too long for a post). A code block cut in two is closed at
/// the end of one post and reopened (with its language) at the start of the next, so every post renders on its own.
///
/// Lengths count Unicode scalars, which is at least what Slack and Mattermost count, so no post is refused as too
/// long. Pure.
struct MessageSplitter: Sendable, Hashable {
    /// The longest post, in Unicode scalars.
    var limit: Int
    /// At most this many posts; the last one says how much was left out, so a runaway answer cannot flood a thread.
    var maxParts: Int
    /// Whether the text is Slack `mrkdwn`, whose `<…>` links and mentions and `&…;` entities must not be cut in
    /// two (each half would show as raw markup).
    var isSlackMarkup = false

    /// The posts for `text`; one post when it fits.
    func parts(of text: String) -> [String] {
        var parts: [String] = []
        var rest = Substring(text)
        var openFence: Substring?
        while true {
            let prefix = openFence.map { $0 + "\n" } ?? ""
            if prefix.unicodeScalars.count + rest.unicodeScalars.count <= self.limit {
                parts.append(prefix + rest)
                return parts
            }
            if parts.count == self.maxParts - 1 {
                parts.append(self.truncated(prefix: prefix, rest: rest, openFence: openFence))
                return parts
            }
            // Room for the prefix and for closing a code block.
            let budget = max(self.limit - prefix.unicodeScalars.count - Self.fenceClose.unicodeScalars.count, 1)
            let cut = self.cutIndex(in: rest, budget: budget)
            let piece = rest[..<cut]
            let fence = Self.fenceState(after: piece, open: openFence)
            var part = prefix + piece.trimmingTrailingWhitespace()
            if fence != nil { part += Self.fenceClose }
            parts.append(part)
            rest = rest[cut...].drop { $0 == "\n" }
            openFence = fence
        }
    }

    private static let fenceClose = "\n```"

    /// The last allowed post: as much as fits, then a note on what was left out.
    private func truncated(prefix: String, rest: Substring, openFence: Substring?) -> String {
        // The note is at most about 60 scalars; 80 leaves room for any count of characters.
        let budget = max(self.limit - prefix.unicodeScalars.count - Self.fenceClose.unicodeScalars.count - 80, 1)
        let piece = rest[..<self.cutIndex(in: rest, budget: budget)]
        var part = prefix + piece.trimmingTrailingWhitespace()
        if Self.fenceState(after: piece, open: openFence) != nil { part += Self.fenceClose }
        let left = rest.unicodeScalars.count - piece.unicodeScalars.count
        return part + "\n\n_(Reply shortened: \(left) more characters not shown.)_"
    }

    /// Where to end a post that may hold `budget` scalars of `text`, kept out of Slack markup when the text is
    /// Slack's.
    private func cutIndex(in text: Substring, budget: Int) -> Substring.Index {
        let cut = Self.cutIndex(in: text, budget: budget)
        return self.isSlackMarkup ? Self.outsideSlackMarkup(cut, in: text) : cut
    }

    /// `cut`, or the start of the `<…>` link or mention or `&…;` entity it would split. In `mrkdwn` the text's own
    /// `<`, `>` and `&` are escaped, so these characters only ever begin and end markup. A piece of markup that
    /// starts the post is cut as it is: it is longer than a post.
    private static func outsideSlackMarkup(_ cut: Substring.Index, in text: Substring) -> Substring.Index {
        let head = text[..<cut]
        if let open = head.lastIndex(of: "<"), !head[open...].contains(">"), open > text.startIndex {
            return open
        }
        if let ampersand = head.lastIndex(of: "&"), !head[ampersand...].contains(";"),
            head.distance(from: ampersand, to: head.endIndex) < Self.longestEntity, ampersand > text.startIndex
        {
            return ampersand
        }
        return cut
    }

    /// `&amp;`, `&lt;` and `&gt;` are the only entities `mrkdwn` has.
    private static let longestEntity = "&amp;".count

    /// Where to end a post that may hold `budget` scalars of `text`: after the last blank line, line break or space
    /// in the second half of that window, else at the window's end (inside a character only when it alone is longer
    /// than the budget).
    private static func cutIndex(in text: Substring, budget: Int) -> Substring.Index {
        var end = text.startIndex
        var used = 0
        for index in text.indices {
            let size = text[index].unicodeScalars.count
            if used + size > budget { break }
            used += size
            end = text.index(after: index)
        }
        if end == text.startIndex {
            // A single character larger than a post (a pile of combining marks): cut between its scalars, as the
            // one way to post it; whole, the post would be refused as too long, again at every retry.
            return text.unicodeScalars.index(text.startIndex, offsetBy: budget)
        }
        let window = text[..<end]
        let half = text.index(text.startIndex, offsetBy: window.count / 2)
        for separator in ["\n\n", "\n", " "] {
            if let range = window.range(of: separator, options: .backwards), range.lowerBound >= half {
                return range.upperBound
            }
        }
        return end
    }

    /// The opening fence line still open after `text`, which starts inside `open` (nil when outside code).
    private static func fenceState(after text: Substring, open: Substring?) -> Substring? {
        var state = open
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            let trimmed = line.drop { $0 == " " }
            guard trimmed.hasPrefix("```") else { continue }
            state = state == nil ? trimmed : nil
        }
        return state
    }
}

extension StringProtocol {
    /// The text without trailing spaces and line breaks.
    fileprivate func trimmingTrailingWhitespace() -> SubSequence {
        var end = self.endIndex
        while end > self.startIndex, let last = self[..<end].last, last.isWhitespace {
            end = self.index(before: end)
        }
        return self[..<end]
    }
}
