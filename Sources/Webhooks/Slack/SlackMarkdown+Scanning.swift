/// The scans behind ``SlackMarkdown``. Each gives what a regular expression (quoted in its comment) matched before,
/// character for character, but settles every candidate from tables built in one pass over the line instead of
/// re-reading the rest of the line, so no crafted line costs more than linear time.
extension SlackMarkdown {
    /// A `[label](url)` link, as positions in the text it was found in.
    struct Link: Hashable {
        /// The whole link, brackets and parentheses included.
        var whole: Range<Int>
        /// The text between the brackets.
        var label: Range<Int>
        /// The address between the parentheses.
        var url: Range<Int>
    }

    /// The title of a heading line, as `#{1,6}\s+(.+?)\s*#*\s*` matched the whole line: up to six `#`, space, and
    /// the title without a closing run of `#` or trailing space.
    static func headingTitle(in line: [Character]) -> Range<Int>? {
        var hashes = 0
        while hashes < line.count, line[hashes] == "#" { hashes += 1 }
        guard (1...6).contains(hashes), hashes < line.count, line[hashes].isWhitespace else { return nil }
        var start = hashes
        while start < line.count, line[start].isWhitespace { start += 1 }
        // The closing sequence: the longest tail made of space, then `#`s, then space.
        var closing = line.count
        while closing > 0, line[closing - 1].isWhitespace { closing -= 1 }
        while closing > 0, line[closing - 1] == "#" { closing -= 1 }
        while closing > 0, line[closing - 1].isWhitespace { closing -= 1 }
        let lastBreak = line[..<closing].lastIndex(where: \.isNewline) ?? -1
        // The title is the shortest non-empty text before the closing sequence, with no line break; when there is
        // none, the space after the `#`s is given up one character at a time, as the pattern backtracks.
        while start > hashes {
            if start < closing {
                if lastBreak < start { return start..<closing }
            } else if start < line.count, !line[start].isNewline {
                return start..<(start + 1)
            }
            start -= 1
        }
        return nil
    }

    /// The indent and the text of a bullet item, as `(\s*)[-*+]\s+(.*)` matched the whole line.
    static func bulletItem(in line: [Character]) -> (indent: Range<Int>, item: Range<Int>)? {
        var marker = 0
        while marker < line.count, line[marker].isWhitespace { marker += 1 }
        guard marker + 1 < line.count, "-*+".contains(line[marker]), line[marker + 1].isWhitespace else { return nil }
        var item = marker + 1
        while item < line.count, line[item].isWhitespace { item += 1 }
        guard !line[item...].contains(where: \.isNewline) else { return nil }
        return (0..<marker, item..<line.count)
    }

    /// The links in `text`, left to right: `[label](http://…)` or `https://`, the address ending at the first `)` that
    /// closes more parentheses than the address opened (CommonMark's balanced parentheses, so
    /// `https://en.wikipedia.org/wiki/Swift_(programming_language)` stays whole), and never containing whitespace;
    /// and autolinks, `<https://…>`, whose address is their label.
    static func links(in text: [Character]) -> [Link] {
        let count = text.count
        // depth[k]: parentheses opened minus closed in the first k characters. From a position i, the address's
        // closing `)` is the first one after which the depth falls below depth[i]: with steps of one, where the
        // depth first equals depth[i] - 1.
        var depth = [Int](repeating: 0, count: count + 1)
        for (offset, character) in text.enumerated() {
            depth[offset + 1] = depth[offset] + (character == "(" ? 1 : character == ")" ? -1 : 0)
        }
        // For every position, where the next `]` is, and where an address starting there would end (its closing
        // `)`, or the whitespace that comes first). `firstReach[d + count]` is the smallest k seen so far (scanning
        // right to left) with depth[k] == d; depths lie in -count...count.
        var nextBracket = [Int](repeating: count, count: count + 1)
        var addressEnd = [Int](repeating: count, count: count + 1)
        var firstReach = [Int](repeating: Int.max, count: 2 * count + 2)
        var nextSpace = count
        var index = count - 1
        while index >= 0 {
            firstReach[depth[index + 1] + count] = index + 1
            nextBracket[index] = text[index] == "]" ? index : nextBracket[index + 1]
            if text[index].isWhitespace { nextSpace = index }
            let wanted = depth[index] - 1 + count
            let close = wanted >= 0 && firstReach[wanted] != Int.max ? firstReach[wanted] - 1 : count
            addressEnd[index] = min(close, nextSpace)
            index -= 1
        }
        var links: [Link] = []
        index = 0
        while index < count {
            if text[index] == "[" {
                let close = nextBracket[index + 1]
                if close > index + 1, close + 1 < count, text[close + 1] == "(",
                    let host = Self.afterScheme(in: text, at: close + 2),
                    addressEnd[host] > host, addressEnd[host] < count, text[addressEnd[host]] == ")"
                {
                    let end = addressEnd[host]
                    links.append(Link(whole: index..<(end + 1), label: (index + 1)..<close, url: (close + 2)..<end))
                    index = end + 1
                    continue
                }
            } else if text[index] == "<", let host = Self.afterScheme(in: text, at: index + 1) {
                // An autolink, `<https://…>`: its address is its label. The scan stops at the first space or `<`,
                // so no two scans read the same character.
                var end = host
                while end < count, text[end] != ">", text[end] != "<", !text[end].isWhitespace { end += 1 }
                if end < count, text[end] == ">", end > host {
                    links.append(Link(whole: index..<(end + 1), label: (index + 1)..<end, url: (index + 1)..<end))
                    index = end + 1
                    continue
                }
            }
            index += 1
        }
        return links
    }

    /// Where the text after `http://` or `https://` at `start` begins, if one is there.
    private static func afterScheme(in text: [Character], at start: Int) -> Int? {
        var index = start
        for expected in "http" {
            guard index < text.count, text[index] == expected else { return nil }
            index += 1
        }
        if index < text.count, text[index] == "s" { index += 1 }
        for expected in "://" {
            guard index < text.count, text[index] == expected else { return nil }
            index += 1
        }
        return index
    }

    /// Replaces every span between two doubled `delimiters` (`**bold**`, `__bold__`, `~~gone~~`) by its content
    /// between `marker`s, as `(DD)(\S(?:.*?\S)?)\1` did: the content starts and ends with a non-space and holds no
    /// line break, and runs to the nearest closing pair after its second character, or else right after its first.
    static func replacingSpans(
        in text: [Character],
        delimitedBy delimiters: [Character],
        with marker: Character
    ) -> [Character] {
        let count = text.count
        // For every position and delimiter, the nearest closing pair (a doubled delimiter after a non-space) at or
        // after it; and the nearest line break.
        let row = count + 1
        var closing = [Int](repeating: count, count: delimiters.count * row)
        var nextBreak = [Int](repeating: count, count: count + 1)
        // Plain loops: this runs over every character of the answer, and in a debug build a generic sequence
        // (`stride`, `enumerated`) costs several times the work itself.
        var index = count - 1
        while index >= 0 {
            nextBreak[index] = text[index].isNewline ? index : nextBreak[index + 1]
            let pairs =
                index > 0 && index + 1 < count && text[index] == text[index + 1] && !text[index - 1].isWhitespace
            var kind = 0
            while kind < delimiters.count {
                let closes = pairs && text[index] == delimiters[kind]
                closing[kind * row + index] = closes ? index : closing[kind * row + index + 1]
                kind += 1
            }
            index -= 1
        }
        var result: [Character] = []
        result.reserveCapacity(count)
        var copied = 0
        index = 0
        while index < count {
            let first = index + 2
            // A span needs its two delimiters, one character, and the closing pair.
            if first + 2 < count, text[index + 1] == text[index], let kind = delimiters.firstIndex(of: text[index]),
                !text[first].isWhitespace
            {
                var end: Int?
                if closing[kind * row + first + 2] < nextBreak[first + 1] {
                    end = closing[kind * row + first + 2]
                } else if closing[kind * row + first + 1] == first + 1 {
                    end = first + 1
                }
                // `***both***`: the bold pair is the outer two of each run of three, so the inner `*both*` stays
                // whole for the italic pass (`*_both_*`); split the other way it became `*_both*_`.
                if let closedAt = end, text[first] == text[index], closedAt + 2 < count,
                    text[closedAt + 2] == text[index]
                {
                    end = closedAt + 1
                }
                if let end {
                    result += text[copied..<index]
                    result.append(marker)
                    result += text[first..<end]
                    result.append(marker)
                    index = end + 2
                    copied = index
                    continue
                }
            }
            index += 1
        }
        return result + text[copied...]
    }

    /// Replaces `*italic*` by `_italic_`, as `(^|[^*\w])\*(\S(?:[^*]*?\S)?)\*(?![*\w])` did: a single `*` not
    /// after a word character, content that starts and ends with a non-space and has no `*` inside, and a closing
    /// `*` not followed by a word character or another `*`.
    static func replacingItalics(in text: [Character]) -> [Character] {
        var result: [Character] = []
        result.reserveCapacity(text.count)
        var copied = 0
        var index = 0
        while index < text.count {
            let star = index == 0 && text[0] == "*" ? 0 : Self.isStarOrWord(text[index]) ? nil : index + 1
            if let star, star < text.count, text[star] == "*", let close = Self.italicClose(in: text, openedAt: star) {
                result += text[copied..<star]
                result.append("_")
                result += text[(star + 1)..<close]
                result.append("_")
                index = close + 1
                copied = index
                continue
            }
            index += 1
        }
        return result + text[copied...]
    }

    /// The closing `*` of an italic span opened at `star`; the search stops at the next `*`, so every character is
    /// looked at by at most two openings.
    private static func italicClose(in text: [Character], openedAt star: Int) -> Int? {
        let first = star + 1
        guard first < text.count, !text[first].isWhitespace else { return nil }
        let closes = { (last: Int) in
            last + 1 < text.count && !text[last].isWhitespace && text[last + 1] == "*"
                && (last + 2 == text.count || !Self.isStarOrWord(text[last + 2]))
        }
        var last = first + 1
        while last < text.count {
            if closes(last) { return last + 1 }
            if text[last] == "*" { break }
            last += 1
        }
        return closes(first) ? first + 1 : nil
    }

    private static func isStarOrWord(_ character: Character) -> Bool {
        character == "*" || character == "_" || character.isLetter || character.isNumber
    }
}
