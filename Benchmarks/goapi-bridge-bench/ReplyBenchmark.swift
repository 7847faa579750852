import Foundation
import IRC

/// Turning a 1 MiB Markdown reply into IRC lines: ``ReplySplitter/split(_:firstLinePrefix:)`` and
/// ``MarkdownFlattener/flatten(_:)`` timed separately on the same text, each checked against an independent
/// expectation.
enum ReplyBenchmark {
    /// The byte budget of `:gptbot!~gpt@user/gptbot/bot PRIVMSG #chan :` on a 512-byte line.
    static let budget = ReplySplitter.maximumPayloadBytes(
        nick: "gptbot",
        user: "~gpt",
        host: "user/gptbot/bot",
        target: "#chan"
    )
    /// Addresses the asker, as the bridge does.
    static let prefix = "alice: "

    /// Milliseconds per split of the whole reply into lines (none omitted).
    static func split(_ corpus: MarkdownCorpus, repetitions: Int, target: Figure.Target?) throws -> Figure {
        let expected = try Self.referenceSplit(corpus.markdown)
        let splitter = ReplySplitter(maximumPayloadBytes: Self.budget, maximumLines: expected.count + 1)
        let samples = try Samples(repetitions: repetitions) {
            splitter.split(corpus.markdown, firstLinePrefix: Self.prefix)
        } verify: { output in
            guard output.lines == expected, !output.truncated else {
                let wrong = zip(output.lines, expected).first { $0 != $1 }
                throw BenchmarkFailure(
                    "split gave \(output.lines.count) lines, expected \(expected.count); first difference: "
                        + "\(wrong.map { "\($0.0.debugDescription) vs \($0.1.debugDescription)" } ?? "none")"
                )
            }
        }
        return Figure(
            duration: "ReplySplitter.split, 1 MiB Markdown reply",
            samples,
            target: target,
            details: "\(corpus.markdown.utf8.count) B into \(expected.count) lines of ≤ \(Self.budget) B"
        )
    }

    /// Milliseconds per flattening of the whole reply.
    static func flatten(_ corpus: MarkdownCorpus, repetitions: Int, target: Figure.Target?) throws -> Figure {
        let expected = corpus.flattened.joined(separator: "\n")
        let flattener = MarkdownFlattener()
        let samples = try Samples(repetitions: repetitions) {
            flattener.flatten(corpus.markdown)
        } verify: { output in
            guard output == expected else {
                let lines = output.split(separator: "\n", omittingEmptySubsequences: false)
                let wrong = zip(lines, corpus.flattened).first { $0 != $1 }
                throw BenchmarkFailure(
                    "flatten gave \(lines.count) lines, expected \(corpus.flattened.count); first difference: "
                        + "\(wrong.map { "\($0.0.debugDescription) vs \($0.1.debugDescription)" } ?? "none")"
                )
            }
        }
        return Figure(
            duration: "MarkdownFlattener.flatten, same reply",
            samples,
            target: target,
            details: "\(corpus.markdown.utf8.count) B into \(corpus.flattened.count) lines"
        )
    }

    /// Milliseconds per flattening of one 1 MiB line of constructs that never close (`*a [b <c _d ![e [f](`
    /// repeated), which a model can be asked to write. Nothing in it closes, so it must come out as written; a
    /// renderer that searched the rest of the line from every opener took minutes here.
    static func flattenHostileLine(repetitions: Int, target: Figure.Target?) throws -> Figure {
        let unit = "*a [b <c _d ![e [f]( "
        let line = String(repeating: unit, count: (1 << 20) / unit.utf8.count) + "end"
        let flattener = MarkdownFlattener()
        let samples = try Samples(repetitions: repetitions) {
            flattener.flatten(line)
        } verify: { output in
            guard output == line else {
                throw BenchmarkFailure("the hostile line did not come out as written (\(output.utf8.count) B)")
            }
        }
        return Figure(
            duration: "MarkdownFlattener.flatten, 1 MiB line of unclosed constructs",
            samples,
            target: target,
            details: "\(line.utf8.count) B in one line of `\(unit)` repeated, each opener unmatched"
        )
    }

    /// What the splitter must produce for the corpus, worked out the plain way: tabs become four spaces, trailing
    /// spaces and blank lines go, the prefix starts the first line, and a line over the budget is packed greedily
    /// word by word. The corpus never puts leading or double spaces in a line that long, nor a word over the
    /// budget, so greedy packing is exactly the splitter's rule there.
    static func referenceSplit(_ text: String) throws -> [String] {
        var lines: [String] = []
        var isFirst = true
        for raw in text.split(separator: "\n", omittingEmptySubsequences: false) {
            var line = raw.replacingOccurrences(of: "\t", with: "    ")
            while line.hasSuffix(" ") { line.removeLast() }
            guard line.contains(where: { $0 != " " }) else { continue }
            if isFirst {
                line = Self.prefix + line
                isFirst = false
            }
            guard line.utf8.count > Self.budget else {
                lines.append(line)
                continue
            }
            guard !line.hasPrefix(" "), !line.contains("  ") else {
                throw BenchmarkFailure("corpus line unfit for the reference split: \(line.debugDescription)")
            }
            var current = ""
            for word in line.split(separator: " ") {
                guard word.utf8.count <= Self.budget else {
                    throw BenchmarkFailure("corpus word longer than a line: \(word.debugDescription)")
                }
                let candidate = current.isEmpty ? String(word) : current + " " + word
                if candidate.utf8.count <= Self.budget {
                    current = candidate
                } else {
                    lines.append(current)
                    current = String(word)
                }
            }
            lines.append(current)
        }
        return lines
    }
}
