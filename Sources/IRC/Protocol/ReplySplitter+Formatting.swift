extension ReplySplitter {
    /// IRC's formatting toggles: bold, italic, underline, strikethrough, monospace. Each PRIVMSG starts with all off.
    static let formattingToggles: [UInt8] = [0x02, 0x1D, 0x1F, 0x1E, 0x11]
    /// Resets every toggle.
    static let formattingReset: UInt8 = 0x0F

    /// ``wrap(_:into:)``, with formatting carried across the cuts: a piece ends by closing what is open and the next
    /// reopens it. Cut as they were, `**back up the database first** and then run` showed "database first" plain
    /// on the next line and its closing code turned bold on for "and then run" instead. Only when a cut falls
    /// inside formatting is the line wrapped again, narrower by the most the codes can add, so every piece fits.
    func wrapKeepingFormatting(_ line: String, into pieces: inout [String]) {
        let wrapped = self.wrap(line)
        guard wrapped.count > 1, line.utf8.contains(where: { Self.formattingToggles.contains($0) }) else {
            pieces += wrapped
            return
        }
        var open: [UInt8] = []
        let cutInsideFormatting = wrapped.dropLast().contains { piece in
            Self.track(piece, &open)
            return !open.isEmpty
        }
        guard cutInsideFormatting else {
            pieces += wrapped
            return
        }
        var narrower = self
        narrower.maximumPayloadBytes = max(self.maximumPayloadBytes - 2 * Self.formattingToggles.count, 16)
        open = []
        for piece in narrower.wrap(line) {
            let reopened = open
            Self.track(piece, &open)
            pieces.append(String(decoding: reopened + Array(piece.utf8) + open.reversed(), as: UTF8.self))
        }
    }

    /// Follows the toggles of `piece`, updating which are `open` (in the order they were opened).
    private static func track(_ piece: String, _ open: inout [UInt8]) {
        for byte in piece.utf8 {
            if byte == Self.formattingReset {
                open.removeAll()
            } else if Self.formattingToggles.contains(byte) {
                if let index = open.firstIndex(of: byte) { open.remove(at: index) } else { open.append(byte) }
            }
        }
    }
}
