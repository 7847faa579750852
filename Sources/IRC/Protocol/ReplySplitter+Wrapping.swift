extension ReplySplitter {
    /// Cuts one sanitized line into pieces of at most ``maximumPayloadBytes`` UTF-8 bytes.
    func wrap(_ line: String) -> [String] {
        var pieces: [String] = []
        self.wrap(line, into: &pieces)
        return pieces
    }

    /// Cuts one sanitized line into pieces of at most ``maximumPayloadBytes`` UTF-8 bytes, appended to `pieces`.
    ///
    /// Works on grapheme clusters so `é` written as `e` + combining accent, or a family emoji, is never torn apart;
    /// breaks at the last space that fits (dropping it, since the line break replaces it), and only cuts a word
    /// when it alone is longer than a line; such a word (text without spaces, a long URL) fills the line it starts
    /// on rather than starting a line of its own. A single cluster longer than a line (a pile of combining marks) is the
    /// one case cut between scalars, still never inside one. The line is measured in bytes and only the places
    /// where it might be cut are checked for being character boundaries (see ``CharacterBoundaries``).
    ///
    /// The pieces after the first hang under the line's text (``hangingIndent(of:)``): a wrapped line of code keeps
    /// its indentation, and a list item's continuation stays under the item instead of under its bullet.
    func wrap(_ line: String, into pieces: inout [String]) {
        guard line.utf8.count > self.maximumPayloadBytes else {
            pieces.append(line)
            return
        }
        var line = line
        line.makeContiguousUTF8()  // A no-op for native strings.
        let indent = Self.hangingIndent(of: line, limit: self.maximumPayloadBytes)
        let wrapped: Void? = line.utf8.withContiguousStorageIfAvailable { bytes in
            let boundaries = CharacterBoundaries(bytes: bytes, text: line)
            let piece = { (range: Range<Int>) in
                String(decoding: UnsafeBufferPointer(rebasing: bytes[range]), as: UTF8.self)
            }
            // A lone space character: a space byte that is a character by itself (not joined to a combining mark).
            var start = 0
            let isSpace = { (offset: Int) in
                bytes[offset] == UInt8(ascii: " ") && boundaries.contains(offset, after: start)
                    && boundaries.contains(offset + 1, after: start)
            }
            var pieceIndent = ""
            var limit = self.maximumPayloadBytes
            while start < bytes.count {
                if bytes.count - start <= limit {
                    pieces.append(pieceIndent + piece(start..<bytes.count))
                    break
                }
                var end = start + limit
                while !boundaries.contains(end, after: start) {
                    end -= 1
                }
                if end == start {
                    var next = start + 1
                    while !boundaries.contains(next, after: start) {
                        next += 1
                    }
                    pieces += self.splitScalars(of: piece(start..<next))
                    start = next
                    continue
                }
                var contentStart = start
                while contentStart < end, isSpace(contentStart) {
                    contentStart += 1
                }
                var space = stride(from: end, to: contentStart, by: -1).first(where: isSpace)
                // Breaking at that space only helps when what follows fits on a line of its own. Before a run longer
                // than a line (Chinese or Japanese text, a long URL) the line is filled instead: otherwise the first
                // line of such an answer was just "alice:".
                if let found = space, Self.runExceeds(limit, in: bytes, from: found + 1) { space = nil }
                var pieceEnd = space ?? end
                while pieceEnd > start, isSpace(pieceEnd - 1) {
                    pieceEnd -= 1
                }
                if pieceEnd > start {
                    pieces.append(pieceIndent + piece(start..<pieceEnd))
                    pieceIndent = indent
                    limit = self.maximumPayloadBytes - indent.utf8.count
                }
                start = space ?? end
                while start < bytes.count, isSpace(start) {
                    start += 1
                }
            }
        }
        guard wrapped != nil else {
            preconditionFailure("Invalid state: contiguous UTF-8 without contiguous storage")
        }
    }

    /// The spaces that line up with the text of `line` after its indentation and list marker (`• `, `1. `, `2) `),
    /// for the pieces after its first; none when that would take more than a quarter of `limit`.
    static func hangingIndent(of line: String, limit: Int) -> String {
        let bytes = line.utf8
        var index = bytes.startIndex
        var width = 0
        while index < bytes.endIndex, bytes[index] == UInt8(ascii: " ") {
            width += 1
            index = bytes.index(after: index)
        }
        let rest = line.utf8[index...]
        if rest.starts(with: "• ".utf8) {
            width += 2
        } else {
            let digits = rest.prefix { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }
            let afterDigits = rest.dropFirst(digits.count)
            if !digits.isEmpty, afterDigits.starts(with: ". ".utf8) || afterDigits.starts(with: ") ".utf8) {
                width += digits.count + 2
            }
        }
        return width <= limit / 4 ? String(repeating: " ", count: width) : ""
    }

    /// Whether the bytes from `start` up to the next space are more than `limit`. Reads at most `limit` + 1 bytes.
    private static func runExceeds(_ limit: Int, in bytes: UnsafeBufferPointer<UInt8>, from start: Int) -> Bool {
        var index = start
        while index < bytes.count, bytes[index] != UInt8(ascii: " ") {
            if index - start >= limit { return true }
            index += 1
        }
        return false
    }

    /// A cluster too big for one line, cut into line-sized runs of whole scalars.
    private func splitScalars(of character: String) -> [String] {
        var pieces: [String] = []
        var current = String.UnicodeScalarView()
        var bytes = 0
        for scalar in character.unicodeScalars {
            let size = UTF8.width(scalar)
            if bytes + size > self.maximumPayloadBytes {
                pieces.append(String(current))
                current = String.UnicodeScalarView()
                bytes = 0
            }
            current.append(scalar)
            bytes += size
        }
        pieces.append(String(current))
        return pieces
    }
}

/// Answers "is this byte offset a character boundary?" for one string's UTF-8, exactly as `Character` would.
///
/// Quick rules answer most offsets from the two scalars around them. Where they cannot tell (combining marks, flags,
/// emoji sequences), the characters are walked forward from a boundary the caller knows, and the boundaries passed
/// are kept for the next question. Asking the standard library about the offset itself instead rounds it down to a
/// character first, which walks back over the whole character (or, for flags, the whole run of them): a pile of
/// 10,000 combining marks, checked at every scalar, made wrapping one line take seconds.
final class CharacterBoundaries {
    /// The string's UTF-8.
    let bytes: UnsafeBufferPointer<UInt8>
    /// The string itself, asked when the quick rules cannot tell.
    let text: String
    /// Boundaries found walking forward from the first (a boundary the caller named), in order.
    private var walked: [Int] = []

    init(bytes: UnsafeBufferPointer<UInt8>, text: String) {
        self.bytes = bytes
        self.text = text
    }

    /// Whether a character starts (or the text ends) at byte `offset`, given that one starts at `anchor`, at or
    /// before `offset`.
    func contains(_ offset: Int, after anchor: Int) -> Bool {
        guard offset > 0, offset < self.bytes.count else {
            return true
        }
        let byte = self.bytes[offset]
        guard byte & 0xC0 != 0x80 else {
            return false  // Inside a scalar.
        }
        var previousStart = offset - 1
        while self.bytes[previousStart] & 0xC0 == 0x80 {
            previousStart -= 1
        }
        let previous = UTF8Scalars.scalar(self.bytes, at: previousStart).value
        if UTF8Scalars.isBoundary(between: previous, and: UTF8Scalars.scalar(self.bytes, at: offset).value) {
            return true
        }
        return self.walk(from: anchor, to: offset)
    }

    /// Walks characters from `anchor` until past `offset` (continuing an earlier walk from the same anchor), and
    /// says whether one started at `offset`.
    private func walk(from anchor: Int, to offset: Int) -> Bool {
        if self.walked.first != anchor {
            self.walked = [anchor]
        }
        let utf8 = self.text.utf8
        while let last = self.walked.last, last < offset {
            // A substring starts at a character boundary, so the step needs nothing before `last`.
            let rest = self.text[utf8.index(utf8.startIndex, offsetBy: last)...]
            self.walked.append(utf8.distance(from: utf8.startIndex, to: rest.index(after: rest.startIndex)))
        }
        var low = 0
        var high = self.walked.count
        while low < high {
            let middle = (low + high) / 2
            if self.walked[middle] < offset { low = middle + 1 } else { high = middle }
        }
        return low < self.walked.count && self.walked[low] == offset
    }
}
