extension String {
    /// The text with CR LF and lone CR line breaks as LF. Swift reads `"\r\n"` as one `Character`, so a line-based
    /// conversion splitting on `"\n"` saw an answer written with CR LF as a single line: none of its Markdown was
    /// converted, and a fence in it went unnoticed.
    package var withUnixLineEndings: String {
        guard self.utf8.contains(13) else { return self }
        return self.replacing("\r\n", with: "\n").replacing("\r", with: "\n")
    }
}
