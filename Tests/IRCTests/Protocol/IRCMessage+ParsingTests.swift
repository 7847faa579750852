import BridgeTesting
import IRC
import Testing

@Suite struct IRCMessageParsingTests {
    @Test(arguments: try ParserTestVectors.split())
    func parsesEveryMsgSplitVector(vector: ParserTestVectors.Split) throws {
        let message = try IRCMessage(parsing: vector.input)
        #expect(message.tags == (vector.atoms.tags ?? [:]))
        #expect(message.source == vector.atoms.source)
        #expect(message.command == vector.atoms.verb.uppercased(), "commands are normalised to upper case")
        #expect(message.parameters == (vector.atoms.params ?? []))
    }

    @Test(arguments: [
        ("", IRCParseError.Code.emptyLine),
        ("   ", .emptyLine),
        ("PRIVMSG #a :hi\0there", .forbiddenCharacter),
        ("PRIVMSG #a :hi\r\nQUIT", .forbiddenCharacter),
        ("PRIVMSG #a :hi\n", .forbiddenCharacter),
        ("@a=b;c", .missingCommand),
        ("@a=b ", .missingCommand),
        (":nick!user@host", .missingCommand),
        (":nick!user@host   ", .missingCommand),
        ("@a=b :server", .missingCommand),
        (": PRIVMSG #a :hi", .invalidSource),
        ("PRIV-MSG #a", .invalidCommand),
        ("0001 nick :hello", .invalidCommand),
        ("☃ x", .invalidCommand),
    ])
    func malformedLinesAreErrorsNotCrashes(line: String, code: IRCParseError.Code) {
        #expect {
            try IRCMessage(parsing: line)
        } throws: { error in
            (error as? IRCParseError)?.code == code && (error as? IRCParseError)?.line == line
        }
    }

    @Test func commandsAreUppercasedButNumericsKept() throws {
        #expect(try IRCMessage(parsing: "privmsg #a :x").command == "PRIVMSG")
        #expect(try IRCMessage(parsing: ":irc.example 005 me A B :are supported").command == "005")
    }

    @Test func spaceFollowedByCombiningMarkStillSeparatesParameters() throws {
        let message = try IRCMessage(parsing: "PRIVMSG #a \u{301}b :x")
        #expect(message.parameters == ["#a", "\u{301}b", "x"])
    }

    @Test func tagsWithEmptyKeysAreIgnoredAndDuplicatesTakeTheLastValue() throws {
        let message = try IRCMessage(parsing: "@;=x;a=1;;a=2;+draft/reply=abc PING")
        #expect(message.tags == ["a": "2", "+draft/reply": "abc"])
    }

    @Test func userHostSplitsTheSource() throws {
        let message = try IRCMessage(parsing: ":alice!~a@example.org PRIVMSG #a :hi")
        #expect(message.userHost == IRCUserHost(nick: "alice", user: "~a", host: "example.org"))
        #expect(try IRCMessage(parsing: "PING x").userHost == nil)
    }

    @Test func randomLinesParseOrThrowButNeverCrash() {
        var random = SeededRandom(seed: 99)
        let alphabet = Array("@:; =\\abcPRIVMSG0123#!\té")
        var parsed = 0
        for _ in 0..<5000 {
            let line = String(
                (0..<Int.random(in: 0...40, using: &random)).map { _ in alphabet.randomElement(using: &random)! }
            )
            if let message = try? IRCMessage(parsing: line) {
                parsed += 1
                #expect(!message.command.isEmpty)
            }
        }
        #expect(parsed > 0)
    }
}
