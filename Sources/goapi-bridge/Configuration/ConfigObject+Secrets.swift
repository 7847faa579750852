extension ConfigObject {
    /// An optional secret; `nil` when absent or unusable (the latter is reported).
    ///
    /// `"env:NAME"` reads variable NAME from the loader's environment, so secrets can stay out of the file.
    func secret(_ key: String, as format: SecretFormat = .credential) -> Secret? {
        read(key) { (value) throws(ConfigViolation) in try resolveSecret(value, format: format) }
    }

    /// A secret that must be present.
    func requiredSecret(_ key: String, as format: SecretFormat = .credential) -> Secret? {
        read(key, required: true) { (value) throws(ConfigViolation) in try resolveSecret(value, format: format) }
    }

    private func resolveSecret(_ value: JSONValue, format: SecretFormat) throws(ConfigViolation) -> Secret {
        let written = try value.expectString()
        guard written.hasPrefix(Secret.environmentPrefix) else {
            // Taken literally, `$GOAPI_API_KEY` or `Env:GOAPI_API_KEY` would only fail later, as a refused key or
            // signature far from its cause.
            if let name = written.misspeltEnvironmentReference {
                throw ConfigViolation(
                    "\(written.quoted) looks like a reference to an environment variable, but is taken literally",
                    hint: "write env:\(name) to read the variable"
                )
            }
            // `file:/run/secrets/…` (how Docker and systemd hand out secrets) would be sent as the key itself.
            if written.lowercased().hasPrefix("file:") {
                throw ConfigViolation(
                    "secrets are read from environment variables, not from files (file: is taken literally)",
                    hint:
                        "write env:NAME and set NAME from the file, e.g. with systemd's EnvironmentFile= or an env_file"
                )
            }
            try format.check(written)
            return Secret(written)
        }
        let name = String(written.dropFirst(Secret.environmentPrefix.count))
        guard name.isEnvironmentVariableName else {
            // Not quoted: a secret pasted after `env:` would go to the terminal and, through `check-config` before
            // every start, to the journal.
            throw ConfigViolation(
                name.isEmpty
                    ? "\"env:\" names no environment variable"
                    : "the text after env: is not an environment variable name (not shown, in case it is the secret)",
                hint: "write env: followed by a name such as GOAPI_API_KEY"
            )
        }
        guard let resolved = reader.environment[name] else {
            throw ConfigViolation("environment variable \(name) is not set")
        }
        guard !resolved.isEmpty else {
            throw ConfigViolation("environment variable \(name) is empty")
        }
        do {
            try format.check(resolved)
        } catch {
            throw ConfigViolation("environment variable \(name): \(error.message)", hint: error.hint)
        }
        return Secret(resolved)
    }
}

extension String {
    /// The variable a value meant to name when it is written the shell's way (`$NAME`, `${NAME}`) or with `env:` in
    /// other letter cases (`ENV:NAME`); nil otherwise. The shell forms count only with a conventional upper-case
    /// name, so a password that happens to start with `$` is still taken as written.
    fileprivate var misspeltEnvironmentReference: String? {
        if self.lowercased().hasPrefix(Secret.environmentPrefix) {
            let name = String(self.dropFirst(Secret.environmentPrefix.count))
            return name.isEnvironmentVariableName ? name : nil
        }
        guard self.hasPrefix("$") else { return nil }
        var name = self.dropFirst()
        if name.hasPrefix("{") && name.hasSuffix("}") { name = name.dropFirst().dropLast() }
        let isConventional = name.allSatisfy { $0.isASCII && ($0.isUppercase || $0.isNumber || $0 == "_") }
        return isConventional && String(name).isEnvironmentVariableName ? String(name) : nil
    }

    /// Letters, digits and underscores, not starting with a digit: what a shell can export.
    fileprivate var isEnvironmentVariableName: Bool {
        guard let first, !first.isNumber else { return false }
        return allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") }
    }
}
