import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import NIOFoundationCompat
import NIOHTTP1
import NIOPosix
import Timers

/// The backup source: an OpenAI-style `POST {baseURL}/v1/chat/completions` (GoAPI's LLM API), streamed, with the
/// conversation's recent turns as context. Used only when the Conversation API fails; it keeps no state itself.
package final class ChatCompletionsClient: Sendable {
    /// Where and how to ask.
    package struct Configuration: Sendable {
        /// The API root without a trailing slash, e.g. `https://api.goapi.ai`.
        package var baseURL: String
        /// Sent as a bearer token; never logged.
        package var apiKey: String
        /// The model to ask.
        package var model: String
        /// TCP and TLS connect timeout.
        package var connectTimeout: Duration
        /// Longest silence on the stream.
        package var idleTimeout: Duration
        /// Longest time for the whole answer.
        package var replyTimeout: Duration

        /// Creates a configuration.
        package init(
            baseURL: String,
            apiKey: String,
            model: String,
            connectTimeout: Duration = .seconds(10),
            idleTimeout: Duration = .seconds(60),
            replyTimeout: Duration = .seconds(180)
        ) {
            self.baseURL = baseURL
            self.apiKey = apiKey
            self.model = model
            self.connectTimeout = connectTimeout
            self.idleTimeout = idleTimeout
            self.replyTimeout = replyTimeout
        }
    }

    /// One message of the context, `role` being `system`, `user` or `assistant`.
    package struct Message: Sendable, Hashable, Codable {
        /// Who speaks.
        package var role: String
        /// What was said.
        package var content: String

        /// Creates a message.
        package init(role: String, content: String) {
            self.role = role
            self.content = content
        }
    }

    package let configuration: Configuration
    private let httpClient: HTTPClient

    /// Creates a client; call ``shutdown()`` before the process exits.
    package init(
        configuration: Configuration,
        eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton
    ) {
        self.configuration = configuration
        var http = HTTPClient.Configuration.untraced
        http.timeout = .init(
            connect: TimeAmount(configuration.connectTimeout),
            read: TimeAmount(configuration.idleTimeout)
        )
        http.redirectConfiguration = .disallow
        self.httpClient = HTTPClient(eventLoopGroup: eventLoopGroup, configuration: http)
    }

    /// Closes the connection pool.
    package func shutdown() async throws {
        try await self.httpClient.shutdown()
    }

    /// Asks the model to continue `messages` and returns its whole reply, or why there is none (without the API key,
    /// which the server's error text may quote).
    package func complete(_ messages: [Message], logger: Logger) async -> Result<String, GoAPIError> {
        await self.ask(messages, logger: logger).mapError { $0.redacting(self.configuration.apiKey) }
    }

    private func ask(_ messages: [Message], logger: Logger) async -> Result<String, GoAPIError> {
        var request = HTTPClientRequest(url: self.configuration.baseURL + "/v1/chat/completions")
        request.method = .POST
        request.headers.add(name: "Authorization", value: "Bearer \(self.configuration.apiKey)")
        request.headers.add(name: "Content-Type", value: "application/json")
        request.headers.add(name: "Accept", value: "text/event-stream")
        let body = Body(model: self.configuration.model, messages: messages, stream: true)
        request.body = .bytes(ByteBuffer(bytes: (try? JSONEncoder().encode(body)) ?? Data()))
        // The whole answer is bounded here: the HTTP client's deadline covers only the wait for the response head,
        // and a server (or a proxy whose upstream is stuck) sending keep-alive comments more often than the idle
        // timeout would otherwise hold the conversation, and a webhook question slot, for good.
        let deadline = ContinuousClock.now + self.configuration.replyTimeout
        do {
            let outcome = try await withDeadline(deadline) { [request] in
                let response = try await self.httpClient.execute(
                    request,
                    timeout: TimeAmount(self.configuration.replyTimeout),
                    logger: logger.forHTTPClient
                )
                let status = Int(response.status.code)
                guard (200..<300).contains(status), response.isEventStream else {
                    return Result<String, GoAPIError>.failure(
                        await ErrorEnvelope.read(from: response).error(httpStatus: status)
                    )
                }
                var reducer = ChatCompletionStreamReducer()
                for try await event in response.body.decode(using: ServerSentEventDecoder()) {
                    if reducer.receive(event) { break }
                }
                return reducer.outcome
            }
            return outcome ?? .failure(GoAPIError(.replyTimeout))
        } catch let error as ServerSentEventDecoderError {
            return .failure(GoAPIError(.invalidResponse, detail: error.description))
        } catch {
            let timedOut = TimeoutFlag()
            if ContinuousClock.now >= deadline { timedOut.set() }
            return .failure(GoAPIError(transportError: error, timedOut: timedOut, partial: nil))
        }
    }

    /// The request body.
    private struct Body: Encodable {
        var model: String
        var messages: [Message]
        var stream: Bool
    }
}
