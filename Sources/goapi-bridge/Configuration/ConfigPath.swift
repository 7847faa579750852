/// Where a value sits in the configuration document, printed the way a user would point at it:
/// `irc.networks[0].channels[1].name`.
struct ConfigPath: Hashable, Sendable, CustomStringConvertible {
    /// One step from a container to a value inside it.
    enum Component: Hashable, Sendable {
        /// A member of an object.
        case key(String)
        /// An element of an array.
        case index(Int)
    }

    /// The steps from the document root.
    let components: [Component]

    /// The whole document, which problems such as "nothing to do" are reported against.
    static let root = ConfigPath(components: [])

    /// The path of member `key` of the object at this path.
    func appending(_ key: String) -> ConfigPath {
        ConfigPath(components: components + [.key(key)])
    }

    /// The path of element `index` of the array at this path.
    func appending(index: Int) -> ConfigPath {
        ConfigPath(components: components + [.index(index)])
    }

    /// Dotted keys and bracketed indices; keys that are not plain identifiers (a typo can contain anything)
    /// are quoted so the path stays unambiguous.
    var description: String {
        guard !components.isEmpty else { return "(root)" }
        var text = ""
        for component in components {
            switch component {
            case .key(let key) where key.isPlainIdentifier:
                text += text.isEmpty ? key : ".\(key)"
            case .key(let key):
                text += "[\(key.quoted)]"
            case .index(let index):
                text += "[\(index)]"
            }
        }
        return text
    }
}

extension String {
    /// Whether the key can be printed in a dotted path without quotes.
    fileprivate var isPlainIdentifier: Bool {
        guard let first, !first.isNumber else { return false }
        return allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") }
    }
}
