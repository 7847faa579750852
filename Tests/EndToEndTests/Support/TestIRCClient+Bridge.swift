import BridgeTesting

extension TestIRCClient {
    /// How long a person waits for the bot's answer: a GoAPI round trip through the stub plus flood control.
    static let answerTimeout: Duration = .seconds(20)
    /// How long a person waits for the bot to (re)join: registration plus, after a disconnect, the backoff.
    static let joinTimeout: Duration = .seconds(60)

    /// Waits for `nick` to join `channel` (a channel this client is in).
    @discardableResult
    func waitForJoin(
        of nick: String,
        to channel: String,
        timeout: Duration = joinTimeout
    ) async throws -> TestIRCMessage {
        try await self.waitForMessage("JOIN of \(nick) to \(channel)", timeout: timeout) {
            $0.command == "JOIN" && $0.sourceNick?.lowercased() == nick.lowercased()
                && $0.parameters.first?.lowercased() == channel.lowercased()
        }
    }

    /// Joins `channel` and returns once `nick` is in it too: at once if NAMES lists it, else when its JOIN
    /// arrives. No polling: a JOIN after ours is always seen.
    func join(_ channel: String, thenAwait nick: String, timeout: Duration = joinTimeout) async throws {
        let names = try await self.join(channel)
        let present = names.contains {
            $0.drop { "~&@%+".contains($0) }.lowercased() == nick.lowercased()
        }
        if !present {
            try await self.waitForJoin(of: nick, to: channel, timeout: timeout)
        }
    }

    /// Waits for the next PRIVMSG from `nick` to `target` (a channel, or this client's nick for a query).
    func waitForPrivmsg(
        from nick: String,
        to target: String,
        timeout: Duration = answerTimeout
    ) async throws -> TestIRCMessage {
        try await self.waitForMessage("PRIVMSG from \(nick) to \(target)", timeout: timeout) {
            $0.command == "PRIVMSG" && $0.sourceNick?.lowercased() == nick.lowercased()
                && $0.parameters.first?.lowercased() == target.lowercased()
        }
    }

    /// Waits for the next NOTICE or PRIVMSG from `nick` whose text starts with `prefix`.
    func waitForReply(
        from nick: String,
        startingWith prefix: String,
        timeout: Duration = answerTimeout
    ) async throws -> TestIRCMessage {
        try await self.waitForMessage("reply from \(nick) starting \"\(prefix)\"", timeout: timeout) {
            ($0.command == "PRIVMSG" || $0.command == "NOTICE")
                && $0.sourceNick?.lowercased() == nick.lowercased()
                && ($0.parameters.last ?? "").hasPrefix(prefix)
        }
    }

    /// The oldest unread message matching `predicate` if one arrives within `timeout`, `nil` otherwise: for
    /// asserting that something does not happen (the bot does not QUIT, does not JOIN).
    func firstMessage(
        within timeout: Duration,
        matching predicate: @escaping @Sendable (TestIRCMessage) -> Bool
    ) async throws -> TestIRCMessage? {
        do {
            return try await self.waitForMessage(
                "a message that should not come",
                timeout: timeout,
                matching: predicate
            )
        } catch let error as TestIRCClientError where error.code == .timedOut {
            return nil
        }
    }
}
