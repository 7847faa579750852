import AsyncHTTPClient

extension HTTPClient.Configuration {
    /// The default configuration without a tracer. Left to itself, AsyncHTTPClient takes the process's global
    /// tracer, a no-op one here (the bridge reports metrics, not traces), and still parses every request's URL
    /// into span attributes for it: on the path of every question, for nothing.
    package static var untraced: HTTPClient.Configuration {
        var configuration = HTTPClient.Configuration()
        configuration.tracing.tracer = nil
        return configuration
    }
}
