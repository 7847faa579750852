import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import NIOFoundationCompat
import NIOHTTP1

extension GoAPIClient {
    /// The HTTP request for a question: create (`POST …/conversation`) or add (`POST …/conversation/{id}`).
    func conversationRequest(
        _ request: ConversationRequest,
        conversationID: String?,
        baseURL: String
    ) -> HTTPClientRequest {
        var path = "/api/chatgpt/v1/conversation"
        if let conversationID {
            path += "/" + Self.pathComponent(conversationID)
        }
        let model = request.model ?? (request.gizmoID == nil ? self.configuration.model : self.configuration.gizmoModel)
        let body = ConversationRequestBody(model: model, text: request.text, gizmoID: request.gizmoID)
        var http = self.jsonRequest(baseURL: baseURL, path: path, json: body.json)
        http.headers.add(name: "Accept", value: "text/event-stream")
        return http
    }

    /// Fetches the download link for an image the turn produced; `nil` (logged) when GoAPI does not give one,
    /// because a missing image link must not cost the person their text answer.
    func downloadURL(conversationID: String, fileID: String, logger: Logger) async -> String? {
        struct Body: Encodable {
            var file_id: String
        }
        let path = "/api/chatgpt/v1/conversation/\(Self.pathComponent(conversationID))/download"
        let request = self.jsonRequest(baseURL: self.currentDomain().baseURL, path: path, body: Body(file_id: fileID))
        do {
            let (response, body) = try await self.connections.withClient { httpClient in
                let response = try await httpClient.execute(
                    request,
                    timeout: TimeAmount(self.configuration.idleTimeout),
                    logger: logger.forHTTPClient
                )
                return (response, try await response.body.collect(upTo: ErrorEnvelope.maximumBodySize))
            }
            guard response.status.code == 200 else {
                throw ErrorEnvelope(body: body).error(httpStatus: Int(response.status.code))
            }
            let object = try JSONSerialization.jsonObject(with: Data(buffer: body)) as? [String: Any]
            let data = object?["data"] as? [String: Any]
            guard let url = data?["download_url"] as? String ?? object?["download_url"] as? String, !url.isEmpty else {
                throw GoAPIError(.invalidResponse, detail: "no download_url in the download response")
            }
            return url
        } catch {
            logger.notice(
                "could not fetch an image download link",
                metadata: ["goapi.file_id": "\(fileID)", "goapi.error": "\(error)"]
            )
            return nil
        }
    }

    private func jsonRequest(baseURL: String, path: String, body: some Encodable) -> HTTPClientRequest {
        // Encoding these plain structs cannot fail; a failure would be a programming error.
        self.jsonRequest(baseURL: baseURL, path: path, json: Array(try! JSONEncoder().encode(body)))
    }

    private func jsonRequest(baseURL: String, path: String, json: [UInt8]) -> HTTPClientRequest {
        var http = HTTPClientRequest(url: baseURL + path)
        http.method = .POST
        http.headers.add(name: "X-API-Key", value: self.configuration.apiKey)
        http.headers.add(name: "Content-Type", value: "application/json")
        http.body = .bytes(ByteBuffer(bytes: json))
        return http
    }

    /// Keeps an id from changing the URL's path (ids come from GoAPI, but a stored value is still just data).
    private static func pathComponent(_ value: String) -> String {
        var allowed = CharacterSet.urlPathAllowed
        allowed.remove("/")
        return value.addingPercentEncoding(withAllowedCharacters: allowed) ?? value
    }
}
