import Foundation

extension InspIRCdServer {
    /// Waits until services have linked and finished their burst, as InspIRCd logs it after `logOffset`.
    ///
    /// From then on NickServ and SaslServ exist on the network and InspIRCd offers `sasl`. The log is read
    /// rather than asking NickServ through a probe client because a client's registration alone costs up to a
    /// second (InspIRCd completes registrations on a one-second timer); the SASL self-tests cover the rest.
    func waitForServices(deadline: ContinuousClock.Instant, logOffset: Int = 0) async throws {
        guard let services = self.services else {
            return
        }
        // InspIRCd puts the server name in bold ("from \u{02}services.test\u{02}"); services are the only peer.
        let linked = "Received end of netburst from"
        while !LogFile.contents(of: self.logFile, from: logOffset).contains(linked) {
            if let termination = services.termination {
                throw InspIRCdServerError(
                    code: .serverExited,
                    message: "atheme-services exited while linking (\(termination))",
                    logFile: services.logFile,
                    logTail: LogFile.tail(of: services.logFile, lines: 40)
                )
            }
            guard ContinuousClock.now < deadline else {
                throw InspIRCdServerError(
                    code: .servicesUnavailable,
                    message: "atheme-services did not link to inspircd in time (inspircd's log: \(self.logFile))",
                    logFile: services.logFile,
                    logTail: LogFile.tail(of: services.logFile, lines: 40)
                )
            }
            try await Task.sleep(for: .milliseconds(20))
        }
    }

    /// Registers a NickServ account `name` with `password` (and adds client certificate fingerprints to it,
    /// for SASL EXTERNAL), the way a user would: a plaintext client takes the nick `name` and sends
    /// `REGISTER`, then `CERT ADD` while still identified.
    ///
    /// - Throws: ``InspIRCdServerError`` `.servicesUnavailable` without services, `.accountRegistrationFailed`
    ///   with NickServ's answer if it refuses; ``TestIRCClientError`` if the nick is taken or a wait times out.
    package func registerAccount(
        name: String,
        password: String,
        certificateFingerprints: [String] = [],
        timeout: Duration = TestIRCClient.defaultTimeout
    ) async throws {
        guard self.hasServices else {
            throw InspIRCdServerError(
                code: .servicesUnavailable,
                message: "registerAccount needs a server started with Options(withServices: true)"
            )
        }
        let client = try await self.connectClient(tls: false)
        defer { client.close() }
        _ = try await client.register(nick: name, timeout: timeout)
        try await Self.askNickServ(
            client,
            "REGISTER \(password) \(name)@example.com",
            expecting: "is now registered",
            timeout: timeout
        )
        for fingerprint in certificateFingerprints {
            try await Self.askNickServ(client, "CERT ADD \(fingerprint)", expecting: "Added", timeout: timeout)
        }
        await client.quit()
    }

    /// Sends a NickServ command and checks that one of NickServ's answers contains `expected`.
    ///
    /// NickServ may also speak unasked (a connection using a registered nick is told to identify), so the
    /// answers are all NickServ NOTICEs up to its reply to a marker `HELP` sent right after the command:
    /// services handle one client's messages in order.
    private static func askNickServ(
        _ client: TestIRCClient,
        _ command: String,
        expecting expected: String,
        timeout: Duration
    ) async throws {
        let verb = command.prefix { $0 != " " }
        let marker = "harness-marker-\(UInt32.random(in: .min ... .max))"
        try await client.send("PRIVMSG NickServ :\(command)")
        try await client.send("PRIVMSG NickServ :HELP \(marker)")
        var answers: [String] = []
        while true {
            let notice = try await client.waitForMessage("NickServ's answer to \(verb)", timeout: timeout) {
                $0.command == "NOTICE" && $0.sourceNick == "NickServ"
            }
            let text = (notice.parameters.last ?? "").replacingOccurrences(of: "\u{02}", with: "")
            if text.contains(marker) {
                break
            }
            answers.append(text)
        }
        guard answers.contains(where: { $0.contains(expected) }) else {
            throw InspIRCdServerError(
                code: .accountRegistrationFailed,
                message: "NickServ answered \(verb) with: \(answers.joined(separator: " / "))"
            )
        }
    }
}
