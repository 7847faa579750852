extension MarkdownFlattener.InlineRenderer {
    /// A parsed `[text](url)`: where its text and destination are and where the whole construct ends.
    struct Link {
        /// The range of the link text, between the brackets.
        var text: Range<Int>
        /// The range of the destination, without angle brackets or title.
        var url: Range<Int>
        /// The index just past the closing parenthesis.
        var end: Int
    }

    /// Writes `text <url>` so the text reads naturally and the URL stays clickable; just the URL when the text is
    /// empty or only repeats it (`[example.com](https://example.com/)`), which would otherwise show twice.
    mutating func renderLink(_ link: Link) {
        var renderer = MarkdownFlattener.InlineRenderer(characters: self.characters)
        renderer.render(link.text)
        let text = renderer.output
        let url = self.characters.bytes(of: link.url)
        if text.isEmpty || Self.isSameAddress(text, url) {
            self.output += url
        } else {
            self.output += text
            self.output += " <".utf8
            self.output += url
            self.output.append(UInt8(ascii: ">"))
        }
    }

    /// Parses an inline link whose `[` is at `index`; reference links and plain brackets give `nil`.
    func link(at index: Int, upper: Int) -> Link? {
        var depth = 0
        var scan = index + 1
        var close: Int?
        while scan < upper, close == nil {
            if self.characters.isCharacter(scan, "\\") {
                scan += 1
            } else if self.characters.isCharacter(scan, "[") {
                depth += 1
            } else if self.characters.isCharacter(scan, "]") {
                if depth == 0 { close = scan } else { depth -= 1 }
            }
            scan += 1
        }
        guard let close, close + 1 < upper, self.characters.isCharacter(close + 1, "(") else {
            return nil
        }
        guard let (url, end) = self.destination(from: close + 2, upper: upper) else {
            return nil
        }
        return Link(text: (index + 1)..<close, url: url, end: end)
    }

    /// Reads `url)`, `<url>)` or `url "title")` from `start`; returns the URL and the index after `)`.
    private func destination(from start: Int, upper: Int) -> (Range<Int>, Int)? {
        var scan = start
        while scan < upper, self.characters.isCharacter(scan, " ") { scan += 1 }
        var url = scan..<scan
        if scan < upper, self.characters.isCharacter(scan, "<") {
            guard let close = self.firstIndex(of: ">", in: scan..<upper) else { return nil }
            url = (scan + 1)..<close
            scan = close + 1
        } else {
            var parentheses = 0
            let urlStart = scan
            while scan < upper, !self.characters.isWhitespace(scan) {
                if self.characters.isCharacter(scan, "(") { parentheses += 1 }
                if self.characters.isCharacter(scan, ")") {
                    if parentheses == 0 { break }
                    parentheses -= 1
                }
                scan += 1
            }
            url = urlStart..<scan
        }
        guard let close = self.firstIndex(of: ")", in: scan..<upper) else { return nil }
        let title = (scan..<close).drop { self.characters.isCharacter($0, " ") }
        guard let titleStart = title.first else { return (url, close + 1) }
        guard self.characters.isCharacter(titleStart, "\"") || self.characters.isCharacter(titleStart, "'") else {
            return nil
        }
        return (url, close + 1)
    }

    /// The end of an autolink `<scheme://…>` or `<mailto:…>` starting at `index`; HTML tags give `nil`.
    func autolinkEnd(at index: Int, upper: Int) -> Int? {
        guard let close = self.firstIndex(of: ">", in: (index + 1)..<upper) else { return nil }
        let content = self.characters.string((index + 1)..<close)
        let isLink = content.contains("://") || content.hasPrefix("mailto:")
        return isLink && !content.contains(where: \.isWhitespace) ? close + 1 : nil
    }

    /// The end of a bare `http://` or `https://` URL starting at `index`, trailing sentence punctuation and an
    /// unbalanced `)` left out; bare URLs pass through untouched so `_` and `*` in them never become emphasis.
    func bareURLEnd(at index: Int, upper: Int) -> Int? {
        guard self.hasPrefix("https://", at: index, upper: upper) || self.hasPrefix("http://", at: index, upper: upper)
        else { return nil }
        var end = index
        while end < upper, !self.characters.isWhitespace(end), !self.characters.isCharacter(end, "<") {
            end += 1
        }
        while end > index {
            let last = end - 1
            let url = index..<end
            let unbalanced =
                self.characters.isCharacter(last, ")")
                && url.count(where: { self.characters.isCharacter($0, "(") })
                    < url.count(where: { self.characters.isCharacter($0, ")") })
            guard ".,;:!?'\"".unicodeScalars.contains(where: { self.characters.isCharacter(last, $0) }) || unbalanced
            else { break }
            end -= 1
        }
        return end
    }

    /// The first character in `range` equal to `ascii`.
    private func firstIndex(of ascii: Unicode.Scalar, in range: Range<Int>) -> Int? {
        range.first { self.characters.isCharacter($0, ascii) }
    }

    /// Whether the characters from `index` on spell `prefix` (ASCII).
    private func hasPrefix(_ prefix: String, at index: Int, upper: Int) -> Bool {
        var scan = index
        for scalar in prefix.unicodeScalars {
            guard scan < upper, self.characters.isCharacter(scan, scalar) else { return false }
            scan += 1
        }
        return true
    }

    /// Whether link text merely repeats its URL, comparing both without scheme or trailing slash.
    ///
    /// ASCII text (the usual case) is compared byte by byte, which for ASCII is exactly what comparing the strings
    /// does; anything else is compared as strings, with their canonical equivalence.
    private static func isSameAddress(_ text: [UInt8], _ url: [UInt8]) -> Bool {
        guard text.allSatisfy({ $0 < 0x80 }), url.allSatisfy({ $0 < 0x80 }) else {
            return Self.bareAddress(String(decoding: text, as: UTF8.self))
                == Self.bareAddress(String(decoding: url, as: UTF8.self))
        }
        return Self.bareAddress(text[...]).elementsEqual(Self.bareAddress(url[...]))
    }

    private static let schemes = ["https://", "http://", "mailto:"]

    /// An address without scheme or trailing slash, to notice link text that merely repeats its URL.
    private static func bareAddress(_ text: String) -> Substring {
        var address = text[...]
        for scheme in Self.schemes where address.hasPrefix(scheme) {
            address = address.dropFirst(scheme.count)
        }
        while address.hasSuffix("/") {
            address = address.dropLast()
        }
        return address
    }

    /// ``bareAddress(_:)`` of ASCII text, on its bytes.
    private static func bareAddress(_ text: ArraySlice<UInt8>) -> ArraySlice<UInt8> {
        var address = text
        for scheme in Self.schemes where address.starts(with: scheme.utf8) {
            address = address.dropFirst(scheme.utf8.count)
        }
        while address.last == UInt8(ascii: "/") {
            address = address.dropLast()
        }
        return address
    }
}
