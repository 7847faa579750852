import Foundation
import Logging
import Testing

@testable import goapi_bridge

/// What operators read and log shippers parse: one line per event, with a UTC timestamp to the millisecond.
@Suite struct StructuredLogHandlerTests {
    /// 2026-11-27T18:19:29.174Z.
    static let instant = Date(timeIntervalSince1970: 1_795_803_569.174_9)

    @Test func logfmtLinesCarryTheTimeLevelLabelMessageAndSortedMetadata() {
        let line = StructuredLogHandler.render(
            format: .logfmt,
            timestamp: Self.instant,
            level: .info,
            label: "goapi-bridge",
            message: "answered",
            metadata: ["irc.nick": "alice", "irc.channel": "#lobby", "note": "two words"]
        )
        #expect(
            line
                == #"ts=2026-11-27T18:19:29.174Z level=info label=goapi-bridge msg=answered irc.channel=#lobby "#
                + #"irc.nick=alice note="two words""# + "\n"
        )
    }

    @Test func jsonLinesAreOneObjectEach() throws {
        let line = StructuredLogHandler.render(
            format: .json,
            timestamp: Self.instant,
            level: .warning,
            label: "goapi-bridge",
            message: "said \"no\"",
            metadata: ["error": "line\nbreak"]
        )
        #expect(line.hasSuffix("}\n") && line.filter { $0 == "\n" }.count == 1)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: String])
        #expect(
            object == [
                "ts": "2026-11-27T18:19:29.174Z", "level": "warning", "label": "goapi-bridge",
                "msg": "said \"no\"", "error": "line\nbreak",
            ]
        )
    }

    /// The hand-written timestamp matches Foundation's ISO 8601 format style, which it replaced for speed.
    @Test(arguments: [
        0, 0.000_9, 59.999, 951_782_400.5, 1_704_067_199.999_5, 1_795_803_569.174_9, 4_102_444_800.001, -0.001,
        -86_400.25,
    ])
    func timestampsMatchFoundationsISO8601Format(seconds: Double) {
        let date = Date(timeIntervalSince1970: seconds)
        #expect(
            StructuredLogHandler.timestamp(date)
                == Date.ISO8601FormatStyle(includingFractionalSeconds: true).format(date)
        )
    }

    @Test func randomInstantsMatchFoundationsISO8601Format() {
        let style = Date.ISO8601FormatStyle(includingFractionalSeconds: true)
        let mismatches = (0..<5_000).map { _ in Date(timeIntervalSince1970: .random(in: -1e9...5e9)) }
            .filter { StructuredLogHandler.timestamp($0) != style.format($0) }
        #expect(mismatches.isEmpty, "\(mismatches.prefix(3).map(\.timeIntervalSince1970))")
    }
}
