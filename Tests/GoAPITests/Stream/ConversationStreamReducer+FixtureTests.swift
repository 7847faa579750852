import BridgeTesting
import Foundation
import GoAPI
import Testing

/// Every stream in `../shared/testdata/goapi/` must reduce to its `expected.json` entry however it is chunked.
@Suite struct ConversationStreamReducerFixtureTests {
    struct Expectation: Decodable {
        var conversation_id: String
        var complete: Bool
        var reply: String?
        var partial: String?
        var image_file_ids: [String]
    }

    static let expectations: [String: Expectation] =
        (try? TestData.json([String: Expectation].self, "goapi/expected.json")) ?? [:]

    static let cases: [(String, Chunking)] = expectations.keys.sorted().flatMap { name in
        Chunking.all.map { (name, $0) }
    }

    @Test func everyFixtureHasAnExpectation() throws {
        let files = try FileManager.default.contentsOfDirectory(
            atPath: TestData.directory.appendingPathComponent("goapi").path
        )
        #expect(Set(files.filter { $0.hasSuffix(".sse") }) == Set(Self.expectations.keys))
        #expect(Self.expectations.count >= 5)
    }

    @Test(arguments: cases)
    func fixtureReducesToExpectedReply(name: String, chunking: Chunking) throws {
        let expected = try #require(Self.expectations[name])
        let bytes = try [UInt8](TestData.contents("goapi/\(name)"))
        var reducer = ConversationStreamReducer()
        var revealed: [String] = []
        for event in try decodeEvents(chunking.split(bytes)) {
            let step = reducer.receive(event)
            if let id = step.revealedConversationID { revealed.append(id) }
            if step.isFinal { break }
        }
        #expect(revealed == [expected.conversation_id])
        #expect(reducer.malformedEventCount == 0)
        switch reducer.outcome() {
        case .success(let turn):
            #expect(turn.isComplete == expected.complete)
            #expect(turn.conversationID == expected.conversation_id)
            #expect(turn.imageFileIDs == expected.image_file_ids)
            if expected.complete {
                #expect(turn.text == expected.reply)
            } else {
                #expect(expected.reply == nil)
                #expect(turn.text == expected.partial)
            }
        case .failure(let error):
            #expect(!expected.complete, "a complete fixture must not fail: \(error)")
            #expect(expected.partial == nil, "a stream with partial text is an incomplete reply, not an error")
            #expect(error.kind == .endedWithoutReply)
            #expect(error.partial.conversationID == expected.conversation_id)
        }
    }
}
