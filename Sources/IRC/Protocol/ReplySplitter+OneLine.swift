extension ReplySplitter {
    /// `text` as a single line, `firstLinePrefix` first: its lines joined with spaces and, when that does not fit
    /// ``maximumPayloadBytes``, cut at a character boundary and ended with `…`; `nil` when there is no text.
    ///
    /// For short messages that must be seen whole or nearly so (what went wrong, a command's answer): unlike
    /// ``split(_:firstLinePrefix:)`` with one line, whose overflow note replaces the text, the reader keeps the
    /// beginning, which says what happened.
    package func oneLine(_ text: String, firstLinePrefix: String = "") -> String? {
        let body = Self.sanitizedLines(text).joined(separator: " ")
        guard !body.isEmpty else {
            return nil
        }
        let line = Self.sanitizedFragment(firstLinePrefix) + body
        guard line.utf8.count > self.maximumPayloadBytes else {
            return line
        }
        let ellipsis = "…"
        let budget = self.maximumPayloadBytes - ellipsis.utf8.count
        var end = line.startIndex
        var bytes = 0
        while end < line.endIndex {
            let next = line.index(after: end)
            bytes += line.utf8.distance(from: end, to: next)
            guard bytes <= budget else { break }
            end = next
        }
        var kept = line[..<end]
        while kept.last == " " {
            kept = kept.dropLast()
        }
        return kept + ellipsis
    }
}
