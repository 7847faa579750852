/// What a line addressed to the bot asks for.
package enum ChatInput: Sendable, Hashable {
    /// A question for the GPT.
    case question(String)
    /// A bridge command.
    case command(ChatCommand)
}

/// The bridge's own commands (`!gpt reset`, …).
package enum ChatCommand: Sendable, Hashable {
    /// Start a new conversation (and forget the backup model's history of this one).
    case reset
    /// Forget the recent history kept for the backup model, keeping the conversation.
    case forget
    /// Switch GPT: an id, `default` (back to config) or `none` (plain model).
    case use(String)
    /// Switch model, or `default`.
    case model(String)
    /// Show the current GPT, model and conversation.
    case status
    /// List the commands.
    case help

    /// Whether the command changes shared settings (channel operators and admins only in channels).
    package var changesSettings: Bool {
        switch self {
        case .reset, .forget, .use, .model: true
        case .status, .help: false
        }
    }

    /// Reads `text` (after the trigger) as a command if it is exactly one; anything else is a question, so
    /// "help me write a haiku" still reaches the GPT.
    package static func parse(_ text: String) -> ChatCommand? {
        let words = text.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
        guard let first = words.first?.lowercased() else { return nil }
        switch (first, words.count) {
        case ("reset", 1): return .reset
        case ("forget", 1): return .forget
        case ("status", 1): return .status
        // `use` or `model` alone is the command typed half-way, not a one-word question.
        case ("help", 1), ("use", 1), ("model", 1): return .help
        case ("use", 2): return .use(words[1])
        case ("model", 2): return .model(words[1])
        default: return nil
        }
    }

    /// One line per command, for `help`.
    package static func helpText(prefix: String) -> String {
        "commands: \(prefix) <question> | \(prefix) reset (new conversation) | \(prefix) forget (drop the backup"
            + " model's history) | \(prefix) use <gpt-id|default|none> | \(prefix) model <name|default> | \(prefix) status"
            + " | \(prefix) help"
    }
}
