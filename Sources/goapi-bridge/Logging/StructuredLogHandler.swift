import Common
import Foundation
import Logging
import Webhooks

/// Writes one line per log event to stderr, as logfmt (the default, easy to read and to grep) or as JSON lines
/// (for log shippers). Each line is built whole on the logging thread and handed to a ``LogWriter``, which writes it
/// from a queue of its own, so concurrent events never interleave inside a line and no caller waits on stderr.
struct StructuredLogHandler: LogHandler {
    typealias Format = BridgeConfiguration.LoggingSection.Format

    let label: String
    let format: Format
    let writer: LogWriter
    var logLevel: Logger.Level
    var metadata: Logger.Metadata = [:]
    var metadataProvider: Logger.MetadataProvider?

    init(
        label: String,
        format: Format,
        level: Logger.Level,
        writer: LogWriter,
        metadataProvider: Logger.MetadataProvider? = nil
    ) {
        self.label = label
        self.format = format
        self.logLevel = level
        self.writer = writer
        self.metadataProvider = metadataProvider
    }

    /// The writer for stderr, whose notice of dropped lines is a log line in `format`.
    static func standardErrorWriter(format: Format) -> LogWriter {
        LogWriter(fileDescriptor: 2) { dropped in
            Self.render(
                format: format,
                timestamp: Date(),
                level: .warning,
                label: "goapi-bridge",
                message: "Log lines dropped: stderr did not keep up",
                metadata: ["log.dropped_lines": "\(dropped)"]
            )
        }
    }

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { self.metadata[key] }
        set { self.metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        var merged = self.metadata
        if let provided = self.metadataProvider?.get() { merged.merge(provided) { _, new in new } }
        if let extra = event.metadata { merged.merge(extra) { _, new in new } }
        let line = Self.render(
            format: self.format,
            timestamp: Date(),
            level: event.level,
            label: self.label,
            message: "\(event.message)",
            metadata: merged
        )
        self.writer.write(line)
    }

    /// One rendered line, newline included; separate from `log` so tests can check the format.
    static func render(
        format: Format,
        timestamp: Date,
        level: Logger.Level,
        label: String,
        message: String,
        metadata: Logger.Metadata
    ) -> String {
        let time = Self.timestamp(timestamp)
        let fields: [(String, String)] =
            [("ts", time), ("level", level.rawValue), ("label", label), ("msg", message)]
            + metadata.sorted { $0.key < $1.key }.map { ($0.key, "\($0.value)") }
        switch format {
        case .logfmt:
            return fields.map { "\($0.0)=\(Self.logfmtValue($0.1))" }.joined(separator: " ") + "\n"
        case .json:
            return "{"
                + fields.map { "\(JSONObjectWriter.quoted($0.0)):\(JSONObjectWriter.quoted($0.1))" }.joined(
                    separator: ","
                )
                + "}\n"
        }
    }

    /// `2026-11-27T18:19:29.174Z`: the instant in UTC to the millisecond, cut off rather than rounded so a line
    /// never claims a later millisecond than it was written in; proleptic Gregorian, for years 0 to 9999. Written
    /// by hand because `Date.ISO8601FormatStyle` copies a calendar for every line it formats, which made the
    /// timestamp the dearest part of a log line.
    static func timestamp(_ date: Date) -> String {
        // Whole microseconds first, so a binary fraction just under a millisecond (59.999 is stored as 59.99899…)
        // is not cut to the millisecond before; then floor divisions, so instants before 1970 count forward.
        let microseconds = Int((date.timeIntervalSince1970 * 1_000_000).rounded())
        let (seconds, millisecond) = Self.floorDivision(Self.floorDivision(microseconds, 1_000).quotient, 1_000)
        let (day, time) = Self.floorDivision(seconds, 86_400)
        let (year, month, dayOfMonth) = Self.civilDate(daysSince1970: day)
        var text = ""
        text.reserveCapacity(24)
        Self.append(year, width: 4, to: &text)
        text += "-"
        Self.append(month, width: 2, to: &text)
        text += "-"
        Self.append(dayOfMonth, width: 2, to: &text)
        text += "T"
        Self.append(time / 3_600, width: 2, to: &text)
        text += ":"
        Self.append(time / 60 % 60, width: 2, to: &text)
        text += ":"
        Self.append(time % 60, width: 2, to: &text)
        text += "."
        Self.append(millisecond, width: 3, to: &text)
        text += "Z"
        return text
    }

    /// The proleptic Gregorian date `days` after 1970-01-01 (Howard Hinnant's `civil_from_days`): counted in
    /// 400-year eras from 0000-03-01, so leap days fall at the end of each year of the count.
    private static func civilDate(daysSince1970 days: Int) -> (year: Int, month: Int, day: Int) {
        let (era, dayOfEra) = Self.floorDivision(days + 719_468, 146_097)
        let yearOfEra = (dayOfEra - dayOfEra / 1_460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthFromMarch = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * monthFromMarch + 2) / 5 + 1
        let month = monthFromMarch < 10 ? monthFromMarch + 3 : monthFromMarch - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    /// `value / divisor` rounded down, and the remainder that goes with it (never negative).
    private static func floorDivision(_ value: Int, _ divisor: Int) -> (quotient: Int, remainder: Int) {
        let (quotient, remainder) = value.quotientAndRemainder(dividingBy: divisor)
        return remainder < 0 ? (quotient - 1, remainder + divisor) : (quotient, remainder)
    }

    /// Appends `value` in decimal, zero-padded to `width` digits.
    private static func append(_ value: Int, width: Int, to text: inout String) {
        let digits = String(value)
        if digits.count < width { text += String(repeating: "0", count: width - digits.count) }
        text += digits
    }

    private static func logfmtValue(_ value: String) -> String {
        let needsQuotes = value.isEmpty || value.contains { $0 == " " || $0 == "=" || $0 == "\"" || $0.isNewline }
        return needsQuotes ? JSONObjectWriter.quoted(value) : value
    }
}
