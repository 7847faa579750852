extension ReplySplitter {
    /// The C0 bytes that are IRC text formatting (bold, colour, reset, monospace, reverse, italic, strikethrough,
    /// underline); every other control character is removed because clients show it as garbage or act on it.
    static let formattingCodes: Set<Unicode.Scalar> = [
        "\u{02}", "\u{03}", "\u{0F}", "\u{11}", "\u{16}", "\u{1D}", "\u{1E}", "\u{1F}",
    ]

    /// What one input scalar becomes on the wire.
    private enum Treatment {
        /// Sent as it is.
        case keep
        /// Ends the current line.
        case lineBreak
        /// Replaced by spaces (a tab keeps code indentation visible).
        case spaces(Int)
        /// Never sent: CR, NUL, the CTCP delimiter and other controls.
        case drop
    }

    /// `text` cut at its line breaks, cleaned of controls, with trailing blanks trimmed and lines that would show
    /// nothing (blank or only formatting codes) removed.
    static func sanitizedLines(_ text: String) -> [String] {
        var lines: [String] = []
        var current = String.UnicodeScalarView()
        let finish = { (line: inout String.UnicodeScalarView) in
            while let last = line.last, last == " " {
                line.removeLast()
            }
            if line.contains(where: { $0 != " " && !Self.formattingCodes.contains($0) }) {
                lines.append(String(line))
            }
            line = String.UnicodeScalarView()
        }
        for scalar in text.unicodeScalars {
            switch Self.treatment(of: scalar) {
            case .keep: current.append(scalar)
            case .lineBreak: finish(&current)
            case .spaces(let count): current.append(contentsOf: repeatElement(" ", count: count))
            case .drop: break
            }
        }
        finish(&current)
        return lines
    }

    /// `text` cleaned of controls with line breaks turned into spaces, for the first-line prefix whose spacing
    /// (`alice: `) matters.
    static func sanitizedFragment(_ text: String) -> String {
        var result = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            switch Self.treatment(of: scalar) {
            case .keep: result.append(scalar)
            case .lineBreak: result.append(" ")
            case .spaces(let count): result.append(contentsOf: repeatElement(" ", count: count))
            case .drop: break
            }
        }
        return String(result)
    }

    /// LF and the Unicode line/paragraph separators break lines; tabs become four spaces; formatting codes stay;
    /// CR, NUL, `\x01` and all other C0/C1 controls and DEL go.
    private static func treatment(of scalar: Unicode.Scalar) -> Treatment {
        switch scalar.value {
        case 0x0A, 0x2028, 0x2029:
            return .lineBreak
        case 0x09:
            return .spaces(4)
        case 0x00...0x1F:
            return Self.formattingCodes.contains(scalar) ? .keep : .drop
        case 0x7F...0x9F:
            return .drop
        default:
            return .keep
        }
    }
}
