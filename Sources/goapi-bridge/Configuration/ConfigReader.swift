/// The state shared by one walk over a configuration document: the problems found so far and the environment
/// that `env:` secrets are resolved from.
///
/// A class because every ``ConfigObject`` along the walk appends to the same list; it lives only for one load
/// and never crosses a concurrency domain.
final class ConfigReader {
    /// Variables for `env:NAME` secrets and `LOG_LEVEL`; passed in so tests never touch the process environment.
    let environment: [String: String]
    /// Every problem reported so far, in the order the document was checked.
    private(set) var problems: [ConfigProblem] = []

    /// Starts a walk with no problems.
    init(environment: [String: String]) {
        self.environment = environment
    }

    /// Records a problem and carries on, so one load reports everything wrong with the file.
    func report(_ violation: ConfigViolation, at path: ConfigPath) {
        problems.append(ConfigProblem(at: path, violation))
    }
}
