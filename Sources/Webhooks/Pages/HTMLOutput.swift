/// HTML under construction, as UTF-8. Markup comes only from the renderer's own string literals; every byte that
/// comes from the model goes through ``text(_:)``, which escapes it. That split is what keeps model output from
/// ever becoming a tag, an attribute or a script.
struct HTMLOutput {
    /// The UTF-8 written so far.
    private(set) var bytes: [UInt8] = []

    /// Appends markup written by the renderer itself, never text from the reply.
    mutating func markup(_ literal: StaticString) {
        literal.withUTF8Buffer { self.bytes += $0 }
    }

    /// Appends a number, e.g. a list's start or a heading level.
    mutating func number(_ value: Int) {
        self.bytes += String(value).utf8
    }

    /// Appends text from the reply, escaped for element content and for double- or single-quoted attribute values
    /// alike: `&`, `<`, `>`, `"` and `'` become references. C0 controls other than tab and line feed, and DEL, are
    /// dropped: they have no meaning on a page, and NUL is an error in HTML.
    mutating func text(_ text: some Sequence<UInt8>) {
        for byte in text {
            self.text(byte: byte)
        }
    }

    /// Appends one byte of reply text, escaped as ``text(_:)`` does.
    mutating func text(byte: UInt8) {
        switch byte {
        case UInt8(ascii: "&"): self.bytes += "&amp;".utf8
        case UInt8(ascii: "<"): self.bytes += "&lt;".utf8
        case UInt8(ascii: ">"): self.bytes += "&gt;".utf8
        case UInt8(ascii: "\""): self.bytes += "&quot;".utf8
        case UInt8(ascii: "'"): self.bytes += "&#39;".utf8
        case UInt8(ascii: "\t"), UInt8(ascii: "\n"): self.bytes.append(byte)
        case 0..<0x20, 0x7F: break
        default: self.bytes.append(byte)
        }
    }

    /// Removes spaces written last (they are never escaped, so they are plain bytes) and returns how many there
    /// were; a line ending after two or more is a hard break.
    mutating func removeTrailingSpaces() -> Int {
        var count = 0
        while self.bytes.last == UInt8(ascii: " ") {
            self.bytes.removeLast()
            count += 1
        }
        return count
    }

    /// The HTML as a string. The bytes are valid UTF-8: the reply's own bytes are only ever cut next to ASCII.
    var string: String {
        String(decoding: self.bytes, as: UTF8.self)
    }
}
