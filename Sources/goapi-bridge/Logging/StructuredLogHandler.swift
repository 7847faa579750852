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
        let time = Date.ISO8601FormatStyle(includingFractionalSeconds: true).format(timestamp)
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

    private static func logfmtValue(_ value: String) -> String {
        let needsQuotes = value.isEmpty || value.contains { $0 == " " || $0 == "=" || $0 == "\"" || $0.isNewline }
        return needsQuotes ? JSONObjectWriter.quoted(value) : value
    }
}
