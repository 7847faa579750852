import Foundation

/// Reading the harness's log files.
enum LogFile {
    /// The file's content from byte `offset` on (empty if it cannot be read).
    static func contents(of path: String, from offset: Int = 0) -> String {
        guard let data = FileManager.default.contents(atPath: path), offset <= data.count else {
            return ""
        }
        return String(decoding: data[offset...], as: UTF8.self)
    }

    /// The file's size in bytes, 0 if it does not exist.
    static func size(of path: String) -> Int {
        ((try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? Int) ?? 0
    }

    /// The last `count` lines of the file.
    static func tail(of path: String, lines count: Int) -> String {
        Self.contents(of: path).split(separator: "\n", omittingEmptySubsequences: false).suffix(count)
            .joined(separator: "\n")
    }
}
