/// A scrape in the Prometheus text exposition format, as a monitoring system reads it: one sample per line,
/// `name{label="value",…} value`, comments and `# TYPE` lines aside.
struct PrometheusText: Sendable, CustomStringConvertible {
    /// One sample.
    struct Sample: Sendable, Equatable {
        /// The metric name, including a histogram's `_bucket`, `_sum` or `_count`.
        var name: String
        /// The labels.
        var labels: [String: String]
        /// The value.
        var value: Double
    }

    /// A line that is not a sample.
    struct Unreadable: Error, CustomStringConvertible {
        /// The line.
        var line: String

        var description: String { "not a Prometheus sample: \(self.line)" }
    }

    /// Every sample, in order.
    let samples: [Sample]
    /// The text as scraped.
    let text: String

    /// Parses `text`.
    init(parsing text: String) throws {
        self.text = text
        self.samples = try text.split(separator: "\n").filter { !$0.hasPrefix("#") && !$0.isEmpty }.map(Self.sample)
    }

    var description: String { self.text }

    /// The value of the sample `name` whose labels are exactly `labels`, if there is one.
    func value(_ name: String, _ labels: [String: String] = [:]) -> Double? {
        self.samples.first { $0.name == name && $0.labels == labels }?.value
    }

    /// The samples named `name`, whatever their labels.
    func samples(named name: String) -> [Sample] {
        self.samples.filter { $0.name == name }
    }

    private static func sample(_ line: Substring) throws -> Sample {
        var rest = line[...]
        let name = rest.prefix { $0 != "{" && $0 != " " }
        rest = rest.dropFirst(name.count)
        var labels: [String: String] = [:]
        if rest.first == "{" {
            rest = rest.dropFirst()
            while rest.first != "}" {
                let label = rest.prefix { $0 != "=" }
                rest = rest.dropFirst(label.count)
                guard rest.hasPrefix("=\"") else { throw Unreadable(line: String(line)) }
                rest = rest.dropFirst(2)
                var value = ""
                while let character = rest.first, character != "\"" {
                    rest = rest.dropFirst()
                    if character == "\\", let escaped = rest.first {
                        rest = rest.dropFirst()
                        value.append(escaped == "n" ? "\n" : escaped)
                    } else {
                        value.append(character)
                    }
                }
                guard rest.first == "\"" else { throw Unreadable(line: String(line)) }
                rest = rest.dropFirst()
                labels[String(label)] = value
                if rest.first == "," { rest = rest.dropFirst() }
                guard !rest.isEmpty else { throw Unreadable(line: String(line)) }
            }
            rest = rest.dropFirst()
        }
        let fields = rest.split(separator: " ")
        guard !name.isEmpty, let valueText = fields.first, let value = Double(valueText) else {
            throw Unreadable(line: String(line))
        }
        return Sample(name: String(name), labels: labels, value: value)
    }
}
