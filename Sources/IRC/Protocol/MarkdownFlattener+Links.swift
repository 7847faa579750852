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
        let textStart = self.output.count
        self.renderNested(link.text)
        let url = self.characters.bytes(of: link.url)
        if self.output.count == textStart || self.repeats(url, from: textStart) {
            self.output.removeSubrange(textStart...)
            self.output += url
        } else {
            self.output += " <".utf8
            self.output += url
            self.output.append(UInt8(ascii: ">"))
        }
    }

    /// Whether the output from `start` on only repeats `url` (see ``isSameAddress(_:_:)``).
    private func repeats(_ url: [UInt8], from start: Int) -> Bool {
        Self.isSameAddress(self.output[start...], url)
    }

    /// Parses an inline link whose `[` is at `index`; reference links and plain brackets give `nil`.
    ///
    /// Reading destinations is charged to ``destinationBudget``: a line of `[a](` repeated would otherwise read to
    /// its end from every one. Once spent (four times the line, far more than real links take), brackets stay text.
    mutating func link(at index: Int, upper: Int) -> Link? {
        if self.closingBrackets == nil {
            self.closingBrackets = MarkdownFlattener.InlineScan.closingBrackets(self.characters, self.range)
        }
        guard self.depth < Self.maximumDepth, let close = self.closingBrackets?[index], close < upper,
            close + 1 < upper, self.characters.isCharacter(close + 1, "("), self.destinationBudget > 0
        else {
            return nil
        }
        let (destination, reach) = self.destination(from: close + 2, upper: upper)
        self.destinationBudget -= reach - close
        guard let (url, end) = destination else {
            return nil
        }
        return Link(text: (index + 1)..<close, url: url, end: end)
    }

    /// Reads `url)`, `<url>)` or `url "title")` from `start`; returns the URL and the index after `)`, and how far
    /// it read.
    private func destination(from start: Int, upper: Int) -> (found: (Range<Int>, Int)?, reach: Int) {
        var scan = start
        while scan < upper, self.characters.isCharacter(scan, " ") { scan += 1 }
        var url = scan..<scan
        if scan < upper, self.characters.isCharacter(scan, "<") {
            guard let close = self.firstIndex(of: ">", in: scan..<upper) else { return (nil, upper) }
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
        guard let close = self.firstIndex(of: ")", in: scan..<upper) else { return (nil, upper) }
        let title = (scan..<close).drop { self.characters.isCharacter($0, " ") }
        guard let titleStart = title.first else { return ((url, close + 1), close + 1) }
        guard self.characters.isCharacter(titleStart, "\"") || self.characters.isCharacter(titleStart, "'") else {
            return (nil, close + 1)
        }
        return ((url, close + 1), close + 1)
    }

    /// The end of an autolink `<scheme://…>` or `<mailto:…>` starting at `index`; HTML tags give `nil`.
    mutating func autolinkEnd(at index: Int, upper: Int) -> Int? {
        let search = self.autolinkSearch(after: index, upper: upper)
        guard let close = search.close else { return nil }
        // The content runs from `index + 1` to `close`: it must hold no whitespace, and `://` or start `mailto:`.
        let hasWhitespace = search.lastWhitespace.map { $0 > index } ?? false
        let hasSeparator = search.lastSeparator.map { $0 > index } ?? false
        let isLink = hasSeparator || self.hasPrefix("mailto:", at: index + 1, upper: close)
        return isLink && !hasWhitespace ? close + 1 : nil
    }

    /// The first `>` after `index` within `upper`, and the last whitespace and `://` before it.
    ///
    /// Every `<` before one `>` shares that search, so it is made once: a line of `<a ` repeated would otherwise be
    /// read to its end from every `<`.
    private mutating func autolinkSearch(after index: Int, upper: Int) -> AutolinkSearch {
        if let search = self.autolinkSearch, search.upper == upper, search.from <= index + 1,
            search.close.map({ $0 > index }) ?? true
        {
            return search
        }
        var search = AutolinkSearch(from: index + 1, upper: upper)
        var scan = index + 1
        while scan < upper, !self.characters.isCharacter(scan, ">") {
            if self.characters.isWhitespace(scan) {
                search.lastWhitespace = scan
            }
            if scan + 2 < upper, self.characters.isCharacter(scan, ":"), self.characters.isCharacter(scan + 1, "/"),
                self.characters.isCharacter(scan + 2, "/")
            {
                search.lastSeparator = scan
            }
            scan += 1
        }
        search.close = scan < upper ? scan : nil
        self.autolinkSearch = search
        return search
    }

    /// What a search for an autolink's `>` found, for every `<` from ``from`` on.
    struct AutolinkSearch {
        /// Where the search began.
        var from: Int
        /// The end of the range searched.
        var upper: Int
        /// The first `>` from ``from``, if any.
        var close: Int?
        /// The last whitespace between ``from`` and ``close``.
        var lastWhitespace: Int?
        /// The last `://` that starts between ``from`` and ``close`` and ends before ``close``.
        var lastSeparator: Int?
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
        // Parentheses are counted once and kept up to date as the end moves: counting them again for every
        // character taken off made a URL ending in thousands of `)` quadratic.
        // Only `)` is ever taken off, so the count of `(` stays as it is.
        let opening = (index..<end).count { self.characters.isCharacter($0, "(") }
        var closing = (index..<end).count { self.characters.isCharacter($0, ")") }
        while end > index {
            let last = end - 1
            let isClosing = self.characters.isCharacter(last, ")")
            let unbalanced = isClosing && opening < closing
            guard ".,;:!?'\"".unicodeScalars.contains(where: { self.characters.isCharacter(last, $0) }) || unbalanced
            else { break }
            if isClosing { closing -= 1 }
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
    private static func isSameAddress(_ text: ArraySlice<UInt8>, _ url: [UInt8]) -> Bool {
        guard text.allSatisfy({ $0 < 0x80 }), url.allSatisfy({ $0 < 0x80 }) else {
            return Self.bareAddress(String(decoding: text, as: UTF8.self))
                == Self.bareAddress(String(decoding: url, as: UTF8.self))
        }
        return Self.bareAddress(text).elementsEqual(Self.bareAddress(url[...]))
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
