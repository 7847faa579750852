import Foundation

/// One message of a conversation's recent history, kept so the backup model can be given context when the
/// Conversation API (which keeps the real history server-side) is unavailable.
package struct TranscriptTurn: Sendable, Hashable {
    /// Who spoke.
    package enum Role: String, Sendable, Hashable {
        /// The person (or people) asking.
        case user
        /// The model.
        case assistant
    }

    /// Who spoke.
    package var role: Role
    /// What was said.
    package var text: String
    /// When it was recorded.
    package var createdAt: Date

    /// Creates a turn.
    package init(role: Role, text: String, createdAt: Date) {
        self.role = role
        self.text = text.storable
        self.createdAt = createdAt
    }
}

/// How much history is kept per conversation: at most `maxTurns` messages and `maxCharacters` characters, the
/// oldest dropped first.
package struct TranscriptLimits: Sendable, Hashable {
    /// Messages kept.
    package var maxTurns: Int
    /// Characters kept across those messages.
    package var maxCharacters: Int

    /// Creates limits.
    package init(maxTurns: Int, maxCharacters: Int) {
        self.maxTurns = maxTurns
        self.maxCharacters = maxCharacters
    }

    /// Which of `turns` (oldest first) to keep: the longest suffix within both limits. A single message longer
    /// than `maxCharacters` is dropped rather than cut, so no half message is ever handed to a model.
    package func keptSuffix(of turns: [TranscriptTurn]) -> ArraySlice<TranscriptTurn> {
        var start = turns.endIndex
        var characters = 0
        while start > turns.startIndex, turns.endIndex - start < self.maxTurns {
            let next = characters + turns[start - 1].text.count
            guard next <= self.maxCharacters else { break }
            characters = next
            start -= 1
        }
        return turns[start...]
    }
}
