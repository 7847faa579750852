extension MarkdownFlattener {
    /// The code spans and bracket pairs of one inline range, each found in one linear pass when the renderer
    /// first meets a backtick or a `[`, so that no unmatched one makes it search the rest of the line again (see
    /// ``InlineRenderer``). Each answers exactly what searching from that character used to.
    enum InlineScan {
        /// For each backtick in `range`, where the code span it opens closes: the next run of exactly as many
        /// backticks as follow it (counting from that backtick to the end of its run). Backticks that open nothing
        /// are absent.
        static func codeSpanCloses(_ characters: LineCharacters, _ range: Range<Int>) -> [Int: Int] {
            // Walking the runs from the last, remembering the nearest run of each length.
            let runs = Self.backtickRuns(characters, range)
            var closes: [Int: Int] = [:]
            closes.reserveCapacity(runs.reduce(0) { $0 + $1.count })
            var nearestRun: [Int: Int] = [:]
            for run in runs.reversed() {
                for index in run {
                    if let close = nearestRun[run.upperBound - index] {
                        closes[index] = close
                    }
                }
                nearestRun[run.count] = run.lowerBound
            }
            return closes
        }

        /// For each `[` in `range`, its matching `]`, as a search from the `[` finds it: a backslash skips the
        /// character after it, and brackets nest. Unmatched ones are absent.
        static func closingBrackets(_ characters: LineCharacters, _ range: Range<Int>) -> [Int: Int] {
            var closingBrackets: [Int: Int] = [:]
            var open: [Int] = []
            var index = range.lowerBound
            while index < range.upperBound {
                if characters.isCharacter(index, "\\") {
                    index += 1
                } else if characters.isCharacter(index, "[") {
                    open.append(index)
                } else if characters.isCharacter(index, "]"), let opening = open.popLast() {
                    closingBrackets[opening] = index
                }
                index += 1
            }
            return closingBrackets
        }

        /// The runs of backticks in `range`, escaped or not: a backslash keeps a backtick from opening a code
        /// span, but not from closing one.
        private static func backtickRuns(_ characters: LineCharacters, _ range: Range<Int>) -> [Range<Int>] {
            var runs: [Range<Int>] = []
            var index = range.lowerBound
            while index < range.upperBound {
                guard characters.isCharacter(index, "`") else {
                    index += 1
                    continue
                }
                var end = index + 1
                while end < range.upperBound, characters.isSameCharacter(end, as: index) { end += 1 }
                runs.append(index..<end)
                index = end
            }
            return runs
        }
    }
}
