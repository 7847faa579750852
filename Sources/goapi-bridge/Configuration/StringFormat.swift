/// How a string setting is checked and turned into a typed value.
///
/// Formats are written once and shared by every key that uses them (every `gizmoId` takes `.gizmoId`), so the
/// same mistake gets the same message wherever it is made. Messages quote the offending value; secrets use
/// ``SecretFormat`` instead.
struct StringFormat<Value> {
    /// Converts the string or throws what is wrong with it.
    let parse: (String) throws(ConfigViolation) -> Value
}

extension StringFormat where Value == String {
    /// Any string that is not empty.
    static var nonEmpty: Self {
        Self { (text) throws(ConfigViolation) in
            guard !text.isEmpty else { throw ConfigViolation("must not be empty") }
            return text
        }
    }

    /// One line of text, possibly empty (an empty value turns the feature off), such as a notice.
    static var optionalLine: Self {
        Self { (text) throws(ConfigViolation) in
            guard !text.contains(where: \.isNewline) else { throw ConfigViolation("must be a single line") }
            return text
        }
    }

    /// A single non-empty word, such as a model name or a command prefix.
    static var word: Self {
        Self { (text) throws(ConfigViolation) in
            guard !text.isEmpty else { throw ConfigViolation("must not be empty") }
            guard !text.contains(where: \.isWhitespace) else {
                throw ConfigViolation("\(text.quoted) must not contain spaces")
            }
            // A NUL or a bidi override in a model name reaches GoAPI as written and fails only there; in a command
            // prefix it could never be typed.
            guard !text.unicodeScalars.contains(where: { [.control, .format].contains($0.properties.generalCategory) })
            else {
                throw ConfigViolation("\(text.quoted) must not contain control or invisible formatting characters")
            }
            return text
        }
    }

    /// A custom GPT id: `g-` then letters and digits.
    static var gizmoId: Self {
        Self { (text) throws(ConfigViolation) in
            let body = text.dropFirst(2)
            guard text.hasPrefix("g-"), !body.isEmpty, body.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber) })
            else {
                throw ConfigViolation(
                    "\(text.quoted) is not a GPT id",
                    hint:
                        "GPT ids are g- followed by letters and digits; from chatgpt.com/g/g-abc123-my-gpt use g-abc123"
                )
            }
            return text
        }
    }
}
