/// Why the configuration could not be loaded, with every problem found.
struct ConfigurationError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The stage that failed, so callers and tests can tell an unreadable file from a bad setting.
    struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Base: String, Hashable, Sendable {
            case unreadableFile
            case invalidJSON
            case invalidConfiguration
        }

        private let base: Base

        /// The file does not exist or could not be read.
        static let unreadableFile = Code(base: .unreadableFile)
        /// The file is not valid JSON; the single problem gives line and column.
        static let invalidJSON = Code(base: .invalidJSON)
        /// The JSON was read but one or more settings are wrong.
        static let invalidConfiguration = Code(base: .invalidConfiguration)

        /// The code's name, for logs and test failures.
        var description: String { base.rawValue }
    }

    /// Which stage failed.
    let code: Code
    /// Every problem found, in the order the document was checked; never empty.
    let problems: [ConfigProblem]

    /// One problem per line, exactly as `check-config` prints them.
    var description: String {
        problems.map(\.description).joined(separator: "\n")
    }
}
