import Foundation

@testable import goapi_bridge

// Lets tests write configuration documents as Swift literals; only tests need them, so the production
// target does not carry the conformances.
extension JSONValue: ExpressibleByDictionaryLiteral, ExpressibleByArrayLiteral, ExpressibleByStringLiteral,
    ExpressibleByIntegerLiteral, ExpressibleByFloatLiteral, ExpressibleByBooleanLiteral, ExpressibleByNilLiteral
{
    public init(dictionaryLiteral elements: (String, JSONValue)...) {
        self = .object(Dictionary(elements, uniquingKeysWith: { _, last in last }))
    }

    public init(arrayLiteral elements: JSONValue...) {
        self = .array(elements)
    }

    public init(stringLiteral value: String) {
        self = .string(value)
    }

    public init(integerLiteral value: Int) {
        self = .number(Double(value))
    }

    public init(floatLiteral value: Double) {
        self = .number(value)
    }

    public init(booleanLiteral value: Bool) {
        self = .bool(value)
    }

    public init(nilLiteral: ()) {
        self = .null
    }
}

extension JSONValue {
    /// A copy of this object with `key` set to `value`.
    func setting(_ key: String, to value: JSONValue) -> JSONValue {
        guard case .object(var members) = self else { preconditionFailure("setting \(key) on a non-object") }
        members[key] = value
        return .object(members)
    }

    /// A copy of this object with every member of `patch` set.
    func merging(_ patch: [String: JSONValue]) -> JSONValue {
        patch.reduce(self) { $0.setting($1.key, to: $1.value) }
    }

    /// The document as JSON text, keys sorted, for feeding the real parser.
    var jsonText: String {
        switch self {
        case .object(let members):
            let body = members.keys.sorted().map { "\(JSONValue.string($0).jsonText): \(members[$0]!.jsonText)" }
            return "{\(body.joined(separator: ", "))}"
        case .array(let elements):
            return "[\(elements.map(\.jsonText).joined(separator: ", "))]"
        case .string(let string):
            var text = "\""
            for scalar in string.unicodeScalars {
                switch scalar {
                case "\"": text += "\\\""
                case "\\": text += "\\\\"
                case _ where scalar.value < 0x20:
                    let hex = String(scalar.value, radix: 16)
                    text += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                default: text.unicodeScalars.append(scalar)
                }
            }
            return text + "\""
        case .number(let number):
            return number.jsonDescription
        case .bool(let bool):
            return bool ? "true" : "false"
        case .null:
            return "null"
        }
    }
}
