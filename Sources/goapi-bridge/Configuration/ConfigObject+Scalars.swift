extension ConfigObject {
    /// Reads `key` through `convert`, reporting a missing required key or any violation `convert` throws.
    ///
    /// Returns `nil` when the key is absent or the value was rejected, so callers can fall back to a default:
    /// once any problem is reported the configuration is refused, so the fallback never reaches the service.
    func read<Value>(
        _ key: String,
        required: Bool = false,
        _ convert: (JSONValue) throws(ConfigViolation) -> Value
    ) -> Value? {
        guard let value = value(key) else {
            if required {
                report(key, .missing)
            }
            return nil
        }
        do {
            return try convert(value)
        } catch {
            report(key, error)
            return nil
        }
    }

    /// An optional string setting in `format`; `nil` when absent.
    func string<Value>(_ key: String, as format: StringFormat<Value>) -> Value? {
        read(key) { (value) throws(ConfigViolation) in try format.parse(value.expectString()) }
    }

    /// A string setting in `format` with a default.
    func string<Value>(_ key: String, as format: StringFormat<Value>, default defaultValue: Value) -> Value {
        string(key, as: format) ?? defaultValue
    }

    /// A string setting that must be present.
    func requiredString<Value>(_ key: String, as format: StringFormat<Value>) -> Value? {
        read(key, required: true) { (value) throws(ConfigViolation) in try format.parse(value.expectString()) }
    }

    /// A boolean setting with a default.
    func bool(_ key: String, default defaultValue: Bool) -> Bool {
        read(key) { (value) throws(ConfigViolation) in
            guard case .bool(let bool) = value else { throw .wrongType(expected: "true or false", found: value) }
            return bool
        } ?? defaultValue
    }

    /// A whole-number setting within `range`, with a default.
    func integer(_ key: String, default defaultValue: Int, in range: ClosedRange<Int>) -> Int {
        read(key) { (value) throws(ConfigViolation) in
            guard case .number(let number) = value else { throw .wrongType(expected: "a number", found: value) }
            guard number == number.rounded() else {
                throw ConfigViolation("expected a whole number, found \(number.jsonDescription)")
            }
            guard number >= Double(range.lowerBound), number <= Double(range.upperBound) else {
                throw ConfigViolation("must be \(range.lowerBound)-\(range.upperBound), not \(number.jsonDescription)")
            }
            return Int(number)
        } ?? defaultValue
    }

    /// A duration written as seconds (fractions allowed), with a default.
    ///
    /// Capped at one year: nothing in the bridge waits that long, and the cap keeps a typo such as `1e300`
    /// from overflowing `Duration`.
    func seconds(_ key: String, default defaultSeconds: Double, allowZero: Bool = false) -> Duration {
        read(key) { (value) throws(ConfigViolation) in
            guard case .number(let seconds) = value else {
                throw .wrongType(expected: "a number of seconds", found: value)
            }
            if allowZero {
                guard seconds >= 0 else { throw ConfigViolation("must be 0 or more, not \(seconds.jsonDescription)") }
            } else {
                guard seconds > 0 else {
                    throw ConfigViolation("must be greater than 0, not \(seconds.jsonDescription)")
                }
                // `1e-300` is greater than 0 but a zero duration once read, which a limit or interval must not be
                // (a rate limit of so many requests per zero seconds quietly limits nothing).
                guard seconds >= Self.minimumSeconds else {
                    throw ConfigViolation("must be at least 0.001 (one millisecond), not \(seconds.jsonDescription)")
                }
            }
            guard seconds <= Self.maximumSeconds else {
                throw ConfigViolation("must be at most \(Int(Self.maximumSeconds)) (one year)")
            }
            return Duration.seconds(seconds)
        } ?? Duration.seconds(defaultSeconds)
    }

    /// The longest duration any setting accepts.
    static let maximumSeconds: Double = 365 * 24 * 60 * 60

    /// The shortest duration a setting that must not be zero accepts.
    static let minimumSeconds = 0.001

    /// One of a fixed set of words, such as an endpoint kind; `nil` when absent or invalid.
    func choice<Choice: CaseIterable & RawRepresentable<String>>(
        _ key: String,
        required: Bool = false,
        as type: Choice.Type = Choice.self
    ) -> Choice? {
        read(key, required: required) { (value) throws(ConfigViolation) in
            let word = try value.expectString()
            if let choice = Choice(rawValue: word) {
                return choice
            }
            let words = Choice.allCases.map(\.rawValue)
            throw ConfigViolation(
                "\(word.quoted) is not one of \(words.joined(separator: ", "))",
                hint: word.closestMatch(among: words).map { "did you mean \"\($0)\"?" }
            )
        }
    }
}

extension JSONValue {
    /// The string inside, or a wrong-type violation.
    func expectString() throws(ConfigViolation) -> String {
        guard case .string(let string) = self else { throw .wrongType(expected: "a string", found: self) }
        return string
    }
}

extension ConfigObject {
    /// Reports `upperKey` when its duration is shorter than `lowerKey`'s, e.g. a maximum backoff below the
    /// initial one, which would make the backoff shrink.
    func requireOrdered(_ lowerKey: String, _ lower: Duration, _ upperKey: String, _ upper: Duration) {
        guard upper < lower, !rejectedKeys.contains(lowerKey), !rejectedKeys.contains(upperKey) else { return }
        let lowerSeconds = lower.inSeconds.jsonDescription
        let upperSeconds = upper.inSeconds.jsonDescription
        report(upperKey, ConfigViolation("must be at least \(lowerKey) (\(lowerSeconds)), not \(upperSeconds)"))
    }
}
