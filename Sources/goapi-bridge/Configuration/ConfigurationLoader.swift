import Foundation

/// Reads, parses and validates a configuration file.
///
/// Problems are collected rather than thrown one at a time, so `check-config` shows everything wrong with a
/// file in one run.
struct ConfigurationLoader {
    /// Where `env:NAME` secrets and `LOG_LEVEL` come from; the process environment in production, a
    /// dictionary in tests.
    let environment: [String: String]

    /// Loads the file at `path`.
    func load(contentsOf path: String) throws(ConfigurationError) -> BridgeConfiguration {
        guard !path.isEmpty else {
            throw Self.unreadable("--config", "names no file (an empty path)")
        }
        let fileManager = FileManager.default
        var isDirectory: ObjCBool = false
        guard fileManager.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw Self.unreadable(path, "file not found", hint: "pass the configuration file with --config")
        }
        guard !isDirectory.boolValue else {
            throw Self.unreadable(path, "is a directory, not a file")
        }
        guard fileManager.isReadableFile(atPath: path), let handle = FileHandle(forReadingAtPath: path) else {
            throw Self.unreadable(path, "cannot read the file", hint: "check its permissions")
        }
        defer { try? handle.close() }
        return try load(json: Self.read(handle, path: path), source: path)
    }

    /// The most a configuration file may hold; real ones are a few kilobytes.
    static let maximumBytes = 16 << 20

    /// Reads `handle` to its end. Read rather than mapped, so a pipe works too (`--config <(envsubst < template)`),
    /// and bounded, so `/dev/zero` or a runaway generator cannot exhaust memory.
    private static func read(_ handle: FileHandle, path: String) throws(ConfigurationError) -> [UInt8] {
        var bytes: [UInt8] = []
        do {
            while let chunk = try handle.read(upToCount: 1 << 16), !chunk.isEmpty {
                bytes += chunk
                guard bytes.count <= Self.maximumBytes else {
                    throw Self.unreadable(path, "is larger than \(Self.maximumBytes >> 20) MiB")
                }
            }
        } catch let error as ConfigurationError {
            throw error
        } catch {
            throw Self.unreadable(path, "cannot read the file (\(error.localizedDescription))")
        }
        return bytes
    }

    /// Loads a document already in memory; `source` names it in syntax errors.
    func load(json: [UInt8], source: String) throws(ConfigurationError) -> BridgeConfiguration {
        let document: JSONValue
        do {
            document = try JSONParser.parse(json)
        } catch {
            let problem = ConfigProblem(
                path: "\(source):\(error.line):\(error.column)",
                message: "invalid JSON: \(error.message)",
                hint: error.hint
            )
            throw ConfigurationError(code: .invalidJSON, problems: [problem])
        }
        let reader = ConfigReader(environment: environment)
        let configuration = ConfigObject(document, at: .root, reader: reader).flatMap(
            BridgeConfiguration.init(reading:)
        )
        guard reader.problems.isEmpty else {
            throw ConfigurationError(code: .invalidConfiguration, problems: reader.problems)
        }
        guard let configuration else {
            preconditionFailure("Invalid state: configuration rejected without a reported problem")
        }
        return configuration
    }

    private static func unreadable(_ path: String, _ message: String, hint: String? = nil) -> ConfigurationError {
        ConfigurationError(code: .unreadableFile, problems: [ConfigProblem(path: path, message: message, hint: hint)])
    }
}
