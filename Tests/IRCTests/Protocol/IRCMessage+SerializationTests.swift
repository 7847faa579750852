import BridgeTesting
import IRC
import Testing

@Suite struct IRCMessageSerializationTests {
    @Test(arguments: try ParserTestVectors.join())
    func producesAMatchOfEveryMsgJoinVector(vector: ParserTestVectors.Join) {
        let message = IRCMessage(
            tags: vector.atoms.tags ?? [:],
            source: vector.atoms.source,
            command: vector.atoms.verb,
            parameters: vector.atoms.params ?? []
        )
        let accepted = vector.matches.map { Self.uppercasingVerb($0, verb: vector.atoms.verb) }
        #expect(accepted.contains(message.serialized), "got \(message.serialized.debugDescription)")
    }

    @Test func serializesTheConvenienceMessage() {
        #expect(IRCMessage(command: "PRIVMSG", parameters: ["#chan", "hi"]).serialized == "PRIVMSG #chan hi")
        #expect(
            IRCMessage(command: "privmsg", parameters: ["#chan", "hi there"]).serialized == "PRIVMSG #chan :hi there"
        )
        #expect(IRCMessage(command: "QUIT", parameters: [":-)"]).serialized == "QUIT ::-)")
        #expect(IRCMessage(command: "AWAY", parameters: [""]).serialized == "AWAY :")
    }

    @Test func tagsAreSortedSoOutputIsDeterministic() {
        let message = IRCMessage(tags: ["b": "2", "a": "x y;z", "+c": ""], command: "TAGMSG", parameters: ["#a"])
        #expect(message.serialized == #"@+c;a=x\sy\:z;b=2 TAGMSG #a"#)
    }

    @Test func roundTripsGeneratedMessages() throws {
        var random = SeededRandom(seed: 0x1BC0_FFEE)
        for _ in 0..<2000 {
            let message = MessageGenerator.message(using: &random)
            let line = try message.checkedSerialization()
            #expect(try IRCMessage(parsing: line) == message, "\(line.debugDescription)")
        }
    }

    @Test(arguments: [
        (
            IRCMessage(command: "PRIVMSG", parameters: ["#a", "hi\r\nQUIT :pwned"]),
            IRCParseError.Code.forbiddenCharacter
        ),
        (IRCMessage(command: "PRIVMSG", parameters: ["#a", "nul\0"]), .forbiddenCharacter),
        (IRCMessage(command: "PRIVMSG", parameters: ["#a b", "hi"]), .invalidParameter),
        (IRCMessage(command: "PRIVMSG", parameters: ["", "hi"]), .invalidParameter),
        (IRCMessage(command: "PRIVMSG", parameters: [":a", "hi"]), .invalidParameter),
        (IRCMessage(command: "PRIV MSG", parameters: []), .invalidCommand),
        (IRCMessage(command: "", parameters: []), .invalidCommand),
        (IRCMessage(source: "a b", command: "PING", parameters: []), .invalidSource),
        (IRCMessage(tags: ["a=b": "c"], command: "PING", parameters: []), .invalidTag),
    ])
    func checkedSerializationRefusesMessagesThatWouldChangeMeaning(message: IRCMessage, code: IRCParseError.Code) {
        #expect {
            try message.checkedSerialization()
        } throws: { error in
            (error as? IRCParseError)?.code == code
        }
    }

    @Test func checkedSerializationAllowsNewlinesInTagValuesBecauseTheyAreEscaped() throws {
        let message = IRCMessage(tags: ["k": "a\r\nb"], command: "TAGMSG", parameters: ["#a"])
        #expect(try message.checkedSerialization() == #"@k=a\r\nb TAGMSG #a"#)
    }

    /// `line` with its verb uppercased, since this parser normalises commands and the vectors use `foo`.
    private static func uppercasingVerb(_ line: String, verb: String) -> String {
        var words = line.split(separator: " ", omittingEmptySubsequences: false).map(String.init)
        let verbIndex = words.firstIndex { $0 == verb }
        if let verbIndex {
            words[verbIndex] = verb.uppercased()
        }
        return words.joined(separator: " ")
    }
}

/// Random well-formed messages: every part drawn from alphabets that include the characters escaping and the
/// trailing-parameter rule exist for.
private enum MessageGenerator {
    static func message(using random: inout SeededRandom) -> IRCMessage {
        var tags: [String: String] = [:]
        for _ in 0..<Int.random(in: 0...3, using: &random) {
            let key = word(from: "abcz09/-+.", length: 1...8, using: &random)
            tags[key] = text(length: 0...12, lineBreaks: true, using: &random)
        }
        let source = Bool.random(using: &random) ? word(from: "abc!~@.:-[]", length: 1...20, using: &random) : nil
        let command =
            Bool.random(using: &random)
            ? String(format3: Int.random(in: 0...999, using: &random))
            : word(from: "privmsgNOTICEjoin", length: 1...8, using: &random)
        var parameters: [String] = []
        for _ in 0..<Int.random(in: 0...4, using: &random) {
            let middle = word(from: "#&abc:\t!é漢", length: 1...8, using: &random)
            parameters.append(middle.first == ":" ? "x" + middle : middle)
        }
        if Bool.random(using: &random) {
            parameters.append(text(length: 0...20, lineBreaks: false, using: &random))
        }
        return IRCMessage(tags: tags, source: source, command: command, parameters: parameters)
    }

    private static func word(
        from alphabet: String,
        length: ClosedRange<Int>,
        using random: inout SeededRandom
    ) -> String {
        let characters = Array(alphabet)
        return String(
            (0..<Int.random(in: length, using: &random)).map { _ in characters.randomElement(using: &random)! }
        )
    }

    private static func text(length: ClosedRange<Int>, lineBreaks: Bool, using random: inout SeededRandom) -> String {
        word(from: "ab ;:\\=@\u{1}\u{3}é🎉\t" + (lineBreaks ? "\r\n" : ""), length: length, using: &random)
    }
}

extension String {
    fileprivate init(format3 value: Int) {
        let digits = String(value)
        self = String(repeating: "0", count: 3 - digits.count) + digits
    }
}
