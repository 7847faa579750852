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
    ///
    /// Works on UTF-8 with the same rules as ``treatment(of:)``: every byte that needs treatment is ASCII, except the
    /// C1 controls (`C2 80`–`C2 9F`) and the line and paragraph separators (`E2 80 A8`/`A9`), so runs of ordinary
    /// text are copied whole.
    static func sanitizedLines(_ text: String) -> [String] {
        var text = text
        text.makeContiguousUTF8()  // A no-op for native strings.
        var lines: [String] = []
        var line: [UInt8] = []
        let finish = { (line: inout [UInt8]) in
            while line.last == UInt8(ascii: " ") {
                line.removeLast()
            }
            if line.contains(where: { $0 != UInt8(ascii: " ") && !Self.isFormattingCode($0) }) {
                lines.append(String(decoding: line, as: UTF8.self))
            }
            line.removeAll(keepingCapacity: true)
        }
        let scanned: Void? = text.utf8.withContiguousStorageIfAvailable { bytes in
            var runStart = 0
            var index = 0
            while index < bytes.count {
                let byte = bytes[index]
                if byte >= 0x20 && byte < 0x7F {
                    index += 1
                    continue
                }
                if byte >= 0x80 {
                    let length = Self.specialLength(bytes, at: index)
                    if length == 0 {
                        index += 1
                        continue
                    }
                    line += bytes[runStart..<index]
                    if length == 3 {
                        finish(&line)
                    }
                    index += length
                    runStart = index
                    continue
                }
                line += bytes[runStart..<index]
                switch Self.treatment(of: Unicode.Scalar(byte)) {
                case .keep: line.append(byte)
                case .lineBreak: finish(&line)
                case .spaces(let count): line += repeatElement(UInt8(ascii: " "), count: count)
                case .drop: break
                }
                index += 1
                runStart = index
            }
            line += bytes[runStart..<bytes.count]
            finish(&line)
        }
        guard scanned != nil else {
            preconditionFailure("Invalid state: contiguous UTF-8 without contiguous storage")
        }
        return lines
    }

    /// For a byte at or above 0x80: 2 when it starts a C1 control (dropped), 3 when it starts U+2028 or U+2029 (a
    /// line break), 0 when it is ordinary text.
    private static func specialLength(_ bytes: UnsafeBufferPointer<UInt8>, at index: Int) -> Int {
        switch bytes[index] {
        case 0xC2 where bytes[index + 1] <= 0x9F:
            return 2
        case 0xE2 where bytes[index + 1] == 0x80 && (bytes[index + 2] == 0xA8 || bytes[index + 2] == 0xA9):
            return 3
        default:
            return 0
        }
    }

    /// Whether `byte` is one of the ``formattingCodes``.
    static func isFormattingCode(_ byte: UInt8) -> Bool {
        byte < 0x20 && Self.formattingCodes.contains(Unicode.Scalar(byte))
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
