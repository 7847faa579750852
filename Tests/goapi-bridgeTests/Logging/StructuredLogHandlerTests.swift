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

    /// Milliseconds are cut off, not rounded: a line never claims a later millisecond than it was written in. Leap
    /// days and instants before 1970 included.
    @Test(arguments: [
        (0, "1970-01-01T00:00:00.000Z"), (0.000_9, "1970-01-01T00:00:00.000Z"),
        (59.999, "1970-01-01T00:00:59.999Z"), (951_782_400.5, "2000-02-29T00:00:00.500Z"),
        (1_704_067_199.999_5, "2023-12-31T23:59:59.999Z"), (1_795_803_569.174_9, "2026-11-27T18:19:29.174Z"),
        (4_102_444_800.001, "2100-01-01T00:00:00.001Z"), (-0.001, "1969-12-31T23:59:59.999Z"),
        (-86_400.25, "1969-12-30T23:59:59.750Z"),
    ])
    func timestampsAreUTCToTheMillisecond(seconds: Double, expected: String) {
        #expect(StructuredLogHandler.timestamp(Date(timeIntervalSince1970: seconds)) == expected)
    }

    /// The date and time agree with Foundation's Gregorian calendar in UTC for instants across two centuries.
    @Test func randomInstantsAgreeWithTheGregorianCalendar() {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        // A `Date` this far from 1970 holds an instant to about a microsecond, so an instant within a microsecond of
        // a millisecond's edge may land on either side of it: the fixed instants above check the edges, and these
        // stay at least a microsecond inside their millisecond.
        let mismatches = (0..<5_000).map { _ in
            Int.random(in: -1_000_000_000_000...5_000_000_000_000) * 1_000 + Int.random(in: 1...998)
        }
        .filter { microseconds in
            let (seconds, fraction) = microseconds.quotientAndRemainder(dividingBy: 1_000_000)
            let second = fraction < 0 ? seconds - 1 : seconds
            let millisecond = (fraction < 0 ? fraction + 1_000_000 : fraction) / 1_000
            let parts = calendar.dateComponents(
                [.year, .month, .day, .hour, .minute, .second],
                from: Date(timeIntervalSince1970: Double(second))
            )
            let expected = String(
                format: "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ",
                parts.year!,
                parts.month!,
                parts.day!,
                parts.hour!,
                parts.minute!,
                parts.second!,
                millisecond
            )
            let date = Date(timeIntervalSince1970: Double(microseconds) / 1_000_000)
            return StructuredLogHandler.timestamp(date) != expected
        }
        #expect(mismatches.isEmpty, "microseconds since 1970: \(mismatches.prefix(3))")
    }
}
