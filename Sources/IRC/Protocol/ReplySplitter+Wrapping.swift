extension ReplySplitter {
    /// Cuts one sanitized line into pieces of at most ``maximumPayloadBytes`` UTF-8 bytes.
    ///
    /// Works on grapheme clusters so `é` written as `e` + combining accent, or a family emoji, is never torn apart;
    /// breaks at the last space that fits (dropping it, since the line break replaces it), and only cuts a word
    /// when it alone is longer than a line. A single cluster longer than a line (a pile of combining marks) is the
    /// one case cut between scalars, still never inside one.
    func wrap(_ line: String) -> [String] {
        let limit = self.maximumPayloadBytes
        guard line.utf8.count > limit else {
            return [line]
        }
        let characters = Array(line)
        let sizes = characters.map(\.utf8.count)
        var pieces: [String] = []
        var start = 0
        while start < characters.count {
            var end = start
            var bytes = 0
            while end < characters.count, bytes + sizes[end] <= limit {
                bytes += sizes[end]
                end += 1
            }
            if end == characters.count {
                pieces.append(String(characters[start..<end]))
                break
            }
            if end == start {
                pieces += self.splitScalars(of: characters[start])
                start += 1
                continue
            }
            let contentStart = characters[start..<end].firstIndex { $0 != " " } ?? end
            let space = stride(from: end, to: contentStart, by: -1).first { characters[$0] == " " }
            var pieceEnd = space ?? end
            while pieceEnd > start, characters[pieceEnd - 1] == " " {
                pieceEnd -= 1
            }
            if pieceEnd > start {
                pieces.append(String(characters[start..<pieceEnd]))
            }
            start = space ?? end
            while start < characters.count, characters[start] == " " {
                start += 1
            }
        }
        return pieces
    }

    /// A cluster too big for one line, cut into line-sized runs of whole scalars.
    private func splitScalars(of character: Character) -> [String] {
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
