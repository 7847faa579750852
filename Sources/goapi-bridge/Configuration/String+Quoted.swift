import Foundation

extension String {
    /// The value in double quotes for a problem message, escaped the way JSON writes it so the user can
    /// search the file for it, and shortened so a runaway value cannot flood the terminal.
    var quoted: String {
        let limit = 80
        var text = "\""
        for scalar in (count > limit ? String(prefix(limit)) : self).unicodeScalars {
            switch scalar {
            case "\"": text += "\\\""
            case "\\": text += "\\\\"
            case "\n": text += "\\n"
            case "\r": text += "\\r"
            case "\t": text += "\\t"
            // Invisible formatting characters too: a bidi override would turn the rest of the message around.
            case _
            where scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value)
                || scalar.properties.generalCategory == .format:
                let hex = String(scalar.value, radix: 16, uppercase: true)
                text += "\\u" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
            default: text.unicodeScalars.append(scalar)
            }
        }
        return text + (count > limit ? "…\"" : "\"")
    }
}

extension String {
    /// ``quoted``, with anything that may be a user name and password in a URL (`user:pass@` in its authority)
    /// replaced by `…`, for values that are rejected before their credentials could be: a malformed URL or host is
    /// still shown, so the operator can find it, but its password does not reach the terminal or the journal.
    ///
    /// Everything from the start of the authority (after `//`, or the start when there is none) up to the last `@`
    /// goes, even an `@` in the path: over-redacting a malformed value costs nothing, showing a password with a `/`
    /// in it would.
    ///
    /// A query or fragment is shown as `?…` or `#…`: a URL pasted with `?api_key=…` is refused for having a query,
    /// and quoting it whole would show the key.
    var quotedWithoutCredentials: String {
        var text = Substring(self)
        var rest = ""
        if let query = text.firstIndex(where: { $0 == "?" || $0 == "#" }) {
            rest = String(text[query]) + "…"
            text = text[..<query]
        }
        guard let at = text.lastIndex(of: "@") else { return (text + rest).quoted }
        let authorityStart = text.range(of: "//").map(\.upperBound) ?? text.startIndex
        guard authorityStart <= at else { return (text + rest).quoted }
        return (text[..<authorityStart] + "…" + text[at...] + rest).quoted
    }
}
