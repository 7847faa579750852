extension GoAPIClient {
    /// Everything the client needs to reach GoAPI, with limits that keep one bad stream from hurting the rest.
    package struct Configuration: Sendable {
        /// Scheme and host of the API, without a trailing slash, e.g. `https://api.goapi.ai`.
        package var baseURL: String
        /// Further API domains, tried in order when the ones before cannot be reached.
        package var alternateBaseURLs: [String]
        /// How long a move to another domain holds before the preferred one is tried again.
        package var failoverStickiness: Duration
        /// Sent as `X-API-Key`; never logged.
        package var apiKey: String
        /// Model for conversations without a GPT.
        package var model: String
        /// Model sent together with a `gizmo_id` (GoAPI's docs disagree between `gpt-4-gizmo` and `gpt-4o`).
        package var gizmoModel: String
        /// Time allowed to establish a connection.
        package var connectTimeout: Duration
        /// Longest silence tolerated between two received bytes.
        package var idleTimeout: Duration
        /// Bound on one whole question: waiting for a permit, retries, streaming and fetching image links.
        package var replyTimeout: Duration
        /// Requests in flight at once across the process.
        package var maxConcurrentRequests: Int
        /// Retries before the first stream byte.
        package var retry: RetryPolicy
        /// The largest single stream event accepted; a cumulative reply is resent whole in every event.
        package var maximumEventSize: Int

        /// Creates a configuration; the defaults are the documented ones.
        package init(
            baseURL: String = "https://api.goapi.ai",
            alternateBaseURLs: [String] = [],
            failoverStickiness: Duration = .seconds(600),
            apiKey: String,
            model: String = "gpt-4o",
            gizmoModel: String = "gpt-4o",
            connectTimeout: Duration = .seconds(10),
            idleTimeout: Duration = .seconds(60),
            replyTimeout: Duration = .seconds(180),
            maxConcurrentRequests: Int = 4,
            retry: RetryPolicy = RetryPolicy(),
            maximumEventSize: Int = ServerSentEventDecoder.defaultMaximumEventSize
        ) {
            self.baseURL = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
            self.alternateBaseURLs = alternateBaseURLs.map { $0.hasSuffix("/") ? String($0.dropLast()) : $0 }
            self.failoverStickiness = failoverStickiness
            self.apiKey = apiKey
            self.model = model
            self.gizmoModel = gizmoModel
            self.connectTimeout = connectTimeout
            self.idleTimeout = idleTimeout
            self.replyTimeout = replyTimeout
            self.maxConcurrentRequests = maxConcurrentRequests
            self.retry = retry
            self.maximumEventSize = maximumEventSize
        }
    }
}
