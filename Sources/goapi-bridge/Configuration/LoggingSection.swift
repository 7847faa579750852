import Logging

extension BridgeConfiguration {
    /// The `logging` section.
    struct LoggingSection: Equatable, Sendable {
        /// The lowest level written; `LOG_LEVEL` in the environment overrides the file.
        var level: Logger.Level
        /// How each log line is laid out.
        var format: Format

        /// Log line layouts.
        enum Format: String, CaseIterable, Equatable, Sendable {
            /// `key=value` pairs, easy to read and to grep.
            case logfmt
            /// One JSON object per line, for log shippers.
            case json
        }
    }
}

extension BridgeConfiguration.LoggingSection {
    /// Lets operators raise verbosity for one run without editing the file.
    static let levelVariable = "LOG_LEVEL"

    /// Reads `logging`, then applies `LOG_LEVEL` from the loader's environment if it is set.
    init(reading object: ConfigObject) {
        var level = object.choice("level", as: Logger.Level.self) ?? .info
        let format = object.choice("format", as: Format.self) ?? .logfmt
        object.finish()
        if let override = object.reader.environment[Self.levelVariable], !override.isEmpty {
            if let overrideLevel = Logger.Level(rawValue: override) {
                level = overrideLevel
            } else {
                let levels = Logger.Level.allCases.map(\.rawValue).joined(separator: ", ")
                object.report(
                    "level",
                    ConfigViolation(
                        "environment variable \(Self.levelVariable) is \(override.quoted), not a log level",
                        hint: "use one of \(levels)"
                    )
                )
            }
        }
        self.init(level: level, format: format)
    }
}
