extension ReplySplitter {
    /// The C0 bytes that are IRC text formatting (bold `02`, colour `03`, reset `0F`, monospace `11`, reverse `16`,
    /// italic `1D`, strikethrough `1E`, underline `1F`), one bit each; every other control character is removed
    /// because clients show it as garbage or act on it. A bit mask rather than a `Set`: the flattener asks this of
    /// every byte of an answer, and hashing each byte made that scan cost as much as the flattening itself.
    private static let formattingCodeMask: UInt32 =
        1 << 0x02 | 1 << 0x03 | 1 << 0x0F | 1 << 0x11 | 1 << 0x16 | 1 << 0x1D | 1 << 0x1E | 1 << 0x1F

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
    /// C1 controls (`C2 80`–`C2 9F`), the line and paragraph separators (`E2 80 A8`/`A9`), the bidi controls and the
    /// byte-order mark (``specialLength(_:at:)``), so runs of ordinary text are copied whole. A terminal's colour
    /// sequence (`ESC [ 31 m`) goes whole: without its ESC, the rest showed as `[31m`.
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
                    let special = Self.specialLength(bytes, at: index)
                    if special.length == 0 {
                        index += 1
                        continue
                    }
                    line += bytes[runStart..<index]
                    if special.breaksLine {
                        finish(&line)
                    }
                    index += special.length
                    runStart = index
                    continue
                }
                line += bytes[runStart..<index]
                if byte == 0x1B, let end = Self.escapeSequenceEnd(bytes, at: index) {
                    index = end
                    runStart = index
                    continue
                }
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

    /// For a byte at or above 0x80, the length of what needs treatment there: 2 for a C1 control (dropped); 3 for
    /// U+2028 or U+2029 (a line break); 3 for a bidi control (U+202A–U+202E, U+2066–U+2069) or the byte-order mark
    /// (U+FEFF), dropped: an override turns the rest of the line around, so a model's answer could show one command
    /// and mean another. 0 for ordinary text. `bytes` is valid UTF-8, so a lead byte's continuation bytes are there.
    private static func specialLength(
        _ bytes: UnsafeBufferPointer<UInt8>,
        at index: Int
    ) -> (length: Int, breaksLine: Bool) {
        switch bytes[index] {
        case 0xC2 where bytes[index + 1] <= 0x9F:
            return (2, false)
        case 0xE2 where bytes[index + 1] == 0x80 && (bytes[index + 2] == 0xA8 || bytes[index + 2] == 0xA9):
            return (3, true)
        case 0xE2 where bytes[index + 1] == 0x80 && (0xAA...0xAE).contains(bytes[index + 2]),
            0xE2 where bytes[index + 1] == 0x81 && (0xA6...0xA9).contains(bytes[index + 2]),
            0xEF where bytes[index + 1] == 0xBB && bytes[index + 2] == 0xBF:
            return (3, false)
        default:
            return (0, false)
        }
    }

    /// Where the terminal control sequence starting with the ESC at `index` ends (ECMA-48 CSI: `ESC [`, parameter and
    /// intermediate bytes, one final byte), or `nil` when no complete one starts there and only the ESC goes.
    private static func escapeSequenceEnd(_ bytes: UnsafeBufferPointer<UInt8>, at index: Int) -> Int? {
        guard index + 1 < bytes.count, bytes[index + 1] == UInt8(ascii: "[") else { return nil }
        var end = index + 2
        while end < bytes.count, (0x20...0x3F).contains(bytes[end]) { end += 1 }
        guard end < bytes.count, (0x40...0x7E).contains(bytes[end]) else { return nil }
        return end + 1
    }

    /// Whether `byte` is an IRC formatting code (see ``formattingCodeMask``).
    @inline(__always)
    static func isFormattingCode(_ byte: UInt8) -> Bool {
        byte < 0x20 && Self.formattingCodeMask & (1 << UInt32(byte)) != 0
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
    /// CR, NUL, `\x01` and all other C0/C1 controls, DEL, the bidi controls and the byte-order mark go.
    private static func treatment(of scalar: Unicode.Scalar) -> Treatment {
        switch scalar.value {
        case 0x0A, 0x2028, 0x2029:
            return .lineBreak
        case 0x09:
            return .spaces(4)
        case 0x00...0x1F:
            return Self.isFormattingCode(UInt8(scalar.value)) ? .keep : .drop
        case 0x7F...0x9F, 0x202A...0x202E, 0x2066...0x2069, 0xFEFF:
            return .drop
        default:
            return .keep
        }
    }
}
