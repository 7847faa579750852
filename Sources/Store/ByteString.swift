/// A string compared and hashed by its UTF-8 bytes, as SQLite compares TEXT, so both stores agree on which keys are
/// equal and how ids sort.
struct ByteString: Hashable, Comparable, Sendable {
    /// The string's UTF-8 encoding.
    var bytes: [UInt8]

    /// Wraps `string`.
    init(_ string: String) {
        bytes = Array(string.utf8)
    }

    /// Byte-wise order, SQLite's default collation.
    static func < (lhs: ByteString, rhs: ByteString) -> Bool {
        lhs.bytes.lexicographicallyPrecedes(rhs.bytes)
    }
}
