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
            case _ where scalar.value < 0x20 || scalar.value == 0x7F:
                let hex = String(scalar.value, radix: 16, uppercase: false)
                text += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: text.unicodeScalars.append(scalar)
            }
        }
        return text + (count > limit ? "…\"" : "\"")
    }
}
