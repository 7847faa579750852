import IRC
import InMemoryLogging
import Logging
import Testing

/// What the network service logs about lines it sends never holds a credential.
@Suite struct IRCNetworkServiceSessionTests {
    @Test func aRefusedLineIsLoggedWithoutItsSecrets() {
        var handler = InMemoryLogHandler()
        handler.logLevel = .trace
        let logs = handler
        let network = IRCNetworkService(
            configuration: IRCClientConfiguration(name: "test", host: "irc.example", port: 6697, nick: "gptbot"),
            logger: Logger(label: "test") { _ in logs }
        )
        let unsafe = [
            IRCMessage(command: "PASS", parameters: ["hunter2\r\nQUIT"]),
            IRCMessage(command: "JOIN", parameters: ["#secret", "hunter2\n"]),
            IRCMessage(command: "PRIVMSG", parameters: ["NickServ", "IDENTIFY hunter2\r\n"]),
        ]
        for message in unsafe {
            network.enqueue([message], target: "irc.example", expiresAt: .now + .seconds(60))
        }
        let refusals = logs.entries.filter { $0.message == "refused to send an unsafe line" }
        #expect(refusals.count == 3)
        #expect(refusals.allSatisfy { $0.metadata["error.code"] == "forbiddenCharacter" })
        #expect(refusals.map { $0.metadata["irc.command"] } == ["PASS", "JOIN", "PRIVMSG"])
        for entry in logs.entries {
            let text = "\(entry.message) \(entry.metadata) \(entry.error.map { "\($0)" } ?? "")"
            #expect(!text.contains("hunter2"), "\(text)")
        }
    }
}
