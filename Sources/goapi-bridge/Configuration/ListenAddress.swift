/// A `host:port` for a server socket; port 0 asks the system for a free port (useful in tests).
struct ListenAddress: Hashable, Sendable, CustomStringConvertible {
    /// A host name or IP address; IPv6 addresses are stored without brackets.
    let host: String
    /// 0-65535.
    let port: Int

    /// Creates an address from parts already known to be valid.
    init(host: String, port: Int) {
        self.host = host
        self.port = port
    }

    /// Parses `127.0.0.1:8080`, `localhost:8080` or `[::1]:8080`.
    init(parsing text: String) throws(ConfigViolation) {
        let invalid = ConfigViolation("\(text.quoted) is not host:port", hint: "e.g. 127.0.0.1:8080 or [::1]:8080")
        if let scheme = text.firstRange(of: "://") {
            // A URL pasted where the address belongs; the IPv6 hint its colons would get misleads.
            throw ConfigViolation(
                "\(text.quoted) is a URL, not host:port",
                hint: "write the address without \(text[..<scheme.upperBound]), e.g. 127.0.0.1:8080"
            )
        }
        let hostPart: Substring
        let portPart: Substring
        if text.hasPrefix("[") {
            guard let close = text.firstIndex(of: "]"), text[close...].hasPrefix("]:") else { throw invalid }
            hostPart = text[text.index(after: text.startIndex)..<close]
            portPart = text[text.index(close, offsetBy: 2)...]
            guard hostPart.contains(":"), hostPart.allSatisfy({ $0.isHexDigit || $0 == ":" || $0 == "." }) else {
                throw invalid
            }
        } else {
            guard let colon = text.lastIndex(of: ":") else { throw invalid }
            hostPart = text[..<colon]
            portPart = text[text.index(after: colon)...]
            guard !hostPart.contains(":") else {
                throw ConfigViolation(
                    "\(text.quoted) is not host:port",
                    hint: "put IPv6 addresses in brackets: [::1]:8080"
                )
            }
            guard !hostPart.isEmpty,
                hostPart.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "." || $0 == "-") })
            else {
                throw invalid
            }
        }
        guard !portPart.isEmpty, portPart.count <= 5, portPart.allSatisfy({ $0.isASCII && $0.isNumber }),
            let port = Int(portPart),
            (0...65535).contains(port)
        else {
            throw ConfigViolation("\(text.quoted) has no valid port", hint: "ports are 0-65535")
        }
        self.init(host: String(hostPart), port: port)
    }

    /// The form it was written in, with brackets around IPv6 addresses.
    var description: String {
        host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
    }
}
