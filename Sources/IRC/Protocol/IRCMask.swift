/// A hostmask pattern such as `*!*@staff.example.org`, as written in ignore and admin lists.
///
/// `*` matches any run of characters (including none) and `?` exactly one; everything else, brackets included,
/// is literal. Matching folds both sides with the server's ``CaseMapping`` so `Alice[m]` in a config file still
/// matches `alice{m}` on an rfc1459 network.
package struct IRCMask: Sendable, Hashable, CustomStringConvertible {
    /// The pattern as written in the configuration.
    package var pattern: String

    /// Creates a mask from its pattern.
    package init(_ pattern: String) {
        self.pattern = pattern
    }

    /// The pattern, so logs show the mask as the operator wrote it.
    package var description: String {
        self.pattern
    }

    /// Whether `source` (`nick!user@host`) matches the mask under `caseMapping`.
    package func matches(_ source: String, caseMapping: CaseMapping = .rfc1459) -> Bool {
        Self.glob(Array(caseMapping.fold(self.pattern)), Array(caseMapping.fold(source)))
    }

    /// Whether the parsed `source` matches the mask, using its canonical `nick!user@host` form.
    package func matches(_ source: IRCUserHost, caseMapping: CaseMapping = .rfc1459) -> Bool {
        self.matches(source.description, caseMapping: caseMapping)
    }

    /// Wildcard matching that, on a mismatch, backtracks only to the most recent `*` and lets it swallow one more
    /// character: at worst pattern × text steps, so a hostile nick cannot make `*a*a*a*b` explode as recursion would.
    private static func glob(_ pattern: [Character], _ text: [Character]) -> Bool {
        var patternIndex = 0
        var textIndex = 0
        var lastStar: Int?
        var starTextIndex = 0
        while textIndex < text.count {
            if patternIndex < pattern.count && pattern[patternIndex] == "*" {
                lastStar = patternIndex
                starTextIndex = textIndex
                patternIndex += 1
            } else if patternIndex < pattern.count
                && (pattern[patternIndex] == "?" || pattern[patternIndex] == text[textIndex])
            {
                patternIndex += 1
                textIndex += 1
            } else if let star = lastStar {
                patternIndex = star + 1
                starTextIndex += 1
                textIndex = starTextIndex
            } else {
                return false
            }
        }
        return pattern[patternIndex...].allSatisfy { $0 == "*" }
    }
}
