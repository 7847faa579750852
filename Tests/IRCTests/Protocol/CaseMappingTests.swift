import IRC
import Testing

@Suite struct CaseMappingTests {
    @Test(arguments: [
        (CaseMapping.ascii, "ABC[]\\~^XYZ", "abc[]\\~^xyz"),
        (.rfc1459, "ABC[]\\^XYZ", "abc{}|~xyz"),
        (.rfc1459, "{}|~", "{}|~"),
        (.rfc1459Strict, "ABC[]\\^XYZ", "abc{}|^xyz"),
        (.rfc1459Strict, "~", "~"),
        (.rfc7613, "ÉLODIE[X]", "élodie[x]"),
        (.ascii, "ÉLODIE", "Élodie"),
    ])
    func foldsPerTheTable(mapping: CaseMapping, name: String, folded: String) {
        #expect(mapping.fold(name) == folded)
    }

    @Test func rfc1459TreatsBracketsAndTildeAsCaseVariants() {
        #expect(CaseMapping.rfc1459.equal("GPTBot[1]", "gptbot{1}"))
        #expect(CaseMapping.rfc1459.equal("a\\b^", "A|B~"))
        #expect(!CaseMapping.rfc1459Strict.equal("bot^", "bot~"))
        #expect(CaseMapping.rfc1459Strict.equal("bot[\\]", "BOT{|}"))
        #expect(!CaseMapping.ascii.equal("bot[1]", "bot{1}"))
        #expect(CaseMapping.ascii.equal("GPTBot", "gptbot"))
    }

    @Test func isupportNamesMapToCases() {
        #expect(CaseMapping(isupportValue: "ascii") == .ascii)
        #expect(CaseMapping(isupportValue: "rfc1459") == .rfc1459)
        #expect(CaseMapping(isupportValue: "strict-rfc1459") == .rfc1459Strict)
        #expect(CaseMapping(isupportValue: "RFC7613") == .rfc7613)
        #expect(CaseMapping(isupportValue: "rfc3454") == nil)
    }
}
