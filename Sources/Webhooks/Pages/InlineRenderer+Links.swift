extension InlineRenderer {
    /// A parsed `[text](destination "title")`; the title is read past but not shown.
    struct Link {
        /// Between the brackets.
        var text: Range<Int>
        /// The destination, without angle brackets.
        var destination: Range<Int>
        /// Just past the closing parenthesis.
        var end: Int
    }

    /// The inline link whose `[` is at `index`, or nil (reference links are not supported: models do not use them).
    ///
    /// Failed attempts can overlap (`[a](b[a](b…`), so the bytes all attempts may read are budgeted; once the
    /// budget is spent, which only crafted text does, the remaining brackets are text.
    mutating func link(at index: Int, upper: Int) -> Link? {
        guard self.linkScanBudget > 0, let close = self.closingBrackets[index], close + 1 < upper,
            self.text[close + 1] == UInt8(ascii: "(")
        else { return nil }
        var scan = close + 2
        defer { self.linkScanBudget -= scan - close }
        scan = self.skippingWhitespace(from: scan, upper: upper)
        let destination: Range<Int>
        if scan < upper, self.text[scan] == UInt8(ascii: "<") {
            let start = scan + 1
            scan = start
            while scan < upper, scan - start <= SafeURL.maximumLength,
                ![UInt8(ascii: ">"), UInt8(ascii: "<"), UInt8(ascii: "\n")].contains(self.text[scan])
            {
                scan += 1
            }
            guard scan < upper, self.text[scan] == UInt8(ascii: ">") else { return nil }
            destination = start..<scan
            scan += 1
        } else {
            let start = scan
            var parentheses = 0
            scanning: while scan < upper, scan - start <= SafeURL.maximumLength, self.text[scan] > 0x20 {
                switch self.text[scan] {
                case UInt8(ascii: "\\") where scan + 1 < upper && Line.isPunctuation(self.text[scan + 1]):
                    scan += 1
                case UInt8(ascii: "("):
                    parentheses += 1
                case UInt8(ascii: ")"):
                    guard parentheses > 0 else { break scanning }
                    parentheses -= 1
                default:
                    break
                }
                scan += 1
            }
            guard scan - start <= SafeURL.maximumLength else { return nil }
            destination = start..<scan
        }
        scan = self.skippingWhitespace(from: scan, upper: upper)
        if scan < upper, let closingQuote = Self.titleQuotes[self.text[scan]] {
            // Titles are short; one that runs on is not a title, and the construct is not a link.
            let title = (scan + 1)..<min(upper, scan + 1 + SafeURL.maximumLength)
            guard let end = title.first(where: { self.text[$0] == closingQuote }) else {
                scan = title.upperBound
                return nil
            }
            scan = self.skippingWhitespace(from: end + 1, upper: upper)
        }
        guard scan < upper, self.text[scan] == UInt8(ascii: ")") else { return nil }
        return Link(text: (index + 1)..<close, destination: destination, end: scan + 1)
    }

    /// The quotes a link title may open with, and what closes each.
    private static let titleQuotes: [UInt8: UInt8] = [
        UInt8(ascii: "\""): UInt8(ascii: "\""), UInt8(ascii: "'"): UInt8(ascii: "'"),
        UInt8(ascii: "("): UInt8(ascii: ")"),
    ]

    private func skippingWhitespace(from index: Int, upper: Int) -> Int {
        var index = index
        while index < upper, Line.isWhitespace(self.text[index]) {
            index += 1
        }
        return index
    }

    /// The destination with backslash escapes resolved.
    private func unescapedDestination(_ range: Range<Int>) -> [UInt8] {
        var bytes: [UInt8] = []
        var index = range.lowerBound
        while index < range.upperBound {
            if self.text[index] == UInt8(ascii: "\\"), index + 1 < range.upperBound,
                Line.isPunctuation(self.text[index + 1])
            {
                index += 1
            }
            bytes.append(self.text[index])
            index += 1
        }
        return bytes
    }

    /// `<a>` when the destination is safe; otherwise the whole construct, as written, as text.
    mutating func renderLink(_ link: Link, from start: Int, depth: Int) {
        guard depth < MarkdownHTMLRenderer.maximumInlineDepth,
            let href = SafeURL.href(self.unescapedDestination(link.destination))
        else {
            self.output.text(self.text[start..<link.end])
            return
        }
        self.openAnchor(href)
        if link.text.isEmpty {
            self.output.text(href)
        } else {
            self.render(link.text, links: false, depth: depth + 1)
        }
        self.output.markup("</a>")
    }

    /// `<img>` for an HTTPS image (the only kind the page's content security policy loads), a link to any other
    /// safe address, and the construct as text otherwise. The alt text is shown as written.
    mutating func renderImage(_ link: Link, from start: Int) {
        guard let source = SafeURL.href(self.unescapedDestination(link.destination)) else {
            self.output.text(self.text[start..<link.end])
            return
        }
        let alt = self.text[link.text]
        guard SafeURL.isHTTPS(source) else {
            self.openAnchor(source)
            self.output.text(alt.isEmpty ? source[...] : alt)
            self.output.markup("</a>")
            return
        }
        self.output.markup("<img src=\"")
        self.output.text(source)
        self.output.markup("\" alt=\"")
        self.output.text(alt)
        self.output.markup("\" loading=\"lazy\">")
    }

    /// `<url>` for an allowed scheme; nil when what starts at `index` is not one (it is then text).
    mutating func renderAutolink(at index: Int, upper: Int) -> Int? {
        let start = index + 1
        guard SafeURL.hasAllowedScheme(self.text[start..<upper]) else { return nil }
        var end = start
        while end < upper, end - start <= SafeURL.maximumLength, self.text[end] > 0x20, self.text[end] != 0x7F,
            self.text[end] != UInt8(ascii: "<"), self.text[end] != UInt8(ascii: ">")
        {
            end += 1
        }
        guard end < upper, self.text[end] == UInt8(ascii: ">"), let href = SafeURL.href(self.text[start..<end])
        else { return nil }
        self.openAnchor(href)
        self.output.text(href)
        self.output.markup("</a>")
        return end + 1
    }

    /// A bare `http://` or `https://` URL at the start of a word, as a link, up to whitespace, `<`, `>` or `"`;
    /// trailing sentence punctuation and an unbalanced `)` are left out of it. The URL is consumed even when it is
    /// too long to link, so `_` and `*` in it never become emphasis.
    mutating func renderBareURL(at index: Int, upper: Int) -> Int? {
        let rest = self.text[index..<upper]
        guard self.isWordStart(index), SafeURL.startsWith(rest, "http://") || SafeURL.startsWith(rest, "https://")
        else { return nil }
        var end = index
        var balance = 0
        while end < upper, self.text[end] > 0x20, !Self.endsBareURL.contains(self.text[end]) {
            if self.text[end] == UInt8(ascii: "(") { balance += 1 }
            if self.text[end] == UInt8(ascii: ")") { balance -= 1 }
            end += 1
        }
        while end > index {
            let last = self.text[end - 1]
            if ".,;:!?'\"*_~".utf8.contains(last) {
                end -= 1
            } else if last == UInt8(ascii: ")"), balance < 0 {
                balance += 1
                end -= 1
            } else {
                break
            }
        }
        guard let href = SafeURL.href(self.text[index..<end]) else {
            self.output.text(self.text[index..<end])
            return end
        }
        self.openAnchor(href)
        self.output.text(href)
        self.output.markup("</a>")
        return end
    }

    /// Bytes a bare URL never contains: DEL, and the markup characters a real URL would have percent-encoded.
    private static let endsBareURL: [UInt8] = [0x7F, UInt8(ascii: "<"), UInt8(ascii: ">"), UInt8(ascii: "\"")]

    /// `<a href="…" rel="…">`: the address is escaped like any text; `rel` keeps the page from vouching for the
    /// target or giving it a handle on the page.
    private mutating func openAnchor(_ href: [UInt8]) {
        self.output.markup("<a href=\"")
        self.output.text(href)
        self.output.markup("\" rel=\"nofollow noopener noreferrer\">")
    }
}
