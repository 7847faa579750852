extension InlineRenderer {
    /// Pairs each opening run of backticks with the next run of the same length, left to right, as CommonMark
    /// does; a backslash escapes a backtick outside code spans but is literal inside them (so `` `C:\` `` works).
    static func findCodeSpans(_ text: [UInt8]) -> [Int: Int] {
        let backtick = UInt8(ascii: "`")
        var runStarts: [Int: [Int]] = [:]
        var index = 0
        while index < text.count {
            guard text[index] == backtick else {
                index += 1
                continue
            }
            let start = index
            while index < text.count, text[index] == backtick {
                index += 1
            }
            runStarts[index - start, default: []].append(start)
        }
        guard !runStarts.isEmpty else { return [:] }
        var spans: [Int: Int] = [:]
        index = 0
        while index < text.count {
            if text[index] == UInt8(ascii: "\\"), index + 1 < text.count, Line.isPunctuation(text[index + 1]) {
                index += 2
                continue
            }
            guard text[index] == backtick else {
                index += 1
                continue
            }
            var end = index
            while end < text.count, text[end] == backtick {
                end += 1
            }
            let length = end - index
            if let close = Self.firstStart(in: runStarts[length] ?? [], atOrAfter: end) {
                spans[index] = close
                index = close + length
            } else {
                index = end
            }
        }
        return spans
    }

    /// The first element of the sorted `starts` that is at least `position`.
    private static func firstStart(in starts: [Int], atOrAfter position: Int) -> Int? {
        var low = 0
        var high = starts.count
        while low < high {
            let middle = (low + high) / 2
            if starts[middle] < position { low = middle + 1 } else { high = middle }
        }
        return low < starts.count ? starts[low] : nil
    }

    /// Matches brackets like parentheses, skipping code spans and escaped brackets.
    static func matchBrackets(_ text: [UInt8], codeSpans: [Int: Int]) -> [Int: Int] {
        var open: [Int] = []
        var closing: [Int: Int] = [:]
        var index = 0
        while index < text.count {
            switch text[index] {
            case UInt8(ascii: "\\") where index + 1 < text.count && Line.isPunctuation(text[index + 1]):
                index += 1
            case UInt8(ascii: "`"):
                var end = index
                while end < text.count, text[end] == UInt8(ascii: "`") {
                    end += 1
                }
                index = codeSpans[index].map { $0 + (end - index) } ?? end
                continue
            case UInt8(ascii: "["):
                open.append(index)
            case UInt8(ascii: "]"):
                if let start = open.popLast() {
                    closing[start] = index
                }
            default:
                break
            }
            index += 1
        }
        return closing
    }

    /// `*em*`/`_em_` as `<em>`, `**strong**`/`__strong__` as `<strong>`, `~~strike~~` as `<del>`, or the
    /// delimiter run as text when it opens nothing.
    ///
    /// Stricter than CommonMark on purpose, like the IRC flattener: a delimiter opens only at the start of a word
    /// and closes only at the end of one, so `snake_case_name`, `2*3*4` and `a * b * c` stay as written.
    mutating func renderDelimited(at index: Int, upper: Int, links: Bool, depth: Int) -> Int {
        let delimiter = self.text[index]
        let run = self.runLength(at: index, upper: upper)
        let isTilde = delimiter == UInt8(ascii: "~")
        let width = run >= 2 ? 2 : 1
        guard depth < MarkdownHTMLRenderer.maximumInlineDepth, !isTilde || run >= 2,
            let close = self.closer(at: index, run: run, width: width, upper: upper)
        else {
            self.output.text(self.text[index..<(index + run)])
            return index + run
        }
        switch (isTilde, width) {
        case (true, _): self.output.markup("<del>")
        case (false, 2): self.output.markup("<strong>")
        default: self.output.markup("<em>")
        }
        self.render((index + width)..<close, links: links, depth: depth + 1)
        switch (isTilde, width) {
        case (true, _): self.output.markup("</del>")
        case (false, 2): self.output.markup("</strong>")
        default: self.output.markup("</em>")
        }
        return close + width
    }

    /// Where the closing delimiter of the emphasis opened at `index` starts, or nil.
    ///
    /// A closing run must be exactly one delimiter for `<em>` and at least two for the others (the last two of a
    /// longer run, so `***both***` nests), and code spans are skipped so a `*` in code never closes anything.
    private mutating func closer(at index: Int, run: Int, width: Int, upper: Int) -> Int? {
        let start = index + run
        guard start < upper, !Line.isWhitespace(self.text[start]), self.isWordStart(index) else { return nil }
        let search = DelimiterSearch(delimiter: self.text[index], width: width, upper: upper)
        if let failedFrom = self.failedCloserSearches[search], failedFrom <= start {
            return nil
        }
        var scan = start
        while scan < upper {
            if self.text[scan] == UInt8(ascii: "`") {
                let length = self.runLength(at: scan, upper: upper)
                if let close = self.codeSpans[scan], close + length <= upper {
                    scan = close + length
                } else {
                    scan += length
                }
                continue
            }
            guard self.text[scan] == search.delimiter else {
                scan += 1
                continue
            }
            let length = self.runLength(at: scan, upper: upper)
            let fits = width == 2 ? length >= 2 : length == 1
            let endsWord = scan + length == upper || !Line.isWordByte(self.text[scan + length])
            let close = scan + length - width
            if fits, endsWord, !Line.isWhitespace(self.text[scan - 1]), close > index + width {
                return close
            }
            scan += length
        }
        // Any later opener's search would scan a part of this one's range and fail the same way.
        self.failedCloserSearches[search] = min(self.failedCloserSearches[search] ?? start, start)
        return nil
    }
}
