import Foundation

/// The id in a full-reply page's address: 128 bits from the system's cryptographically secure random number
/// generator, written as 22 characters of unpadded base64url. The link is the only key to the page, so the id must
/// be unguessable rather than merely unique; 128 bits make guessing hopeless however many pages exist.
package enum ReplyPageID {
    /// Characters in every id.
    static let length = 22

    /// A new random id.
    package static func random() -> String {
        // On Linux and macOS this generator reads the kernel's CSPRNG (getrandom / arc4random).
        var generator = SystemRandomNumberGenerator()
        return self.make(using: &generator)
    }

    /// An id from `generator`'s next 128 bits.
    static func make(using generator: inout some RandomNumberGenerator) -> String {
        var bytes: [UInt8] = []
        for _ in 0..<2 {
            withUnsafeBytes(of: generator.next() as UInt64) { bytes += $0 }
        }
        return Data(bytes).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    /// Whether `text` could be an id, checked before the store is asked, so odd paths cost no query.
    package static func isWellFormed(_ text: some StringProtocol) -> Bool {
        text.utf8.count == Self.length
            && text.utf8.allSatisfy { byte in
                switch byte {
                case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                    UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "_"):
                    true
                default:
                    false
                }
            }
    }
}
