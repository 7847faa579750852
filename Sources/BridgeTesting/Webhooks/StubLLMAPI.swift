import Foundation

extension StubChatAPIs {
    /// GoAPI's LLM API (OpenAI-style `POST /v1/chat/completions`, streamed), as the default answer of a
    /// ``StubWebhookReceiver``: with the right bearer token it streams `reply` as `chat.completion.chunk` events
    /// (a role delta, the text in a few content deltas, a `finish_reason: "stop"` chunk, then `data: [DONE]`);
    /// otherwise 401 with OpenAI's error body.
    package static func llm(
        apiKey: String,
        reply: @escaping @Sendable (_ messages: [[String: String]]) -> String = { _ in "Backup answer." }
    ) -> @Sendable (StubWebhookReceiver.RecordedRequest) -> StubWebhookReceiver.Answer {
        { request in
            guard request.method == "POST", request.path == "/v1/chat/completions" else {
                return .init(
                    status: 404,
                    body: #"{"error":{"message":"Unknown request URL","type":"invalid_request_error"}}"#
                )
            }
            guard request.headers["authorization"] == "Bearer \(apiKey)" else {
                return .init(
                    status: 401,
                    body:
                        #"{"error":{"message":"Incorrect API key provided","type":"invalid_request_error","code":"invalid_api_key"}}"#
                )
            }
            let json = (try? JSONSerialization.jsonObject(with: request.body)) as? [String: Any]
            let messages = (json?["messages"] as? [[String: String]]) ?? []
            let model = json?["model"] as? String ?? "unknown"
            return .init(
                status: 200,
                headers: ["content-type": "text/event-stream"],
                body: Self.chatCompletionStream(reply(messages), model: model)
            )
        }
    }

    /// The wire form of a streamed chat completion of `text`.
    package static func chatCompletionStream(
        _ text: String,
        model: String = "gpt-4o-mini",
        finished: Bool = true
    ) -> String {
        func chunk(_ delta: [String: String], finish: String?) -> String {
            let choice: [String: Any] = ["index": 0, "delta": delta, "finish_reason": finish ?? NSNull()]
            let object: [String: Any] = [
                "id": "chatcmpl-stub", "object": "chat.completion.chunk", "created": 1_700_000_000, "model": model,
                "choices": [choice],
            ]
            let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data()
            return "data: " + String(decoding: data, as: UTF8.self) + "\n\n"
        }
        var pieces = [chunk(["role": "assistant", "content": ""], finish: nil)]
        var rest = Substring(text)
        while !rest.isEmpty {
            pieces.append(chunk(["content": String(rest.prefix(7))], finish: nil))
            rest = rest.dropFirst(7)
        }
        guard finished else { return pieces.joined() }
        return (pieces + [chunk([:], finish: "stop"), "data: [DONE]\n\n"]).joined()
    }
}
