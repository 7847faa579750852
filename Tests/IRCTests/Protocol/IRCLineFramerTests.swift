import IRC
import NIOCore
import Testing

@Suite struct IRCLineFramerTests {
    /// Chunk sizes from drip-fed to all at once, so every boundary position is exercised.
    static let chunkSizes = [1, 2, 7, 100, 512, 4096, Int.max]

    @Test(arguments: chunkSizes)
    func splitsOnLFWithOptionalCR(chunkSize: Int) throws {
        let frames = try Self.frames(Array("PING :a\r\nPING :b\nPING :c\r\n".utf8), chunkSize: chunkSize)
        #expect(frames == [.line("PING :a"), .line("PING :b"), .line("PING :c")])
    }

    @Test(arguments: chunkSizes)
    func skipsEmptyLines(chunkSize: Int) throws {
        let frames = try Self.frames(Array("\r\n\n\r\nPING :a\r\n\r\n".utf8), chunkSize: chunkSize)
        #expect(frames == [.line("PING :a")])
    }

    @Test(arguments: chunkSizes)
    func plainLinesAreLimitedTo512BytesIncludingCRLF(chunkSize: Int) throws {
        let fits = "PRIVMSG #a :" + String(repeating: "x", count: 510 - 12)
        let tooLong = fits + "y"
        let input = Array((fits + "\r\n" + tooLong + "\r\n" + "PING :after\r\n").utf8)
        let frames = try Self.frames(input, chunkSize: chunkSize)
        #expect(frames == [.line(fits), .oversized(byteCount: 513), .line("PING :after")])
    }

    @Test(arguments: chunkSizes)
    func taggedLinesGetTheTagAllowanceOnTop(chunkSize: Int) throws {
        let tags = "@" + (0..<800).map { "k\($0 % 10)=" + String(repeating: "v", count: 6) }.joined(separator: ";")
        let message = "PRIVMSG #a :" + String(repeating: "m", count: 388)
        let line = tags + " " + message
        #expect(tags.utf8.count >= 7990 && message.utf8.count == 400)
        let frames = try Self.frames(Array((line + "\r\n").utf8), chunkSize: chunkSize)
        #expect(frames == [.line(line)])
    }

    @Test(arguments: chunkSizes)
    func tagsOverTheirLimitAreRejectedEvenWithAShortMessage(chunkSize: Int) throws {
        let tags = "@k=" + String(repeating: "v", count: 8190)
        let input = Array((tags + " PING\r\nPING :next\r\n").utf8)
        let frames = try Self.frames(input, chunkSize: chunkSize)
        #expect(frames == [.oversized(byteCount: tags.utf8.count + 7), .line("PING :next")])
    }

    @Test(arguments: [1, 100, 1000, Int.max])
    func aHugeLineWithoutLFNeverGrowsTheBufferAndTheNextLineStillArrives(chunkSize: Int) throws {
        let junk = [UInt8](repeating: UInt8(ascii: "z"), count: 20_000)
        var frames: [IRCLineFramer.Frame] = []
        let framer = IRCLineFramer()
        let processor = NIOSingleStepByteToMessageProcessor(framer, maximumBufferSize: framer.maximumBufferedBytes)
        for chunk in Self.chunks(junk, size: chunkSize) {
            try processor.process(buffer: ByteBuffer(bytes: chunk)) { frames.append($0) }
            #expect(processor.unprocessedBytes <= 512)
        }
        #expect(frames.isEmpty)
        try processor.process(buffer: ByteBuffer(string: "zz\r\nPING :ok\r\n")) { frames.append($0) }
        #expect(frames == [.oversized(byteCount: 20_004), .line("PING :ok")])
    }

    @Test func aTaggedLineWithoutSpaceOrLFIsCutOffAtTheTagLimit() throws {
        let framer = IRCLineFramer()
        let processor = NIOSingleStepByteToMessageProcessor(framer, maximumBufferSize: framer.maximumBufferedBytes)
        var frames: [IRCLineFramer.Frame] = []
        let junk = "@" + String(repeating: "t", count: 30_000)
        for chunk in Self.chunks(Array(junk.utf8), size: 333) {
            try processor.process(buffer: ByteBuffer(bytes: chunk)) { frames.append($0) }
            #expect(processor.unprocessedBytes <= 8191 + 2)
        }
        try processor.process(buffer: ByteBuffer(string: "\nPING :ok\n")) { frames.append($0) }
        #expect(frames == [.oversized(byteCount: 30_002), .line("PING :ok")])
    }

    @Test(arguments: [1, Int.max])
    func invalidUTF8IsReadAsLatin1(chunkSize: Int) throws {
        let input: [UInt8] =
            Array("PRIVMSG #a :caf".utf8) + [0xE9, 0x20, 0xFF] + Array("\r\nPRIVMSG #a :caf".utf8)
            + [0xC3, 0xA9] + Array("\r\n".utf8)
        let frames = try Self.frames(input, chunkSize: chunkSize)
        #expect(frames == [.line("PRIVMSG #a :café ÿ"), .line("PRIVMSG #a :café")])
    }

    /// A UTF-8 channel name keeps its bytes when only the text comes from a Latin-1 client: read as Latin-1 whole,
    /// `#café` became `#cafÃ©`, and the reply went to a channel that does not exist.
    @Test func aUTF8ChannelNameSurvivesLatin1Text() throws {
        let input: [UInt8] =
            Array(":alice!a@h PRIVMSG #café :gptbot: caf".utf8) + [0xE9, 0x3F] + Array("\r\n".utf8)
        let frames = try Self.frames(input, chunkSize: Int.max)
        #expect(frames == [.line(":alice!a@h PRIVMSG #café :gptbot: café?")])
    }

    @Test func aFinalLineWithoutLFIsDeliveredAtEOF() throws {
        let frames = try Self.frames(Array("PING :a\r\nERROR :Closing link\r".utf8), chunkSize: Int.max)
        #expect(frames == [.line("PING :a"), .line("ERROR :Closing link")])
    }

    @Test func anOversizedLineCutOffByEOFIsReported() throws {
        let frames = try Self.frames([UInt8](repeating: UInt8(ascii: "x"), count: 1000), chunkSize: 10)
        #expect(frames == [.oversized(byteCount: 1000)])
    }

    @Test func aLargerLimitFromLINELENIsHonoured() throws {
        let line = "PRIVMSG #a :" + String(repeating: "x", count: 1000)
        let small = try Self.frames(Array((line + "\r\n").utf8), chunkSize: 64)
        let large = try Self.frames(
            Array((line + "\r\n").utf8),
            chunkSize: 64,
            framer: IRCLineFramer(maximumMessageBytes: 2048)
        )
        #expect(small == [.oversized(byteCount: 1014)])
        #expect(large == [.line(line)])
    }

    /// Runs `input` through a processor in chunks of `chunkSize`, then signals EOF.
    static func frames(
        _ input: [UInt8],
        chunkSize: Int,
        framer: IRCLineFramer = IRCLineFramer()
    ) throws -> [IRCLineFramer.Frame] {
        let processor = NIOSingleStepByteToMessageProcessor(framer, maximumBufferSize: framer.maximumBufferedBytes)
        var frames: [IRCLineFramer.Frame] = []
        for chunk in Self.chunks(input, size: chunkSize) {
            try processor.process(buffer: ByteBuffer(bytes: chunk)) { frames.append($0) }
        }
        try processor.finishProcessing(seenEOF: true) { frames.append($0) }
        return frames
    }

    static func chunks(_ bytes: [UInt8], size: Int) -> [ArraySlice<UInt8>] {
        stride(from: 0, to: bytes.count, by: size).map { bytes[$0..<min($0 + size, bytes.count)] }
    }
}
