/// Hexadecimal digits as bytes, for the parsers that read them from peers' input (ISUPPORT `\x` escapes, Slack's
/// signature): one total reading, so no byte a peer sends can be taken for a digit or step a reader out of bounds.
package enum HexDigit {
    /// The value of one hexadecimal digit (`0`–`9`, `a`–`f`, `A`–`F`), or `nil` for any other byte.
    package static func value(of byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
