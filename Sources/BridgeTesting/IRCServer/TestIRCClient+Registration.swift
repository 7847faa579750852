/// What a ``TestIRCClient`` learnt while registering.
package struct TestIRCWelcome: Sendable {
    /// The nick the server welcomed.
    package var nick: String
    /// The capabilities from `CAP LS 302`, each with its value ("" when it has none).
    package var offeredCapabilities: [String: String]
    /// The capabilities the server acknowledged.
    package var enabledCapabilities: Set<String>
    /// The ISUPPORT (005) tokens, each with its value ("" when it has none), e.g. `BOT` → `B`.
    package var isupport: [String: String]
}

extension TestIRCClient {
    /// Registers: `CAP LS 302`, NICK, USER, requests those of `capabilities` the server offers, `CAP END`,
    /// then waits for 001 and for the end of the MOTD so ISUPPORT is complete.
    ///
    /// InspIRCd 3 completes registrations on its once-a-second timer, so this takes up to a second; a test
    /// with several clients saves time by registering them concurrently.
    ///
    /// Capability negotiation always happens, so ``TestIRCWelcome/offeredCapabilities`` is filled even when
    /// nothing is requested.
    ///
    /// - Throws: `.registrationFailed` if the nick is refused (432/433/436), a capability is NAKed, or the
    ///   server sends ERROR; `.timedOut` if a step takes longer than `timeout`.
    @discardableResult
    package func register(
        nick: String,
        user: String = "tester",
        realName: String = "goapi-bridge test client",
        capabilities: [String] = [],
        timeout: Duration = defaultTimeout
    ) async throws -> TestIRCWelcome {
        try await self.send("CAP LS 302")
        try await self.send("NICK \(nick)")
        try await self.send("USER \(user) 0 * :\(realName)")
        let offered = try await self.readCapabilityList(timeout: timeout)
        let requested = capabilities.filter { offered[$0] != nil }
        var enabled: Set<String> = []
        if !requested.isEmpty {
            try await self.send("CAP REQ :\(requested.joined(separator: " "))")
            let answer = try await self.waitForMessage("CAP ACK or NAK", timeout: timeout) {
                $0.command == "CAP"
                    && ($0.parameters.dropFirst().first == "ACK" || $0.parameters.dropFirst().first == "NAK")
            }
            guard answer.parameters[1] == "ACK" else {
                throw TestIRCClientError(
                    code: .registrationFailed,
                    message: "the server refused capabilities: \(answer.raw)",
                    recentLines: self.recentLines
                )
            }
            enabled = Set((answer.parameters.last ?? "").split(separator: " ").map(String.init))
        }
        try await self.send("CAP END")
        let welcome = try await self.waitForCommand("001", "432", "433", "436", "465", "ERROR", timeout: timeout)
        guard welcome.command == "001" else {
            throw TestIRCClientError(
                code: .registrationFailed,
                message: "registration as \(nick) failed: \(welcome.raw)",
                recentLines: self.recentLines
            )
        }
        let acceptedNick = welcome.parameters.first ?? nick
        self.setNick(acceptedNick)
        var isupport: [String: String] = [:]
        while true {
            let message = try await self.waitForCommand("005", "376", "422", timeout: timeout)
            guard message.command == "005" else {
                break
            }
            // 005 <nick> TOKEN[=value]… :are supported by this server
            for token in message.parameters.dropFirst().dropLast() {
                let name = token.prefix { $0 != "=" }
                isupport[String(name)] = String(token.dropFirst(name.count + 1))
            }
        }
        return TestIRCWelcome(
            nick: acceptedNick,
            offeredCapabilities: offered,
            enabledCapabilities: enabled,
            isupport: isupport
        )
    }

    /// Reads a (possibly multi-line) `CAP * LS` answer.
    private func readCapabilityList(timeout: Duration) async throws -> [String: String] {
        var offered: [String: String] = [:]
        while true {
            let line = try await self.waitForMessage("CAP LS", timeout: timeout) {
                $0.command == "CAP" && $0.parameters.dropFirst().first == "LS"
            }
            // CAP <nick> LS [*] :cap1 cap2=value …; the "*" marks a continued list.
            for capability in (line.parameters.last ?? "").split(separator: " ") {
                let name = capability.prefix { $0 != "=" }
                offered[String(name)] = String(capability.dropFirst(name.count + 1))
            }
            if line.parameters.count < 4 || line.parameters[2] != "*" {
                return offered
            }
        }
    }

    /// Joins `channel` and waits for the server's JOIN echo and the end of NAMES (366); returns the names
    /// with their prefixes (`@alice`).
    ///
    /// - Throws: `.joinFailed` for a refusal (banned, invite only, bad key, too many channels…).
    @discardableResult
    package func join(
        _ channel: String,
        key: String? = nil,
        timeout: Duration = defaultTimeout
    ) async throws
        -> [String]
    {
        let refusals: Set<String> = ["403", "405", "471", "473", "474", "475", "476", "477", "489"]
        let folded = channel.lowercased()
        let ownNick = self.nick?.lowercased()
        try await self.send("JOIN \(channel)" + (key.map { " \($0)" } ?? ""))
        let echo = try await self.waitForMessage("JOIN echo for \(channel)", timeout: timeout) { message in
            if message.command == "JOIN" {
                let ours = ownNick == nil || message.sourceNick?.lowercased() == ownNick
                return ours && message.parameters.first?.lowercased() == folded
            }
            return refusals.contains(message.command) && message.parameters.dropFirst().first?.lowercased() == folded
        }
        guard echo.command == "JOIN" else {
            throw TestIRCClientError(
                code: .joinFailed,
                message: "the server refused to let us join \(channel): \(echo.raw)",
                recentLines: self.recentLines
            )
        }
        var names: [String] = []
        while true {
            let message = try await self.waitForMessage("NAMES for \(channel)", timeout: timeout) { message in
                (message.command == "353" && message.parameters.dropLast().last?.lowercased() == folded)
                    || (message.command == "366" && message.parameters.dropFirst().first?.lowercased() == folded)
            }
            guard message.command == "353" else {
                return names
            }
            names += (message.parameters.last ?? "").split(separator: " ").map(String.init)
        }
    }
}
