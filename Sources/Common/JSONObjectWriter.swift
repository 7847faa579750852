import Foundation

/// A flat JSON object written byte by byte, for the bodies built on every accepted webhook request (the 202, the
/// stored acknowledgement, the queued question), where a `JSONEncoder` cost more than the rest of the response.
///
/// The bytes are exactly what ``JSONEncoder/webhooks`` writes for the same members added in sorted key order, so
/// stored rows and responses do not change: strings escape `"`, `\` and the control characters (`\b`, `\f`, `\n`,
/// `\r`, `\t`, the others as lowercase `\u00xx`) and nothing else — neither `/` nor non-ASCII text, which stays
/// UTF-8.
package struct JSONObjectWriter {
    private var bytes: [UInt8]
    private var isFirst = true

    /// Starts an empty object; `capacity` is a guess at the final size in bytes.
    package init(capacity: Int = 128) {
        self.bytes = []
        self.bytes.reserveCapacity(capacity)
        self.bytes.append(UInt8(ascii: "{"))
    }

    /// Adds a string member. `key` must be plain ASCII that needs no escaping, added in sorted order.
    package mutating func add(_ key: StaticString, _ value: String) {
        self.appendKey(key)
        Self.appendString(value, to: &self.bytes)
    }

    /// Adds an integer member; `key` as for a string member.
    package mutating func add(_ key: StaticString, _ value: Int) {
        self.appendKey(key)
        self.bytes.append(contentsOf: String(value).utf8)
    }

    /// The finished object.
    package consuming func finish() -> Data {
        self.bytes.append(UInt8(ascii: "}"))
        return Data(self.bytes)
    }

    private mutating func appendKey(_ key: StaticString) {
        if !self.isFirst { self.bytes.append(UInt8(ascii: ",")) }
        self.isFirst = false
        self.bytes.append(UInt8(ascii: "\""))
        key.withUTF8Buffer { self.bytes.append(contentsOf: $0) }
        self.bytes.append(contentsOf: [UInt8(ascii: "\""), UInt8(ascii: ":")])
    }

    /// `value` as a quoted JSON string, escaped as described above; for other writers of JSON text (the log
    /// handler, the GoAPI request body, the stub GoAPI) so there is one escaping rule.
    package static func quoted(_ value: String) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(value.utf8.count + 2)
        Self.appendString(value, to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Appends `value` as a quoted JSON string.
    package static func appendString(_ value: String, to bytes: inout [UInt8]) {
        bytes.append(UInt8(ascii: "\""))
        var value = value
        value.withUTF8 { utf8 in
            var start = 0
            for index in utf8.indices {
                let byte = utf8[index]
                guard byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") else { continue }
                // Runs of plain bytes, UTF-8 sequences included (all their bytes are >= 0x80), go in whole.
                bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[start..<index]))
                Self.appendEscape(byte, to: &bytes)
                start = index + 1
            }
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[start...]))
        }
        bytes.append(UInt8(ascii: "\""))
    }

    private static func appendEscape(_ byte: UInt8, to bytes: inout [UInt8]) {
        let backslash = UInt8(ascii: "\\")
        switch byte {
        case UInt8(ascii: "\""), backslash: bytes.append(contentsOf: [backslash, byte])
        case 0x08: bytes.append(contentsOf: [backslash, UInt8(ascii: "b")])
        case 0x0C: bytes.append(contentsOf: [backslash, UInt8(ascii: "f")])
        case UInt8(ascii: "\n"): bytes.append(contentsOf: [backslash, UInt8(ascii: "n")])
        case UInt8(ascii: "\r"): bytes.append(contentsOf: [backslash, UInt8(ascii: "r")])
        case UInt8(ascii: "\t"): bytes.append(contentsOf: [backslash, UInt8(ascii: "t")])
        default:
            bytes.append(contentsOf: [backslash, UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0")])
            bytes.append(contentsOf: [Self.hexDigit(byte >> 4), Self.hexDigit(byte & 0x0F)])
        }
    }

    /// A lowercase hexadecimal digit, as JSONEncoder writes them.
    private static func hexDigit(_ value: UInt8) -> UInt8 {
        value < 10 ? UInt8(ascii: "0") + value : UInt8(ascii: "a") + value - 10
    }
}
