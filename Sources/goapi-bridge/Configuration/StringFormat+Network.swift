import Foundation
import Webhooks

extension StringFormat where Value == String {
    /// A host name or IP address to connect to.
    static var host: Self {
        Self { (text) throws(ConfigViolation) in
            guard !text.isEmpty, !text.contains(where: { $0.isWhitespace || $0 == "/" || $0.isControl }) else {
                throw ConfigViolation("\(text.quotedWithoutCredentials) is not a host name or IP address")
            }
            // `host:port` (as other clients take it) and `[v6]` (as in URLs) would be looked up as names for ever.
            guard text.filter({ $0 == ":" }).count != 1 else {
                throw ConfigViolation("\(text.quotedWithoutCredentials) holds a port; put the port in \"port\"")
            }
            guard !text.hasPrefix("["), !text.hasSuffix("]") else {
                throw ConfigViolation("\(text.quotedWithoutCredentials): write an IPv6 address without brackets")
            }
            return text
        }
    }

    /// A file that must exist and be readable at load, so a bad path fails `check-config` rather than the
    /// first TLS handshake. Relative paths are relative to the working directory.
    static var readableFile: Self {
        Self { (path) throws(ConfigViolation) in
            guard !path.isEmpty else { throw ConfigViolation("must not be empty") }
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
                throw ConfigViolation("file not found: \(path)")
            }
            guard !isDirectory.boolValue else { throw ConfigViolation("\(path) is a directory, not a file") }
            guard FileManager.default.isReadableFile(atPath: path) else {
                throw ConfigViolation("file is not readable: \(path)")
            }
            return path
        }
    }

    /// The characters RFC 3986 allows in a path: unreserved, sub-delimiters, `:`, `@`, `/`, and `%` of escapes.
    private static var pathCharacters: CharacterSet {
        CharacterSet(charactersIn: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~!$&'()*+,;=:@/%")
    }

    /// The path a webhook endpoint is served at.
    static var endpointPath: Self {
        Self { (text) throws(ConfigViolation) in
            guard text.hasPrefix("/") else { throw ConfigViolation("\(text.quoted) must start with /") }
            guard !text.contains(where: { $0.isWhitespace || $0.isControl || $0 == "?" || $0 == "#" }) else {
                throw ConfigViolation("\(text.quoted) must not contain spaces, ? or #")
            }
            // Requests are matched on the path as sent; clients percent-encode anything else, so an endpoint
            // configured with it could never be reached.
            guard text.unicodeScalars.allSatisfy({ Self.pathCharacters.contains($0) }) else {
                throw ConfigViolation(
                    "\(text.quoted) may hold only ASCII letters, digits, percent escapes and -._~!$&'()*+,;=:@/",
                    hint: "clients send other characters percent-encoded, so requests would never match"
                )
            }
            guard !text.hasPrefix(ReplyPagePublisher.pathPrefix) else {
                throw ConfigViolation(
                    "\(text.quoted) is under \(ReplyPagePublisher.pathPrefix), where full-reply pages are served",
                    hint: "choose another path, e.g. /hooks/..."
                )
            }
            return text
        }
    }
}

extension StringFormat where Value == URL {
    /// An http or https URL used as is, such as a reply target.
    static var httpURL: Self {
        Self { (text) throws(ConfigViolation) in try parseHTTPURL(text) }
    }

    /// An http or https URL that other paths are appended to; a trailing slash is dropped so appending
    /// `/api/...` never produces `//`, and a query or fragment is refused because it would end up mid-path.
    static var httpBaseURL: Self {
        Self { (text) throws(ConfigViolation) in
            var trimmed = Substring(text)
            while trimmed.hasSuffix("/") { trimmed = trimmed.dropLast() }
            guard !trimmed.contains(where: { $0 == "?" || $0 == "#" }) else {
                throw ConfigViolation("\(text.quotedWithoutCredentials) must not have a query or fragment")
            }
            return try parseHTTPURL(String(trimmed), written: text)
        }
    }

    private static func parseHTTPURL(_ text: String, written: String? = nil) throws(ConfigViolation) -> URL {
        let quoted = (written ?? text).quotedWithoutCredentials
        guard !text.contains(where: { $0.isWhitespace || $0.isControl }),
            let url = URL(string: text), let scheme = url.scheme?.lowercased(), scheme == "http" || scheme == "https",
            let host = url.host(), !host.isEmpty
        else {
            throw ConfigViolation("\(quoted) is not an http or https URL", hint: "e.g. https://example.com/path")
        }
        guard url.user() == nil, url.password() == nil else {
            throw ConfigViolation(
                "must not contain a user name or password",
                hint: "credentials belong in their own keys"
            )
        }
        // Foundation takes any number as a port; every request would then fail, far from its cause.
        if let port = url.port, !(1...65535).contains(port) {
            throw ConfigViolation("\(quoted) has port \(port), which is not between 1 and 65535")
        }
        return url
    }
}

extension StringFormat where Value == ListenAddress {
    /// A `host:port` to listen on.
    static var listenAddress: Self {
        Self { (text) throws(ConfigViolation) in try ListenAddress(parsing: text) }
    }
}

extension SecretFormat {
    /// A Standard Webhooks signing secret: `whsec_` and the base64 of the HMAC key.
    static var standardWebhooksSecret: SecretFormat {
        SecretFormat { (value) throws(ConfigViolation) in
            // A line break from a CRLF env file is the likely slip; say so rather than "not base64".
            try Self.rejectingControlCharacters.check(value)
            let encodedKey = value.dropFirst(6)
            guard value.hasPrefix("whsec_"), let key = Data(base64Encoded: String(encodedKey)), !key.isEmpty else {
                throw ConfigViolation(
                    "must be whsec_ followed by base64",
                    hint: "Standard Webhooks secrets are whsec_ plus the base64 of random bytes that the sender "
                        + "also holds; generate one with: echo whsec_$(openssl rand -base64 32)"
                )
            }
        }
    }
}
