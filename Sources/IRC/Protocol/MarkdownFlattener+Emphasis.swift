extension MarkdownFlattener.InlineRenderer {
    /// Renders `**strong**`/`__strong__` as IRC bold and `*em*`/`_em_` as IRC italic, or the delimiter run as
    /// text when it does not open emphasis.
    ///
    /// Stricter than CommonMark on purpose: a delimiter opens only at the start of a word and closes only at the
    /// end of one, for `*` as well as `_`, so `snake_case_name`, `2*3*4` and `a * b * c` stay as written.
    mutating func renderEmphasis(at index: Int, upper: Int) -> Int {
        let run = self.runLength(at: index, upper: upper)
        let width = run >= 2 ? 2 : 1
        guard self.depth < Self.maximumDepth,
            let close = self.emphasisClose(at: index, run: run, width: width, upper: upper)
        else {
            self.characters.append(index..<(index + run), to: &self.output)
            return index + run
        }
        let marker: UInt8 = width == 2 ? 0x02 : 0x1D
        self.output.append(marker)
        self.renderNested((index + width)..<close)
        self.output.append(marker)
        return close + width
    }

    /// Where the closing delimiter of the emphasis opened at `index` starts, or `nil` when it is not emphasis.
    ///
    /// A closing run must be exactly one character for italic and at least two for bold (the last two of a
    /// longer run, so `***both***` nests); code spans are skipped so a `*` inside code never closes anything.
    ///
    /// The search stops early where it meets the steps of an earlier failed search with the same character, width
    /// and end: from there on it would take the same steps and fail too. That keeps a line of unmatched openers
    /// linear.
    private mutating func emphasisClose(at index: Int, run: Int, width: Int, upper: Int) -> Int? {
        let start = index + run
        guard start < upper, !self.characters.isWhitespace(start), self.isWordStart(index) else {
            return nil
        }
        let search = DelimiterSearch(kind: self.characters.kinds[index] & 0x7F, width: width, upper: upper)
        var scan = start
        // Scoped, so this copy of the bits is gone before they are updated in place below (else every failure
        // would copy them all).
        do {
            let failing = self.failedCloserSearches[search]
            while scan < upper, failing?.contains(scan) != true {
                switch self.closerSearchStep(from: scan, opener: index, width: width, upper: upper) {
                case .close(let close): return close
                case .next(let next): scan = next
                }
            }
        }
        // Every step of this search now leads to failure; remember them (walked again: a failure is rarer than a
        // success, which needs no list of its steps).
        var failing = self.failedCloserSearches.removeValue(forKey: search) ?? FailedSteps(from: start, upper: upper)
        var walk = start
        while walk < scan {
            failing.insert(walk)
            guard case .next(let next) = self.closerSearchStep(from: walk, opener: index, width: width, upper: upper)
            else { break }
            walk = next
        }
        self.failedCloserSearches[search] = failing
        return nil
    }

    /// One step of the search for a closer: the closer found at `scan`, or where to look next.
    private mutating func closerSearchStep(
        from scan: Int,
        opener index: Int,
        width: Int,
        upper: Int
    ) -> CloserSearchStep {
        if self.characters.isCharacter(scan, "`"), let codeClose = self.codeSpanClose(at: scan, upper: upper) {
            return .next(codeClose + self.runLength(at: codeClose, upper: upper))
        }
        guard self.characters.isSameCharacter(scan, as: index) else {
            return .next(scan + 1)
        }
        let length = self.runLength(at: scan, upper: upper)
        let fits = width == 2 ? length >= 2 : length == 1
        let endsWord = scan + length == upper || !self.characters.isAlphanumeric(scan + length)
        let close = scan + length - width
        // `close > index + width` always holds (a closer starts past the character ending the opener's run), so
        // whether a step finds a closer does not depend on the opener: searches that meet go on alike.
        if fits && endsWord && !self.characters.isWhitespace(scan - 1) && close > index + width {
            return .close(close)
        }
        return .next(scan + length)
    }

    /// The positions failed searches for a closer stepped on, for one character, width and range end: a bit per
    /// position from the first failure on (later searches with the same end start further right).
    struct FailedSteps {
        /// The position of the first bit.
        private let base: Int
        private var bits: [UInt64]

        /// Room for the positions from `from` to `upper`.
        init(from: Int, upper: Int) {
            self.base = from
            self.bits = Array(repeating: 0, count: (upper - from + 63) / 64)
        }

        func contains(_ position: Int) -> Bool {
            let offset = position - self.base
            return offset >= 0 && self.bits[offset >> 6] & (1 << (offset & 63)) != 0
        }

        /// Marks `position`; one left of the first failure is left out, which only means it is searched again.
        mutating func insert(_ position: Int) {
            let offset = position - self.base
            guard offset >= 0 else { return }
            self.bits[offset >> 6] |= 1 << (offset & 63)
        }
    }

    /// What one step of the search for a closer found.
    private enum CloserSearchStep {
        /// The closing delimiter starts here.
        case close(Int)
        /// Nothing yet; the search goes on from here.
        case next(Int)
    }
}
