import BridgeTesting
import Testing

@testable import Webhooks

@Suite struct ReplyPageIDTests {
    @Test func idsAre128BitsOfBase64URL() {
        var random = SeededRandom(seed: 7)
        let id = ReplyPageID.make(using: &random)
        #expect(id.count == 22)
        #expect(ReplyPageID.isWellFormed(id))
        #expect(id.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") })
    }

    @Test func randomIdsDoNotRepeat() {
        let ids = Set((0..<1000).map { _ in ReplyPageID.random() })
        #expect(ids.count == 1000)
        #expect(ids.allSatisfy(ReplyPageID.isWellFormed))
    }

    @Test(arguments: [
        "", "abc", String(repeating: "a", count: 21), String(repeating: "a", count: 23),
        "aaaaaaaaaaaaaaaaaaaaa/", "aaaaaaaaaaaaaaaaaaaaa=", "aaaaaaaaaaaaaaaaaaaaa.", "ááááááááááá",
    ])
    func otherTextIsNotAnId(text: String) {
        #expect(!ReplyPageID.isWellFormed(text))
    }
}
