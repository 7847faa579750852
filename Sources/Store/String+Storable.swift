import Foundation

extension String {
    /// The text as either store keeps it. SQLite stores a NUL character, but GRDB reads text only up to the first
    /// one, so a webhook question holding `\u0000` (valid JSON) lost everything after it in the SQLite store and
    /// nothing in the in-memory one. A NUL, never meant as text, becomes U+FFFD in both.
    var storable: String {
        guard self.utf8.contains(0) else { return self }
        return self.replacingOccurrences(of: "\u{0}", with: "\u{FFFD}")
    }
}
