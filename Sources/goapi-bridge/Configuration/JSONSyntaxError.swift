/// Why a configuration file is not valid JSON, and where.
///
/// Line and column are 1-based and count characters, so they match what an editor shows.
struct JSONSyntaxError: Error, Equatable, Sendable {
    /// What the parser expected or found, e.g. `trailing comma before '}'`.
    let message: String
    /// The line of the offending character.
    let line: Int
    /// The column of the offending character.
    let column: Int
    /// How to fix it, when the message alone does not make that obvious.
    var hint: String? = nil
}
