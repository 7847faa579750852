/// A strict RFC 8259 parser that reports the line and column of the first syntax error.
///
/// Foundation's JSON decoders only say "the given data was not valid JSON", which leaves an operator hunting
/// for a stray comma. This parser also rejects duplicate keys, which JSON allows but which in a configuration
/// file almost always mean one of the two settings is silently ignored.
struct JSONParser {
    /// Nesting deeper than this is rejected so a hostile or broken file cannot exhaust the stack.
    static let maximumDepth = 64

    private let bytes: [UInt8]
    private var index: Int
    private var depth = 0

    private init(bytes: [UInt8]) {
        self.bytes = bytes
        // A UTF-8 byte order mark is harmless and some editors write one.
        self.index = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
    }

    /// Parses a whole document; anything but whitespace after the top-level value is an error.
    static func parse(_ bytes: [UInt8]) throws(JSONSyntaxError) -> JSONValue {
        var parser = JSONParser(bytes: bytes)
        guard String(validating: bytes, as: UTF8.self) != nil else {
            throw parser.error("the file is not valid UTF-8", at: 0)
        }
        parser.skipWhitespace()
        guard parser.index < bytes.count else {
            throw parser.error("the file is empty")
        }
        let value = try parser.parseValue()
        parser.skipWhitespace()
        guard parser.index == bytes.count else {
            throw parser.error("unexpected \(parser.describeCurrent()) after the end of the document")
        }
        return value
    }

    private var current: UInt8? { index < bytes.count ? bytes[index] : nil }

    private mutating func parseValue() throws(JSONSyntaxError) -> JSONValue {
        guard let byte = current else { throw error("expected a value, found the end of the file") }
        switch byte {
        case UInt8(ascii: "{"): return try nested { (parser) throws(JSONSyntaxError) in try parser.parseObject() }
        case UInt8(ascii: "["): return try nested { (parser) throws(JSONSyntaxError) in try parser.parseArray() }
        case UInt8(ascii: "\""): return .string(try parseString())
        case UInt8(ascii: "t"): return try parseLiteral("true", .bool(true))
        case UInt8(ascii: "f"): return try parseLiteral("false", .bool(false))
        case UInt8(ascii: "n"): return try parseLiteral("null", .null)
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return .number(try parseNumber())
        case UInt8(ascii: "/"): throw error("comments are not allowed in JSON")
        case _ where isWordCharacter(byte): throw bareWordError()
        default: throw error("expected a value, found \(describeCurrent())")
        }
    }

    private mutating func nested(
        _ body: (inout JSONParser) throws(JSONSyntaxError) -> JSONValue
    ) throws(JSONSyntaxError) -> JSONValue {
        guard depth < Self.maximumDepth else {
            throw error("nesting deeper than \(Self.maximumDepth) levels")
        }
        depth += 1
        defer { depth -= 1 }
        return try body(&self)
    }

    private mutating func parseObject() throws(JSONSyntaxError) -> JSONValue {
        index += 1
        var members: [String: JSONValue] = [:]
        skipWhitespace()
        if current == UInt8(ascii: "}") {
            index += 1
            return .object(members)
        }
        var commaOffset: Int?
        while true {
            skipWhitespace()
            guard current == UInt8(ascii: "\"") else {
                if current == UInt8(ascii: "}"), let commaOffset {
                    throw error("trailing comma before '}'", at: commaOffset)
                }
                throw error("expected a key in double quotes, found \(describeCurrent())")
            }
            let keyStart = index
            let key = try parseString()
            guard members[key] == nil else {
                throw error("duplicate key \(key.quoted)", at: keyStart)
            }
            skipWhitespace()
            try expect(":", after: "a key")
            skipWhitespace()
            members[key] = try parseValue()
            skipWhitespace()
            switch current {
            case UInt8(ascii: ","):
                commaOffset = index
                index += 1
            case UInt8(ascii: "}"):
                index += 1
                return .object(members)
            default: throw error("expected ',' or '}' after an object member, found \(describeCurrent())")
            }
        }
    }

    private mutating func parseArray() throws(JSONSyntaxError) -> JSONValue {
        index += 1
        var elements: [JSONValue] = []
        skipWhitespace()
        if current == UInt8(ascii: "]") {
            index += 1
            return .array(elements)
        }
        var commaOffset: Int?
        while true {
            skipWhitespace()
            if current == UInt8(ascii: "]"), let commaOffset {
                throw error("trailing comma before ']'", at: commaOffset)
            }
            elements.append(try parseValue())
            skipWhitespace()
            switch current {
            case UInt8(ascii: ","):
                commaOffset = index
                index += 1
            case UInt8(ascii: "]"):
                index += 1
                return .array(elements)
            default: throw error("expected ',' or ']' after an array element, found \(describeCurrent())")
            }
        }
    }

    private mutating func parseLiteral(_ word: String, _ value: JSONValue) throws(JSONSyntaxError) -> JSONValue {
        let expected = Array(word.utf8)
        let end = index + expected.count
        let isWholeWord = end >= bytes.count || !isWordCharacter(bytes[end])
        guard bytes[index...].starts(with: expected), isWholeWord else {
            throw bareWordError()
        }
        index = end
        return value
    }

    /// `{"level": info}` is a common slip; say what is wrong instead of "unexpected character".
    ///
    /// The word is quoted only when it is a short run of letters (`info`, `tru`, `nullx`): an API key or password
    /// written without quotes is just as likely, and `check-config` output goes to the journal.
    private func bareWordError() -> JSONSyntaxError {
        let word = bytes[index...].prefix(while: isWordCharacter)
        let isLetter = { (byte: UInt8) in (byte | 0x20) >= UInt8(ascii: "a") && (byte | 0x20) <= UInt8(ascii: "z") }
        guard word.count <= Self.quotedWordLimit, word.allSatisfy(isLetter) else {
            return error("unquoted value (not shown, in case it is a secret)", hint: "strings need double quotes")
        }
        return error("unknown word \(String(decoding: word, as: UTF8.self).quoted)", hint: "strings need double quotes")
    }

    /// The longest bare word quoted back in a syntax error.
    private static let quotedWordLimit = 12

    private func isWordCharacter(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"),
            UInt8(ascii: "_"), UInt8(ascii: "-"), UInt8(ascii: "."):
            true
        default:
            false
        }
    }

    private mutating func expect(_ character: Unicode.Scalar, after context: String) throws(JSONSyntaxError) {
        guard current == UInt8(ascii: character) else {
            throw error("expected '\(character)' after \(context), found \(describeCurrent())")
        }
        index += 1
    }

    private mutating func skipWhitespace() {
        while let byte = current, byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D {
            index += 1
        }
    }

    /// Names the byte at the cursor for messages, quoting printable ASCII.
    private func describeCurrent() -> String {
        guard let byte = current else { return "the end of the file" }
        if byte >= 0x21, byte < 0x7F { return "'\(Character(Unicode.Scalar(byte)))'" }
        if byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D { return "whitespace" }
        return "byte 0x\(String(byte, radix: 16, uppercase: true))"
    }

    /// Builds an error located at `offset` (the cursor by default).
    private func error(_ message: String, at offset: Int? = nil, hint: String? = nil) -> JSONSyntaxError {
        let end = min(offset ?? index, bytes.count)
        var line = 1
        var column = 1
        for byte in bytes[..<end] {
            if byte == 0x0A {
                line += 1
                column = 1
            } else if byte & 0xC0 != 0x80 {
                // Continuation bytes belong to the character already counted.
                column += 1
            }
        }
        return JSONSyntaxError(message: message, line: line, column: column, hint: hint)
    }
}

extension JSONParser {
    /// Reads a string token, decoding escapes; the cursor is on the opening quote.
    fileprivate mutating func parseString() throws(JSONSyntaxError) -> String {
        index += 1
        var utf8: [UInt8] = []
        while true {
            guard let byte = current else {
                throw error("unterminated string")
            }
            switch byte {
            case UInt8(ascii: "\""):
                index += 1
                return String(decoding: utf8, as: UTF8.self)
            case UInt8(ascii: "\\"):
                index += 1
                try parseEscape(into: &utf8)
            case 0x00..<0x20:
                throw error("control characters must be escaped in strings")
            default:
                utf8.append(byte)
                index += 1
            }
        }
    }

    private mutating func parseEscape(into utf8: inout [UInt8]) throws(JSONSyntaxError) {
        guard let byte = current else { throw error("unterminated string") }
        let simple: [UInt8: UInt8] = [
            UInt8(ascii: "\""): 0x22, UInt8(ascii: "\\"): 0x5C, UInt8(ascii: "/"): 0x2F, UInt8(ascii: "b"): 0x08,
            UInt8(ascii: "f"): 0x0C, UInt8(ascii: "n"): 0x0A, UInt8(ascii: "r"): 0x0D, UInt8(ascii: "t"): 0x09,
        ]
        if let decoded = simple[byte] {
            utf8.append(decoded)
            index += 1
            return
        }
        guard byte == UInt8(ascii: "u") else {
            throw error("invalid escape sequence '\\\(describeCurrent().trimmingQuotes)'")
        }
        let escapeStart = index - 1
        index += 1
        var scalarValue = try parseHexQuad()
        if (0xD800..<0xDC00).contains(scalarValue) {
            guard bytes[index...].starts(with: Array("\\u".utf8)) else {
                throw error("unpaired UTF-16 surrogate in \\u escape", at: escapeStart)
            }
            index += 2
            let low = try parseHexQuad()
            guard (0xDC00..<0xE000).contains(low) else {
                throw error("unpaired UTF-16 surrogate in \\u escape", at: escapeStart)
            }
            scalarValue = 0x10000 + ((scalarValue - 0xD800) << 10) + (low - 0xDC00)
        }
        guard let scalar = Unicode.Scalar(scalarValue) else {
            throw error("unpaired UTF-16 surrogate in \\u escape", at: escapeStart)
        }
        UTF8.encode(scalar) { utf8.append($0) }
    }

    private mutating func parseHexQuad() throws(JSONSyntaxError) -> UInt32 {
        var value: UInt32 = 0
        for _ in 0..<4 {
            guard let byte = current, let digit = hexDigitValue(byte) else {
                throw error("expected four hex digits after \\u")
            }
            value = value << 4 | UInt32(digit)
            index += 1
        }
        return value
    }

    private func hexDigitValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }

    /// Reads a number following the JSON grammar exactly: no leading zeros, no `+`, no bare `.5`.
    fileprivate mutating func parseNumber() throws(JSONSyntaxError) -> Double {
        let start = index
        if current == UInt8(ascii: "-") { index += 1 }
        if current == UInt8(ascii: "0") {
            index += 1
            if let byte = current, isDigit(byte) { throw error("numbers must not have leading zeros") }
        } else {
            try digits(after: "'-'")
        }
        if current == UInt8(ascii: ".") {
            index += 1
            try digits(after: "the decimal point")
        }
        if current == UInt8(ascii: "e") || current == UInt8(ascii: "E") {
            index += 1
            if current == UInt8(ascii: "+") || current == UInt8(ascii: "-") { index += 1 }
            try digits(after: "the exponent")
        }
        let text = String(decoding: bytes[start..<index], as: UTF8.self)
        guard let value = Double(text), value.isFinite else {
            throw error("number \(text) is too large", at: start)
        }
        return value
    }

    private mutating func digits(after context: String) throws(JSONSyntaxError) {
        guard let byte = current, isDigit(byte) else {
            throw error("expected a digit after \(context), found \(describeCurrent())")
        }
        while let byte = current, isDigit(byte) { index += 1 }
    }

    private func isDigit(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
    }
}

extension String {
    /// Drops the quotes `describeCurrent()` puts around printable characters, for embedding in other quotes.
    fileprivate var trimmingQuotes: String {
        count >= 2 && hasPrefix("'") && hasSuffix("'") ? String(dropFirst().dropLast()) : self
    }
}
