import Foundation
import Model

/// GS1 Digital Link URIs: `https://any.domain/optional/stem/01/09521234543213/10/ABC?17=271231`.
enum GS1DigitalLink {
    static func parse(
        _ uri: String, dictionary: GS1SyntaxDictionary, options: GS1Options, at location: String?
    ) -> Result<[GS1Element], Diagnostic> {
        func fail(_ message: String) -> Result<[GS1Element], Diagnostic> {
            .failure(.error(.gs1AIInvalid, "Digital Link: \(message)", at: location))
        }
        var text = Substring(uri)
        if let hash = text.firstIndex(of: "#") { text = text[..<hash] }
        guard let schemeEnd = text.range(of: "://") else { return fail("no scheme") }
        let scheme = text[..<schemeEnd.lowerBound].lowercased()
        guard scheme == "http" || scheme == "https" else { return fail("scheme must be http or https") }
        var rest = text[schemeEnd.upperBound...]
        var query: Substring = ""
        if let mark = rest.firstIndex(of: "?") {
            query = rest[rest.index(after: mark)...]
            rest = rest[..<mark]
        }
        guard let slash = rest.firstIndex(of: "/"), slash != rest.startIndex else { return fail("no domain or no path") }
        let segments = rest[rest.index(after: slash)...].split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        // The primary key is the first AI segment from which the rest of the path is AI/value pairs.
        var elements: [GS1Element] = []
        var start: Int? = nil
        for index in segments.indices where (segments.count - index) % 2 == 0 {
            let ai = segments[index]
            if let entry = dictionary.entries[ai], entry.dlPrimaryKey != nil {
                let pairs = stride(from: index, to: segments.count, by: 2).map { (segments[$0], segments[$0 + 1]) }
                if pairs.allSatisfy({ dictionary.entries[$0.0] != nil && !$0.1.isEmpty }) {
                    start = index
                    break
                }
            }
        }
        guard let start else { return fail("no GS1 primary key in the path") }
        for index in stride(from: start, to: segments.count, by: 2) {
            guard let value = percentDecode(segments[index + 1]) else { return fail("invalid percent-encoding") }
            elements.append(GS1Element(ai: segments[index], value: value))
        }
        // The qualifiers after the key must follow one of its allowed sequences, in order.
        if let key = dictionary.entries[elements[0].ai], let sequences = key.dlPrimaryKey {
            let qualifiers = elements.dropFirst().map(\.ai)
            let valid = qualifiers.isEmpty || sequences.contains { sequence in
                var position = sequence.startIndex
                for qualifier in qualifiers {
                    guard let found = sequence[position...].firstIndex(of: qualifier) else { return false }
                    position = found + 1
                }
                return true
            }
            if !valid { return fail("qualifiers \(qualifiers.map { "/\($0)" }.joined()) are not allowed after /\(elements[0].ai) in that order") }
        }
        for pair in query.split(separator: "&") where !pair.isEmpty {
            let parts = pair.split(separator: "=", maxSplits: 1).map(String.init)
            guard parts.count == 2, parts[0].allSatisfy(\.isNumber) else { continue }  // other parameters are not GS1 data
            guard let entry = dictionary.entries[parts[0]] else {
                if options.permitUnknownAIs { continue }
                return fail("query parameter \(parts[0]) is not a known AI")
            }
            guard entry.dlDataAttribute || entry.dlPrimaryKey == nil else {
                return fail("(\(parts[0])) is not permitted as a data attribute")
            }
            guard let value = percentDecode(parts[1]), !value.isEmpty else { return fail("invalid value for \(parts[0])") }
            elements.append(GS1Element(ai: parts[0], value: value))
        }
        return .success(elements)
    }

    static func percentDecode(_ text: String) -> String? {
        var bytes: [UInt8] = []
        var input = Array(text.utf8)[...]
        while let byte = input.first {
            if byte == UInt8(ascii: "%") {
                guard input.count >= 3, let value = UInt8(String(decoding: input.dropFirst().prefix(2), as: UTF8.self), radix: 16) else {
                    return nil
                }
                bytes.append(value)
                input = input.dropFirst(3)
            } else {
                bytes.append(byte)
                input = input.dropFirst()
            }
        }
        return String(validating: bytes, as: UTF8.self)
    }
}
