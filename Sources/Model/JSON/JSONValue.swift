/// A parsed JSON document that keeps numbers as their exact literal text, so decimals never pass
/// through binary floating point, and keeps object members in document order.
public enum JSONValue: Sendable, Hashable {
    case null
    case bool(Bool)
    /// The number exactly as written (validated against the JSON grammar).
    case number(String)
    case string(String)
    case array([JSONValue])
    case object(JSONObject)

    public var objectValue: JSONObject? { if case .object(let o) = self { o } else { nil } }
    public var arrayValue: [JSONValue]? { if case .array(let a) = self { a } else { nil } }
    public var stringValue: String? { if case .string(let s) = self { s } else { nil } }
    public var boolValue: Bool? { if case .bool(let b) = self { b } else { nil } }
    public var numberText: String? { if case .number(let n) = self { n } else { nil } }
    public var isNull: Bool { self == .null }

    /// The JSON type name, for messages ("expected a string, found an array").
    public var typeName: String {
        switch self {
        case .null: "null"
        case .bool: "boolean"
        case .number: "number"
        case .string: "string"
        case .array: "array"
        case .object: "object"
        }
    }
}

/// A JSON object: members in document order, keys unique (the parser rejects duplicates).
public struct JSONObject: Sendable, Hashable, Sequence {
    public struct Member: Sendable, Hashable {
        public var key: String
        public var value: JSONValue
        public init(key: String, value: JSONValue) {
            self.key = key
            self.value = value
        }
    }

    public var members: [Member]

    public init(_ members: [Member] = []) { self.members = members }

    public init(_ pairs: KeyValuePairs<String, JSONValue>) {
        members = pairs.map { Member(key: $0.key, value: $0.value) }
    }

    public subscript(key: String) -> JSONValue? {
        // Objects in this domain are small; a linear scan beats hashing. Lengths are compared
        // first: most members differ in length, and a string comparison that fails is a call.
        let length = key.utf8.count
        for index in members.indices where members[index].key.utf8.count == length && members[index].key == key {
            return members[index].value
        }
        return nil
    }

    public var keys: [String] { members.map(\.key) }
    public var count: Int { members.count }

    public func makeIterator() -> IndexingIterator<[Member]> { members.makeIterator() }
}

/// A JSON Pointer (RFC 6901) built while walking a document, for diagnostics such as
/// `/scans/3/quantity`.
public struct JSONPointer: Sendable, Hashable, CustomStringConvertible {
    /// The last token and the pointer before it. A decoder appends a token for every value it
    /// enters and almost never shows one, so appending makes one node and copies nothing; the
    /// tokens are listed only when asked for.
    private final class Node: Sendable {
        let parent: Node?
        /// A member name; nil for an array index.
        let name: String?
        let index: Int

        init(parent: Node?, name: String?, index: Int) {
            self.parent = parent
            self.name = name
            self.index = index
        }

        var token: String { name ?? String(index) }
    }

    private var last: Node?

    private init(last: Node?) { self.last = last }

    public init(_ tokens: [String] = []) {
        last = nil
        for token in tokens { last = Node(parent: last, name: token, index: 0) }
    }

    public static let root = JSONPointer()

    public var tokens: [String] {
        var tokens: [String] = []
        var node = last
        while let current = node {
            tokens.append(current.token)
            node = current.parent
        }
        return tokens.reversed()
    }

    public func appending(_ key: String) -> JSONPointer { JSONPointer(last: Node(parent: last, name: key, index: 0)) }
    public func appending(_ index: Int) -> JSONPointer { JSONPointer(last: Node(parent: last, name: nil, index: index)) }
    func prepending(_ token: String) -> JSONPointer { JSONPointer([token] + tokens) }
    /// The pointer to member `key` as text, as diagnostics name it.
    public func at(_ key: String) -> String { appending(key).description }

    public static func == (lhs: JSONPointer, rhs: JSONPointer) -> Bool { lhs.last === rhs.last || lhs.tokens == rhs.tokens }
    public func hash(into hasher: inout Hasher) { hasher.combine(tokens) }

    public var description: String {
        var text = ""
        for token in tokens {
            text += "/"
            // RFC 6901: `~` and `/` in a name are escaped; most names have neither.
            text += token.utf8.contains { $0 == UInt8(ascii: "~") || $0 == UInt8(ascii: "/") }
                ? token.replacingOccurrences(of: "~", with: "~0").replacingOccurrences(of: "/", with: "~1") : token
        }
        return text
    }
}

extension String {
    fileprivate func replacingOccurrences(of target: Character, with replacement: String) -> String {
        guard contains(target) else { return self }
        var result = ""
        for character in self {
            if character == target { result += replacement } else { result.append(character) }
        }
        return result
    }
}
