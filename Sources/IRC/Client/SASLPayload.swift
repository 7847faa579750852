import Foundation

/// Builds `AUTHENTICATE` lines for SASL.
enum SASLPayload {
    /// The largest payload one `AUTHENTICATE` line may carry.
    static let chunkSize = 400

    /// The PLAIN credential (`authzid NUL authcid NUL password`, base64) as `AUTHENTICATE` parameters: chunks of
    /// 400 bytes, followed by `+` when the last chunk is exactly 400 bytes so the server knows it ended.
    static func plain(username: String, password: String) -> [String] {
        let raw = Data("\(username)\0\(username)\0\(password)".utf8)
        return self.chunks(raw.base64EncodedString())
    }

    /// Splits an encoded payload into `AUTHENTICATE` parameters.
    static func chunks(_ encoded: String) -> [String] {
        guard !encoded.isEmpty else { return ["+"] }
        let bytes = Array(encoded.utf8)
        var result: [String] = []
        var start = 0
        while start < bytes.count {
            let end = min(start + self.chunkSize, bytes.count)
            result.append(String(decoding: bytes[start..<end], as: UTF8.self))
            start = end
        }
        if bytes.count % self.chunkSize == 0 {
            result.append("+")
        }
        return result
    }
}
