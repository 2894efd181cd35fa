import Foundation
import Model

/// The GS1 Barcode Syntax Dictionary: every Application Identifier with its components, linters,
/// associations and Digital Link roles. Read from the dictionary text GS1 publishes (shipped in
/// Resources/), so a new GS1 release is a data update.
public struct GS1SyntaxDictionary: Sendable {
    /// The character sets of the specification's component types.
    public enum Charset: Character, Sendable {
        /// Digits.
        case numeric = "N"
        /// CSET 82.
        case cset82 = "X"
        /// CSET 39.
        case cset39 = "Y"
        /// base64url (CSET 64).
        case cset64 = "Z"
    }

    public struct Component: Sendable, Hashable {
        public var charset: Charset
        public var minimum: Int
        public var maximum: Int
        public var optional: Bool
        public var linters: [String]
    }

    public struct Entry: Sendable {
        public var ai: String
        /// `*`: a pre-defined length AI that needs no FNC1 separator after it.
        public var predefinedLength: Bool
        /// `?`: permitted as a Digital Link data attribute.
        public var dlDataAttribute: Bool
        public var components: [Component]
        /// Each `req=` clause: alternatives, each a group of AIs or patterns (`35nn`) that must all
        /// be present.
        public var requires: [[[String]]]
        /// `ex=`: AIs or patterns that may not appear together with this one.
        public var excludes: [String]
        /// `dlpkey`: a Digital Link primary key; its alternative qualifier sequences.
        public var dlPrimaryKey: [[String]]?
        public var title: String

        /// The length of the value when it is fixed (no variable or optional component).
        public var fixedLength: Int? {
            components.allSatisfy { $0.minimum == $0.maximum && !$0.optional } ? components.reduce(0) { $0 + $1.maximum } : nil
        }

        public var maximumLength: Int { components.reduce(0) { $0 + $1.maximum } }
    }

    public private(set) var entries: [String: Entry] = [:]
    /// The release line of the file (`2026-01-27`).
    public private(set) var release: String?

    public init(text: String) throws(GS1DictionaryError) {
        defer {
            for (ai, entry) in entries {
                prefixLengths[String(ai.prefix(2))] = ai.count
                byNumber[Self.number(ai.utf8)] = entry
            }
        }
        for (number, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = rawLine.trimmingCharacters(in: .whitespaces)
            if line.hasPrefix("# Release:") { release = line.dropFirst(10).trimmingCharacters(in: .whitespaces) }
            if line.isEmpty || line.hasPrefix("#") { continue }
            var title = ""
            var body = Substring(line)
            if let hash = line.firstIndex(of: "#") {
                title = line[line.index(after: hash)...].trimmingCharacters(in: .whitespaces)
                body = line[..<hash]
            }
            var words = body.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
            guard !words.isEmpty else { continue }
            let aiField = words.removeFirst()
            var flags = ""
            if let first = words.first, first.allSatisfy({ "*!?\"$%&'()+,-./:;<=>@[\\]^_`{|}~".contains($0) }) {
                flags = words.removeFirst()
            }
            var components: [Component] = []
            var requires: [[[String]]] = []
            var excludes: [String] = []
            var dlPrimaryKey: [[String]]? = nil
            for word in words {
                if word.hasPrefix("req=") {
                    requires.append(word.dropFirst(4).split(separator: ",").map { $0.split(separator: "+").map(String.init) })
                } else if word.hasPrefix("ex=") {
                    excludes += word.dropFirst(3).split(separator: ",").map(String.init)
                } else if word == "dlpkey" {
                    dlPrimaryKey = [[]]
                } else if word.hasPrefix("dlpkey=") {
                    dlPrimaryKey = word.dropFirst(7).split(separator: "|").map { $0.split(separator: ",").map(String.init) }
                } else if word.contains("=") {
                    continue  // an attribute this reader does not use
                } else {
                    guard let component = Self.component(word) else {
                        throw GS1DictionaryError(line: number + 1, message: "cannot read component '\(word)'")
                    }
                    components.append(component)
                }
            }
            let entry = Entry(
                ai: "", predefinedLength: flags.contains("*"), dlDataAttribute: flags.contains("?"),
                components: components, requires: requires, excludes: excludes, dlPrimaryKey: dlPrimaryKey, title: title)
            // A range such as 3100-3105 names every AI in it.
            let bounds = aiField.split(separator: "-").map(String.init)
            if bounds.count == 2, let low = Int(bounds[0]), let high = Int(bounds[1]), low <= high, bounds[0].count == bounds[1].count {
                for value in low...high {
                    var copy = entry
                    copy.ai = String(format: "%0\(bounds[0].count)d", value)
                    entries[copy.ai] = copy
                }
            } else if aiField.allSatisfy(\.isNumber) {
                var copy = entry
                copy.ai = aiField
                entries[aiField] = copy
            } else {
                throw GS1DictionaryError(line: number + 1, message: "cannot read AI '\(aiField)'")
            }
        }
    }

    static func component(_ word: String) -> Component? {
        var text = Substring(word)
        var optional = false
        if text.hasPrefix("[") {
            optional = true
            text = text.dropFirst()
            if let close = text.firstIndex(of: "]") { text.remove(at: close) }
        }
        let parts = text.split(separator: ",")
        guard let spec = parts.first, let type = spec.first, let charset = Charset(rawValue: type) else { return nil }
        let lengthText = spec.dropFirst()
        let minimum: Int
        let maximum: Int
        if lengthText.hasPrefix("..") {
            guard let value = Int(lengthText.dropFirst(2)) else { return nil }
            (minimum, maximum) = (1, value)
        } else {
            guard let value = Int(lengthText) else { return nil }
            (minimum, maximum) = (value, value)
        }
        return Component(charset: charset, minimum: minimum, maximum: maximum, optional: optional, linters: parts.dropFirst().map(String.init))
    }

    /// The entry of the AI at the start of `digits` (AIs are 2 to 4 digits, prefix-free).
    public func entry<S: Collection<UInt8>>(atStartOf digits: S) -> Entry? {
        var number = 0
        var length = 0
        for byte in digits.prefix(4) {
            guard byte >= 48, byte <= 57 else { return nil }
            number = number * 10 + Int(byte - 48)
            length += 1
            if length >= 2, let entry = byNumber[length << 16 | number] { return entry }
        }
        return nil
    }

    /// The entries by AI as a number with its length (`0100` and `100` differ): read from bytes
    /// without making a string.
    private var byNumber: [Int: Entry] = [:]

    private static func number(_ ai: String.UTF8View) -> Int {
        ai.reduce(0) { $0 * 10 + Int($1 - 48) } | ai.count << 16
    }

    /// The length of an unknown AI, from the known AIs that share its first two digits; nil when
    /// no AI starts with them (the prefix is not allocated).
    public func aiLength<S: Collection<UInt8>>(forPrefixOf digits: S) -> Int? {
        let prefix = String(decoding: digits.prefix(2), as: UTF8.self)
        guard prefix.count == 2, prefix.allSatisfy(\.isNumber) else { return nil }
        return prefixLengths[prefix]
    }

    /// First two digits of the known AIs to their length.
    private var prefixLengths: [String: Int] = [:]

    /// The dictionary shipped with Crossdock: compiled into the executable (``shippedText``), so
    /// the binary needs no file beside it. A unit test keeps it equal to Resources/.
    public static let shipped: GS1SyntaxDictionary = {
        do {
            return try GS1SyntaxDictionary(text: shippedText)
        } catch {
            fatalError("the shipped GS1 syntax dictionary does not read: \(error)")
        }
    }()
}

public struct GS1DictionaryError: Error, Sendable, CustomStringConvertible {
    public var line: Int
    public var message: String
    public var description: String { "GS1 syntax dictionary line \(line): \(message)" }
}
