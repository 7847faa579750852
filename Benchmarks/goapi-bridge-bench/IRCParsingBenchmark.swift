import BridgeTesting
import Foundation
import IRC

/// `IRCMessage(parsing:)` on the lines a busy channel delivers: PRIVMSG with 40–120 characters of text, some of it
/// multibyte, with or without the `time` and `msgid` tags an IRCv3 server adds.
enum IRCParsingBenchmark {
    /// Lines to parse and the messages they must parse into.
    struct Corpus {
        /// The lines, without CR LF.
        var lines: [String]
        /// What each line must parse into.
        var expected: [IRCMessage]
    }

    /// `count` distinct lines from a fixed seed, so every run parses the same text.
    static func corpus(tagged: Bool, count: Int) -> Corpus {
        var random = SeededRandom(seed: tagged ? 1 : 2)
        let nicks = ["alice", "bob", "carol_", "dave|away", "Erin", "frank`", "gr[ace]", "heidi", "ivan-", "judy"]
        let users = ["~alice", "bob", "~c", "sid12345", "uid678901"]
        let hosts = [
            "user/alice", "gateway/web/irccloud.com/x-abcdefghijkl", "2001:db8::1f", "host-203-0-113-7.example.net",
            "libera/staff/bob",
        ]
        let channels = ["#swift", "#libera", "##linux", "#goapi-bridge", "#café"]
        let words = [
            "the", "bridge", "reply", "stream", "café", "naïve", "漢字", "テスト", "🎉", "ok", "does", "anyone", "know",
            "why", "this", "fails", "with", "Swift", "6.3", "?", "gptbot:", "thanks!", "Grüße", "it", "works", "for",
            "me", "https://example.com/issues/42", "(see", "logs)", "a", "I", "think",
        ]
        let msgidAlphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789")
        var corpus = Corpus(lines: [], expected: [])
        for index in 0..<count {
            let length = Int.random(in: 40...120, using: &random)
            var text = ""
            while text.count < length {
                text += (text.isEmpty ? "" : " ") + words.randomElement(using: &random)!
            }
            text = String(text.prefix(length))
            let nick = nicks.randomElement(using: &random)!
            let source = "\(nick)!\(users.randomElement(using: &random)!)@\(hosts.randomElement(using: &random)!)"
            let channel = channels.randomElement(using: &random)!
            var tags: [String: String] = [:]
            var line = ""
            if tagged {
                let time = String(
                    format: "2025-11-27T%02d:%02d:%02d.%03dZ",
                    index / 3600 % 24,
                    index / 60 % 60,
                    index % 60,
                    Int.random(in: 0..<1000, using: &random)
                )
                let msgid = String((0..<22).map { _ in msgidAlphabet.randomElement(using: &random)! })
                tags = ["time": time, "msgid": msgid]
                line = "@time=\(time);msgid=\(msgid) "
            }
            line += ":\(source) PRIVMSG \(channel) :\(text)"
            corpus.lines.append(line)
            corpus.expected.append(
                IRCMessage(tags: tags, source: source, command: "PRIVMSG", parameters: [channel, text])
            )
        }
        return corpus
    }

    /// A cheap fingerprint of a parsed message, summed in the timed loop so the work cannot be skipped and a run
    /// that parses differently from the checked one is caught.
    static func digest(_ message: IRCMessage) -> Int {
        message.tags.count &+ (message.source?.utf8.count ?? 0) &+ message.command.utf8.count
            &+ message.parameters.count &+ (message.parameters.last?.utf8.count ?? 0)
    }

    /// Lines per second parsing `lines` distinct lines `passes` times per timed run.
    ///
    /// With 1,000 lines (about 200 kB) the corpus stays in the core's caches, as a line the framer has just written
    /// does; 10,000 lines (2 MB) spill out of L2 and show what cache misses would cost on top.
    static func throughput(
        tagged: Bool,
        lines: Int,
        passes: Int,
        repetitions: Int,
        target: Figure.Target?
    ) throws -> Figure {
        let corpus = Self.corpus(tagged: tagged, count: lines)
        for (line, expected) in zip(corpus.lines, corpus.expected) {
            let parsed = try IRCMessage(parsing: line)
            guard parsed == expected else {
                throw BenchmarkFailure("IRC line parsed wrongly: \(line.debugDescription) gave \(parsed)")
            }
        }
        let expectedDigest = corpus.expected.reduce(0) { $0 &+ Self.digest($1) } &* passes
        let samples = try Samples(repetitions: repetitions) {
            var digest = 0
            for _ in 0..<passes {
                for line in corpus.lines {
                    digest &+= Self.digest(try IRCMessage(parsing: line))
                }
            }
            return digest
        } verify: { digest in
            guard digest == expectedDigest else {
                throw BenchmarkFailure("IRC parse digest \(digest), expected \(expectedDigest)")
            }
        }
        let bytes = corpus.lines.reduce(0) { $0 + $1.utf8.count }
        return Figure(
            rate: "IRC parse, PRIVMSG \(tagged ? "with time+msgid tags" : "without tags")"
                + (lines > 1_000 ? ", \(lines)-line corpus beyond L2" : ""),
            amount: Double(corpus.lines.count * passes),
            unit: "lines/s",
            samples,
            target: target,
            details:
                "\(corpus.lines.count) distinct lines × \(passes) per run, \(bytes / corpus.lines.count) B per line"
        )
    }
}
