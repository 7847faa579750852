extension ConfigObject {
    /// A nested object; `nil` when absent, `null` or not an object (the last is reported).
    func object(_ key: String, required: Bool = false) -> ConfigObject? {
        guard let value = value(key) else {
            if required {
                report(key, .missing)
            }
            return nil
        }
        return ConfigObject(value, at: path.appending(key), reader: reader)
    }

    /// A nested object whose keys all have defaults; an absent object reads as an empty one.
    func objectOrEmpty(_ key: String) -> ConfigObject {
        object(key) ?? ConfigObject(emptyAt: path.appending(key), reader: reader)
    }

    /// The elements of an array with their paths; `nil` when absent or not an array (the latter is reported).
    func array(_ key: String, required: Bool = false) -> [(path: ConfigPath, value: JSONValue)]? {
        read(key, required: required) { (value) throws(ConfigViolation) in
            guard case .array(let elements) = value else { throw .wrongType(expected: "an array", found: value) }
            let arrayPath = path.appending(key)
            return elements.enumerated().map { (arrayPath.appending(index: $0.offset), $0.element) }
        }
    }

    /// An array of strings in `format`, empty when absent; bad elements are reported and skipped.
    func strings<Value>(_ key: String, as format: StringFormat<Value>) -> [Value] {
        (array(key) ?? []).compactMap { element in
            do throws(ConfigViolation) {
                return try format.parse(element.value.expectString())
            } catch {
                reader.report(error, at: element.path)
                return nil
            }
        }
    }
}

extension ConfigObject {
    /// Reads every entry of an array of objects under `key` and reports entries that repeat an earlier
    /// entry's `uniqueKey` (compared after `fold`, for names that are case-insensitive).
    ///
    /// Duplicates are found from the raw value, so they are reported even when the rest of an entry is
    /// invalid. Returns an empty list when the key is absent and optional, and `nil` when the array or any
    /// entry is unusable, so callers never mistake a broken list for an empty one.
    func readEach<Entry>(
        _ key: String,
        required: Bool = false,
        unique uniqueKey: String,
        as format: StringFormat<String>,
        fold: (String) -> String = { $0 },
        _ read: (ConfigObject) -> Entry?
    ) -> [Entry]? {
        guard let elements = array(key, required: required) else {
            return required || rejectedKeys.contains(key) ? nil : []
        }
        var entries: [Entry] = []
        var firstPathByName: [String: ConfigPath] = [:]
        for element in elements {
            guard let object = ConfigObject(element.value, at: element.path, reader: reader) else { continue }
            if let entry = read(object) {
                entries.append(entry)
            }
            guard case .string(let name)? = object.value(uniqueKey), (try? format.parse(name)) != nil else { continue }
            if let firstPath = firstPathByName[fold(name)] {
                object.report(
                    uniqueKey,
                    ConfigViolation("\(name.quoted) is listed twice", hint: "first at \(firstPath)")
                )
            } else {
                firstPathByName[fold(name)] = object.path.appending(uniqueKey)
            }
        }
        return entries.count == elements.count ? entries : nil
    }
}
