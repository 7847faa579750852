import BridgeTesting
import Testing

/// The ircdocs parser-tests vectors (converted to JSON), decoded once per file for `@Test(arguments:)`.
enum ParserTestVectors {
    /// The parts of a message as the vectors spell them.
    struct Atoms: Decodable, Sendable {
        var tags: [String: String]?
        var source: String?
        var verb: String
        var params: [String]?
    }

    /// A line and the parts it must parse into.
    struct Split: Decodable, Sendable, CustomTestStringConvertible {
        var input: String
        var atoms: Atoms
        var testDescription: String { self.input.debugDescription }
    }

    /// Message parts and every acceptable serialization of them.
    struct Join: Decodable, Sendable, CustomTestStringConvertible {
        var desc: String
        var atoms: Atoms
        var matches: [String]
        var testDescription: String { self.desc }
    }

    /// A source and its nick/user/host parts.
    struct UserHost: Decodable, Sendable, CustomTestStringConvertible {
        struct Parts: Decodable, Sendable {
            var nick: String?
            var user: String?
            var host: String?
        }
        var source: String
        var atoms: Parts
        var testDescription: String { self.source.debugDescription }
    }

    /// One mask with sources it must and must not match.
    struct Mask: Decodable, Sendable {
        var mask: String
        var matches: [String]
        var fails: [String]
    }

    /// One mask/source pair and whether they match, so each shows up as its own test case.
    struct MaskCase: Sendable, CustomTestStringConvertible {
        var mask: String
        var source: String
        var matches: Bool
        var testDescription: String { "\(self.mask) \(self.matches ? "~" : "!~") \(self.source)" }
    }

    /// The file layout: every file holds `{"tests": [...]}`.
    private struct File<Vector: Decodable>: Decodable {
        var tests: [Vector]
    }

    /// The vectors of `irc-parser-tests/<name>.json`.
    private static func load<Vector: Decodable>(_ name: String) throws -> [Vector] {
        try TestData.json(File<Vector>.self, "irc-parser-tests/\(name).json").tests
    }

    /// `msg-split.json`: lines to parse.
    static func split() throws -> [Split] { try load("msg-split") }
    /// `msg-join.json`: messages to serialize.
    static func join() throws -> [Join] { try load("msg-join") }
    /// `userhost-split.json`: sources to split.
    static func userHost() throws -> [UserHost] { try load("userhost-split") }
    /// `mask-match.json`, one case per mask and source.
    static func maskCases() throws -> [MaskCase] {
        let masks: [Mask] = try load("mask-match")
        return masks.flatMap { mask in
            mask.matches.map { MaskCase(mask: mask.mask, source: $0, matches: true) }
                + mask.fails.map { MaskCase(mask: mask.mask, source: $0, matches: false) }
        }
    }
}
