extension MarkdownFlattener.InlineRenderer {
    /// Renders `**strong**`/`__strong__` as IRC bold and `*em*`/`_em_` as IRC italic, or the delimiter run as
    /// text when it does not open emphasis.
    ///
    /// Stricter than CommonMark on purpose: a delimiter opens only at the start of a word and closes only at the
    /// end of one, for `*` as well as `_`, so `snake_case_name`, `2*3*4` and `a * b * c` stay as written.
    mutating func renderEmphasis(at index: Int, upper: Int) -> Int {
        let run = self.runLength(at: index, upper: upper)
        let width = run >= 2 ? 2 : 1
        guard let close = self.emphasisClose(at: index, run: run, width: width, upper: upper) else {
            self.characters.append(index..<(index + run), to: &self.output)
            return index + run
        }
        let marker: UInt8 = width == 2 ? 0x02 : 0x1D
        self.output.append(marker)
        self.render((index + width)..<close)
        self.output.append(marker)
        return close + width
    }

    /// Where the closing delimiter of the emphasis opened at `index` starts, or `nil` when it is not emphasis.
    ///
    /// A closing run must be exactly one character for italic and at least two for bold (the last two of a
    /// longer run, so `***both***` nests); code spans are skipped so a `*` inside code never closes anything.
    private func emphasisClose(at index: Int, run: Int, width: Int, upper: Int) -> Int? {
        guard index + run < upper, !self.characters.isWhitespace(index + run), self.isWordStart(index) else {
            return nil
        }
        var scan = index + run
        while scan < upper {
            if self.characters.isCharacter(scan, "`"), let codeClose = self.codeSpanClose(at: scan, upper: upper) {
                scan = codeClose + self.runLength(at: codeClose, upper: upper)
                continue
            }
            guard self.characters.isSameCharacter(scan, as: index) else {
                scan += 1
                continue
            }
            let length = self.runLength(at: scan, upper: upper)
            let fits = width == 2 ? length >= 2 : length == 1
            let endsWord = scan + length == upper || !self.characters.isAlphanumeric(scan + length)
            let close = scan + length - width
            if fits && endsWord && !self.characters.isWhitespace(scan - 1) && close > index + width {
                return close
            }
            scan += length
        }
        return nil
    }
}
