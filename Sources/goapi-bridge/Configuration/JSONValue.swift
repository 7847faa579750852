/// A parsed JSON document kept as plain values.
///
/// The configuration is read from this instead of through `Decodable`, so the reader can report a wrong type,
/// an unknown key or a missing key at its exact path and keep going, rather than stopping at the first mismatch.
enum JSONValue: Equatable, Sendable {
    /// A JSON object; key order is not kept because problems are reported in schema order instead.
    case object([String: JSONValue])
    /// A JSON array.
    case array([JSONValue])
    /// A JSON string.
    case string(String)
    /// Every JSON number; integer settings check that the value is whole themselves.
    case number(Double)
    /// `true` or `false`.
    case bool(Bool)
    /// `null`, which the configuration treats like an absent key.
    case null

    /// The kind of value with its article, for "expected a string, found a number" messages.
    var kindDescription: String {
        switch self {
        case .object: "an object"
        case .array: "an array"
        case .string: "a string"
        case .number: "a number"
        case .bool: "a boolean"
        case .null: "null"
        }
    }
}

extension Double {
    /// Prints whole numbers without a fraction, so messages quote `70000` the way the user wrote it.
    var jsonDescription: String {
        if self == rounded(), abs(self) < 1e15 {
            return String(Int64(self))
        }
        return String(self)
    }
}
