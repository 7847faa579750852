import GoAPI
import NIOCore
import Testing

@Suite struct ServerSentEventDecoderTests {
    @Test(arguments: Chunking.all)
    func lineEndingsAreInterchangeable(chunking: Chunking) throws {
        let lf = "data: one\n\ndata: two\n\n"
        let crlf = "data: one\r\n\r\ndata: two\r\n\r\n"
        let cr = "data: one\r\rdata: two\r\r"
        let mixed = "data: one\r\n\ndata: two\r\r\n"
        for text in [lf, crlf, cr, mixed] {
            #expect(try eventData(text, chunking) == ["one", "two"], "\(text.debugDescription)")
        }
    }

    @Test(arguments: Chunking.all)
    func whitespaceOnlyLinesSeparateEventsAsInGoAPIsDocs(chunking: Chunking) throws {
        let text = "data: {\"a\": 1}\n \ndata: {\"b\": 2}\n\t \ndata: [DONE]\n \n"
        #expect(try eventData(text, chunking) == ["{\"a\": 1}", "{\"b\": 2}", "[DONE]"])
    }

    @Test func multiLineDataIsJoinedWithNewlines() throws {
        #expect(try eventData("data: first\ndata:second\ndata:  third\n\n") == ["first\nsecond\n third"])
    }

    @Test func commentsAndUnknownFieldsAreIgnored() throws {
        let text = ": keep-alive\nretry: 10\nfoo: bar\ndata: x\n\n:\n\n"
        #expect(try eventData(text) == ["x"])
    }

    @Test func eventTypeAndIDAreReported() throws {
        let events = try decodeEvents([ByteBuffer(string: "event: ping\nid: 7\ndata: {}\n\ndata: next\n\n")])
        #expect(events.map(\.type) == ["ping", nil])
        #expect(events.map(\.id) == ["7", "7"], "the last event id persists, as the spec says")
    }

    @Test func blankLinesWithoutDataDispatchNothing() throws {
        #expect(try eventData("\n\n \n\r\n").isEmpty)
        #expect(try eventData("data:\n\n") == [""], "an empty data line is still an event")
    }

    @Test(arguments: Chunking.all)
    func streamEndingWithoutBlankLineStillDeliversItsLastEvent(chunking: Chunking) throws {
        #expect(try eventData("data: a\n\ndata: [DONE]", chunking) == ["a", "[DONE]"])
        #expect(try eventData("data: a\n\ndata: b\n", chunking) == ["a", "b"])
    }

    @Test func doneSentinelIsRecognised() throws {
        let events = try decodeEvents([ByteBuffer(string: "data: [DONE]\n\ndata: [DONE] \n\n")])
        #expect(events.map(\.isDoneSentinel) == [true, false])
    }

    @Test(arguments: Chunking.all)
    func multibyteTextSurvivesAnyCut(chunking: Chunking) throws {
        let text = "data: café ☕ 漢字 🎉\n\n"
        #expect(try eventData(text, chunking) == ["café ☕ 漢字 🎉"])
    }

    @Test(arguments: [Chunking.whole, .byteByByte])
    func oversizedLineIsRejectedBeforeItIsComplete(chunking: Chunking) throws {
        let endless = "data: " + String(repeating: "x", count: 2000)
        #expect(throws: ServerSentEventDecoderError(maximumEventSize: 1000)) {
            try eventData(endless, chunking, maximumEventSize: 1000)
        }
    }

    @Test func oversizedEventMadeOfManyLinesIsRejected() throws {
        let manyLines = String(repeating: "data: 0123456789\n", count: 200) + "\n"
        #expect(throws: ServerSentEventDecoderError.self) {
            try eventData(manyLines, maximumEventSize: 1000)
        }
        #expect(try eventData(manyLines, maximumEventSize: 4000).count == 1)
    }

    @Test func eventsJustUnderTheLimitPass() throws {
        let data = String(repeating: "y", count: 994)
        #expect(try eventData("data: \(data)\n\n", .byteByByte, maximumEventSize: 1000) == [data])
    }
}
