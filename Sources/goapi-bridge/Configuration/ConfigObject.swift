/// One JSON object of the configuration being read.
///
/// It remembers which keys the schema asked for, so that ``finish(misplaced:)`` can report every other key
/// as unknown — a misspelt key must not silently fall back to a default — and suggest the closest known one.
final class ConfigObject {
    /// Where the object sits; member paths are built from it.
    let path: ConfigPath
    /// Where problems go.
    let reader: ConfigReader
    private let members: [String: JSONValue]
    private var knownKeys: [String] = []
    /// Keys whose value was reported as wrong, so cross-key checks can skip them instead of comparing
    /// against the default that stands in for the rejected value.
    private(set) var rejectedKeys: Set<String> = []

    /// Wraps `value` if it is an object; otherwise reports the wrong type and returns `nil`.
    init?(_ value: JSONValue, at path: ConfigPath, reader: ConfigReader) {
        guard case .object(let members) = value else {
            reader.report(.wrongType(expected: "an object", found: value), at: path)
            return nil
        }
        self.path = path
        self.reader = reader
        self.members = members
    }

    /// Stands in for an absent optional section, so reading it yields every default.
    init(emptyAt path: ConfigPath, reader: ConfigReader) {
        self.path = path
        self.reader = reader
        self.members = [:]
    }

    /// The value of `key`, or `nil` when it is absent or `null` (null means "use the default" everywhere).
    /// Marks the key as part of the schema either way.
    func value(_ key: String) -> JSONValue? {
        if !knownKeys.contains(key) {
            knownKeys.append(key)
        }
        switch members[key] {
        case .none, .null: return nil
        case .some(let value): return value
        }
    }

    /// Whether `key` is set to something other than `null`; marks the key as part of the schema.
    func contains(_ key: String) -> Bool {
        value(key) != nil
    }

    /// Marks `key` as part of the schema without reading it, for keys that only matter when another setting
    /// switches them on (a disabled fallback's `apiKey` is not resolved, so its variable may be unset).
    func accept(_ key: String) {
        _ = value(key)
    }

    /// Reports a problem with member `key`.
    func report(_ key: String, _ violation: ConfigViolation) {
        rejectedKeys.insert(key)
        reader.report(violation, at: path.appending(key))
    }

    /// Reports every key the schema did not ask for.
    ///
    /// - Parameter misplaced: explains keys that are valid elsewhere (another endpoint kind, another mode)
    ///   better than "unknown key" would; returns `nil` for keys that are simply unknown.
    func finish(misplaced: (String) -> ConfigViolation? = { _ in nil }) {
        for key in members.keys.sorted() where !knownKeys.contains(key) {
            if let violation = misplaced(key) {
                // A misplaced key set to null is harmless: it says "not used here" itself.
                if members[key] != .null {
                    report(key, violation)
                }
            } else if let suggestion = key.closestMatch(among: knownKeys) {
                report(key, ConfigViolation("unknown key", hint: "did you mean \"\(suggestion)\"?"))
            } else {
                report(key, ConfigViolation("unknown key"))
            }
        }
    }
}
