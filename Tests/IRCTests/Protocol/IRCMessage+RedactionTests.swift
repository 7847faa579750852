import IRC
import Testing

/// Lines reach logs only through ``IRCMessage/redactedForLog``: no credential the protocol carries may show.
@Suite struct IRCMessageRedactionTests {
    static let cases: [(IRCMessage, String)] = [
        (IRCMessage(command: "PASS", parameters: ["hunter2"]), "PASS <redacted>"),
        (IRCMessage(command: "AUTHENTICATE", parameters: ["Z3B0Ym90AGdwdGJvdABodW50ZXIy"]), "AUTHENTICATE <redacted>"),
        (IRCMessage(command: "AUTHENTICATE", parameters: ["PLAIN"]), "AUTHENTICATE PLAIN"),
        (IRCMessage(command: "AUTHENTICATE", parameters: ["+"]), "AUTHENTICATE +"),
        (IRCMessage(command: "OPER", parameters: ["admin", "hunter2"]), "OPER admin <redacted>"),
        (IRCMessage(command: "JOIN", parameters: ["#secret", "hunter2"]), "JOIN #secret <redacted>"),
        (IRCMessage(command: "JOIN", parameters: ["#a,#b", "hunter2,hunter3"]), "JOIN #a,#b <redacted>"),
        (IRCMessage(command: "JOIN", parameters: ["#open"]), "JOIN #open"),
        (IRCMessage(command: "MODE", parameters: ["#c", "+k", "hunter2"]), "MODE #c +k <redacted>"),
        (IRCMessage(command: "MODE", parameters: ["#c", "+o", "alice"]), "MODE #c +o alice"),
        (
            IRCMessage(command: "WEBIRC", parameters: ["hunter2", "gateway", "host.example", "192.0.2.1"]),
            "WEBIRC <redacted> gateway host.example 192.0.2.1"
        ),
        (
            IRCMessage(command: "PRIVMSG", parameters: ["NickServ", "IDENTIFY gptbot hunter2"]),
            "PRIVMSG NickServ :IDENTIFY <redacted>"
        ),
        (
            IRCMessage(command: "PRIVMSG", parameters: ["nickserv@services.example", "identify hunter2"]),
            "PRIVMSG nickserv@services.example :identify <redacted>"
        ),
        (
            IRCMessage(command: "PRIVMSG", parameters: ["Q@CServe.quakenet.org", "AUTH gptbot hunter2"]),
            "PRIVMSG Q@CServe.quakenet.org :AUTH <redacted>"
        ),
        (IRCMessage(command: "NOTICE", parameters: ["ChanServ", "HELP"]), "NOTICE ChanServ HELP"),
        (IRCMessage(command: "NS", parameters: ["IDENTIFY", "hunter2"]), "NS :IDENTIFY <redacted>"),
        (IRCMessage(command: "NICKSERV", parameters: ["IDENTIFY gptbot hunter2"]), "NICKSERV :IDENTIFY <redacted>"),
        (IRCMessage(command: "IDENTIFY", parameters: ["hunter2"]), "IDENTIFY <redacted>"),
        (
            IRCMessage(command: "PRIVMSG", parameters: ["#chan", "alice: IDENTIFY is a NickServ command"]),
            "PRIVMSG #chan :alice: IDENTIFY is a NickServ command"
        ),
        (IRCMessage(command: "QUIT", parameters: ["bye"]), "QUIT bye"),
        (
            IRCMessage(
                tags: ["msgid": "1"],
                source: "gptbot!bot@host",
                command: "JOIN",
                parameters: ["#k", "hunter2"]
            ),
            "@msgid=1 :gptbot!bot@host JOIN #k <redacted>"
        ),
    ]

    @Test(arguments: Self.cases)
    func credentialsAreReplaced(message: IRCMessage, logged: String) {
        #expect(message.redactedForLog == logged)
        #expect(!message.redactedForLog.contains("hunter"))
    }
}
