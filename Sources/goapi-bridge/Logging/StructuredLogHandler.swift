import Foundation
import Logging
import Webhooks

/// Writes one line per log event to stderr, as logfmt (the default, easy to read and to grep) or as JSON lines
/// (for log shippers). Each line is built whole and written with a single call, so concurrent events never
/// interleave inside a line.
struct StructuredLogHandler: LogHandler {
    typealias Format = BridgeConfiguration.LoggingSection.Format

    let label: String
    let format: Format
    var logLevel: Logger.Level
    var metadata: Logger.Metadata = [:]
    var metadataProvider: Logger.MetadataProvider?

    init(label: String, format: Format, level: Logger.Level, metadataProvider: Logger.MetadataProvider? = nil) {
        self.label = label
        self.format = format
        self.logLevel = level
        self.metadataProvider = metadataProvider
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
        FileHandle.standardError.write(Data(line.utf8))
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

    /// `2026-11-27T18:19:29.174Z`: the instant in UTC to the millisecond (truncated), as
    /// `Date.ISO8601FormatStyle(includingFractionalSeconds: true)` writes it. Written by hand because that format
    /// style copies a calendar for every line it formats, which made the timestamp the dearest part of a log line.
    static func timestamp(_ date: Date) -> String {
        // The whole second, then the fraction's milliseconds cut off as Foundation cuts them (before 1970 too,
        // counting forward from the second before).
        let interval = date.timeIntervalSince1970
        let second = interval.rounded(.down)
        let millisecond = min(999, Int((interval - second) * 1000))
        var time = time_t(second)
        var parts = tm()
        gmtime_r(&time, &parts)
        var text = ""
        text.reserveCapacity(24)
        Self.append(Int(parts.tm_year) + 1900, width: 4, to: &text)
        text += "-"
        Self.append(Int(parts.tm_mon) + 1, width: 2, to: &text)
        text += "-"
        Self.append(Int(parts.tm_mday), width: 2, to: &text)
        text += "T"
        Self.append(Int(parts.tm_hour), width: 2, to: &text)
        text += ":"
        Self.append(Int(parts.tm_min), width: 2, to: &text)
        text += ":"
        Self.append(Int(parts.tm_sec), width: 2, to: &text)
        text += "."
        Self.append(millisecond, width: 3, to: &text)
        text += "Z"
        return text
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
