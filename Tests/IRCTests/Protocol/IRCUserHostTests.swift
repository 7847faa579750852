import IRC
import Testing

@Suite struct IRCUserHostTests {
    @Test(arguments: try ParserTestVectors.userHost())
    func splitsEveryUserhostVector(vector: ParserTestVectors.UserHost) {
        let parts = IRCUserHost(parsing: vector.source)
        #expect(parts.nick == (vector.atoms.nick ?? ""))
        #expect(parts.user == vector.atoms.user)
        #expect(parts.host == vector.atoms.host)
    }

    @Test func aServerNameIsANickWithoutUserOrHost() {
        #expect(IRCUserHost(parsing: "irc.example.com") == IRCUserHost(nick: "irc.example.com"))
    }

    @Test func descriptionRebuildsTheSource() {
        #expect(IRCUserHost(parsing: "alice!~a@host").description == "alice!~a@host")
        #expect(IRCUserHost(parsing: "alice@host").description == "alice@host")
        #expect(IRCUserHost(nick: "alice").description == "alice")
    }
}
