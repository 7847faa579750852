import Foundation

extension BridgeConfiguration.GoAPISection {
    /// Where GoAPI is reached unless configured otherwise; also the fallback's default.
    static let defaultBaseURL = URL(string: "https://api.goapi.ai")!

    /// Reads the `goapi` object; `nil` when a required key is unusable (already reported).
    init?(reading object: ConfigObject) {
        let baseURLs = Self.readBaseURLs(object)
        let apiKey = object.requiredSecret("apiKey")
        let model = object.string("model", as: .word, default: "gpt-4o")
        let gizmoId = object.string("gizmoId", as: .gizmoId)
        let gizmoModel = object.string("gizmoModel", as: .word, default: "gpt-4o")
        let replyTimeout = object.seconds("replyTimeoutSeconds", default: 180)
        let connectTimeout = object.seconds("connectTimeoutSeconds", default: 10)
        let idleTimeout = object.seconds("idleTimeoutSeconds", default: 60)
        let maxConcurrentRequests = object.integer("maxConcurrentRequests", default: 4, in: 1...256)
        let retry = Retry(reading: object.objectOrEmpty("retry"))
        let fallback = object.object("fallback").flatMap(Fallback.init(reading:))
        object.finish()
        guard let apiKey else { return nil }
        self.init(
            baseURL: baseURLs.first ?? Self.defaultBaseURL,
            alternateBaseURLs: Array(baseURLs.dropFirst()),
            apiKey: apiKey,
            model: model,
            gizmoId: gizmoId,
            gizmoModel: gizmoModel,
            replyTimeout: replyTimeout,
            connectTimeout: connectTimeout,
            idleTimeout: idleTimeout,
            maxConcurrentRequests: maxConcurrentRequests,
            retry: retry,
            fallback: fallback
        )
    }
}

extension BridgeConfiguration.GoAPISection {
    /// `baseURL` as one URL or a non-empty list of them (GoAPI publishes more than one API domain), preferred
    /// first; duplicates are reported.
    fileprivate static func readBaseURLs(_ object: ConfigObject) -> [URL] {
        guard object.contains("baseURL") else { return [Self.defaultBaseURL] }
        if let single = object.read(
            "baseURL",
            { (value) throws(ConfigViolation) -> URL? in
                guard case .string(let text) = value else { return nil }
                return try StringFormat.httpBaseURL.parse(text)
            }
        ) {
            return single.map { [$0] } ?? Self.readBaseURLList(object)
        }
        return []
    }

    private static func readBaseURLList(_ object: ConfigObject) -> [URL] {
        guard let elements = object.array("baseURL") else { return [] }
        if elements.isEmpty {
            object.report("baseURL", ConfigViolation("must name at least one URL"))
            return []
        }
        var urls: [URL] = []
        for element in elements {
            do throws(ConfigViolation) {
                let url = try StringFormat.httpBaseURL.parse(element.value.expectString())
                guard !urls.contains(url) else { throw ConfigViolation("\(url.absoluteString.quoted) is listed twice") }
                urls.append(url)
            } catch {
                object.reader.report(error, at: element.path)
            }
        }
        return urls
    }
}

extension BridgeConfiguration.GoAPISection.Retry {
    /// Reads `goapi.retry`; every key has a default.
    init(reading object: ConfigObject) {
        let maxAttempts = object.integer("maxAttempts", default: 3, in: 1...10)
        let initialBackoff = object.seconds("initialBackoffSeconds", default: 0.5, allowZero: true)
        let maxBackoff = object.seconds("maxBackoffSeconds", default: 8)
        object.requireOrdered("initialBackoffSeconds", initialBackoff, "maxBackoffSeconds", maxBackoff)
        object.finish()
        self.init(maxAttempts: maxAttempts, initialBackoff: initialBackoff, maxBackoff: maxBackoff)
    }
}

extension BridgeConfiguration.GoAPISection.Fallback {
    /// Reads `goapi.fallback`; `nil` when `enabled` is false or the API key is unusable.
    ///
    /// A disabled fallback's key is not resolved, so its environment variable may be unset.
    init?(reading object: ConfigObject) {
        let enabled = object.bool("enabled", default: true)
        let baseURL = object.string(
            "baseURL",
            as: .httpBaseURL,
            default: BridgeConfiguration.GoAPISection.defaultBaseURL
        )
        let model = object.string("model", as: .word, default: "gpt-4o-mini")
        let notice = object.string("notice", as: .optionalLine, default: "(answered by the backup model)")
        let failureThreshold = object.integer("failureThreshold", default: 3, in: 1...100)
        let probeAfter = object.seconds("probeAfterSeconds", default: 60)
        let contextTurns = object.integer("contextTurns", default: 20, in: 0...500)
        let contextCharacters = object.integer("contextCharacters", default: 12_000, in: 0...1_000_000)
        let contextRetention = object.seconds("contextRetentionSeconds", default: 7 * 86_400)
        guard enabled else {
            object.accept("apiKey")
            object.finish()
            return nil
        }
        let apiKey = object.requiredSecret("apiKey")
        object.finish()
        guard let apiKey else { return nil }
        self.init(
            baseURL: baseURL,
            apiKey: apiKey,
            model: model,
            notice: notice,
            failureThreshold: failureThreshold,
            probeAfter: probeAfter,
            contextTurns: contextTurns,
            contextCharacters: contextCharacters,
            contextRetention: contextRetention
        )
    }
}
