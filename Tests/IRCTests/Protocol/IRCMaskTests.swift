import IRC
import Testing

@Suite struct IRCMaskTests {
    @Test(arguments: try ParserTestVectors.maskCases())
    func matchesEveryMaskVector(vector: ParserTestVectors.MaskCase) {
        #expect(IRCMask(vector.mask).matches(vector.source) == vector.matches)
    }

    @Test func matchingFoldsCaseWithTheServersMapping() {
        let mask = IRCMask("Alice[m]!*@*.Example.ORG")
        #expect(mask.matches("alice{m}!~a@irc.example.org", caseMapping: .rfc1459))
        #expect(!mask.matches("alice{m}!~a@irc.example.org", caseMapping: .ascii))
        #expect(mask.matches("ALICE[M]!~a@irc.example.org", caseMapping: .ascii))
    }

    @Test func matchesParsedSources() {
        #expect(IRCMask("*!*@staff.example.org").matches(IRCUserHost(parsing: "bob!b@staff.example.org")))
        #expect(!IRCMask("*!*@staff.example.org").matches(IRCUserHost(parsing: "bob!b@guest.example.org")))
    }

    @Test func pathologicalPatternsFinish() {
        let mask = IRCMask(String(repeating: "*a", count: 40) + "b")
        #expect(!mask.matches(String(repeating: "a", count: 400)))
    }

    @Test func edgeCases() {
        #expect(IRCMask("*").matches(""))
        #expect(IRCMask("").matches(""))
        #expect(!IRCMask("?").matches(""))
        #expect(IRCMask("a**b").matches("ab"))
        #expect(!IRCMask("a").matches("ab"))
    }
}
