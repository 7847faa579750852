extension MarkdownFlattener.InlineRenderer {
    /// A parsed `[text](url)`: where its text is and where the whole construct ends.
    struct Link {
        /// The range of the link text, between the brackets.
        var text: Range<Int>
        /// The destination, without angle brackets or title.
        var url: String
        /// The index just past the closing parenthesis.
        var end: Int
    }

    /// `text <url>` so the text reads naturally and the URL stays clickable; just the URL when the text is empty
    /// or only repeats it (`[example.com](https://example.com/)`), which would otherwise show twice.
    func linkText(_ link: Link) -> String {
        var renderer = MarkdownFlattener.InlineRenderer(characters: self.characters)
        renderer.render(link.text)
        let text = renderer.output
        if text.isEmpty || Self.bareAddress(text) == Self.bareAddress(link.url) {
            return link.url
        }
        return "\(text) <\(link.url)>"
    }

    /// Parses an inline link whose `[` is at `index`; reference links and plain brackets give `nil`.
    func link(at index: Int, upper: Int) -> Link? {
        var depth = 0
        var scan = index + 1
        var close: Int?
        while scan < upper, close == nil {
            switch self.characters[scan] {
            case "\\": scan += 1
            case "[": depth += 1
            case "]" where depth == 0: close = scan
            case "]": depth -= 1
            default: break
            }
            scan += 1
        }
        guard let close, close + 1 < upper, self.characters[close + 1] == "(" else {
            return nil
        }
        guard let (url, end) = self.destination(from: close + 2, upper: upper) else {
            return nil
        }
        return Link(text: (index + 1)..<close, url: url, end: end)
    }

    /// Reads `url)`, `<url>)` or `url "title")` from `start`; returns the URL and the index after `)`.
    private func destination(from start: Int, upper: Int) -> (String, Int)? {
        var scan = start
        while scan < upper, self.characters[scan] == " " { scan += 1 }
        var url = ""
        if scan < upper, self.characters[scan] == "<" {
            guard let close = self.characters[scan..<upper].firstIndex(of: ">") else { return nil }
            url = String(self.characters[(scan + 1)..<close])
            scan = close + 1
        } else {
            var parentheses = 0
            let urlStart = scan
            while scan < upper, !self.characters[scan].isWhitespace {
                if self.characters[scan] == "(" { parentheses += 1 }
                if self.characters[scan] == ")" {
                    if parentheses == 0 { break }
                    parentheses -= 1
                }
                scan += 1
            }
            url = String(self.characters[urlStart..<scan])
        }
        guard let close = self.characters[scan..<upper].firstIndex(of: ")") else { return nil }
        let title = self.characters[scan..<close].drop { $0 == " " }
        guard title.isEmpty || title.first == "\"" || title.first == "'" else { return nil }
        return (url, close + 1)
    }

    /// The end of an autolink `<scheme://…>` or `<mailto:…>` starting at `index`; HTML tags give `nil`.
    func autolinkEnd(at index: Int, upper: Int) -> Int? {
        guard let close = self.characters[(index + 1)..<upper].firstIndex(of: ">") else { return nil }
        let content = String(self.characters[(index + 1)..<close])
        let isLink = content.contains("://") || content.hasPrefix("mailto:")
        return isLink && !content.contains(where: \.isWhitespace) ? close + 1 : nil
    }

    /// The end of a bare `http://` or `https://` URL starting at `index`, trailing sentence punctuation and an
    /// unbalanced `)` left out; bare URLs pass through untouched so `_` and `*` in them never become emphasis.
    func bareURLEnd(at index: Int, upper: Int) -> Int? {
        let rest = self.characters[index..<upper]
        guard rest.starts(with: "https://") || rest.starts(with: "http://") else { return nil }
        var end = rest.firstIndex { $0.isWhitespace || $0 == "<" } ?? upper
        while end > index {
            let last = self.characters[end - 1]
            let url = self.characters[index..<end]
            let unbalanced = last == ")" && url.count(where: { $0 == "(" }) < url.count(where: { $0 == ")" })
            guard ".,;:!?'\"".contains(last) || unbalanced else { break }
            end -= 1
        }
        return end
    }

    /// An address without scheme or trailing slash, to notice link text that merely repeats its URL.
    private static func bareAddress(_ text: String) -> Substring {
        var address = text[...]
        for scheme in ["https://", "http://", "mailto:"] where address.hasPrefix(scheme) {
            address = address.dropFirst(scheme.count)
        }
        while address.hasSuffix("/") {
            address = address.dropLast()
        }
        return address
    }
}
