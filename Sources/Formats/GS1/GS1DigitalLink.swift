import Model

/// GS1 Digital Link URIs: `https://any.domain/optional/stem/01/09521234543213/10/ABC?17=271231`.
public enum GS1DigitalLink {
    /// The convenience alphas GS1 Digital Link defines for path AIs.
    static let convenienceAlphas: [String: String] = [
        "sscc": "00", "gtin": "01", "lot": "10", "ser": "21", "cpv": "22", "tpx": "235", "gdti": "253", "glnx": "254",
        "gcn": "255", "ginc": "401", "gsin": "402", "gln": "414", "party": "417", "grai": "8003", "giai": "8004",
        "itip": "8006", "cpid": "8010", "cpsn": "8011", "gmn": "8013", "gsrnp": "8017", "gsrn": "8018", "srin": "8019",
    ]

    /// Characters a URI may contain (RFC 3986 unreserved and reserved, and `%`).
    static let uriCharacters = ASCIISet("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~:/?#[]@!$&'()*+,;=%")

    /// Characters a domain may contain (letters, digits, `-`, `.`, and `:[]` of ports and IPv6).
    static let domainCharacters = ASCIISet("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-.:[]")

    struct Failure: Error {
        var message: String
    }

    /// Whether the AIs after a primary key in a path follow one of its allowed qualifier sequences.
    public static func validPathSequence(_ ais: [String], dictionary: GS1SyntaxDictionary = .shipped) -> Bool {
        guard let key = ais.first, let sequences = dictionary.entries[key]?.dlPrimaryKey else { return false }
        return !compatibleSequences(Array(ais.dropFirst()), sequences).isEmpty
    }

    /// The qualifier sequences of a key that the given qualifiers follow, in order.
    static func compatibleSequences(_ qualifiers: [String], _ sequences: [[String]]) -> [[String]] {
        sequences.filter { sequence in
            var position = sequence.startIndex
            for qualifier in qualifiers {
                guard let found = sequence[position...].firstIndex(of: qualifier) else { return false }
                position = found + 1
            }
            return true
        }
    }

    static func elements(_ uri: String, dictionary: GS1SyntaxDictionary, options: GS1Options) -> Result<[GS1Element], Failure> {
        func fail(_ message: String) -> Result<[GS1Element], Failure> { .failure(Failure(message: message)) }
        var rest: Substring
        if uri.hasPrefix("https://") || uri.hasPrefix("HTTPS://") {
            rest = Substring(uri).dropFirst(8)
        } else if uri.hasPrefix("http://") || uri.hasPrefix("HTTP://") {
            rest = Substring(uri).dropFirst(7)
        } else {
            return fail("the scheme must be http or https, all lower or all upper case")
        }
        // From here on every character is ASCII: the checks below read bytes.
        guard uri.utf8.allSatisfy(uriCharacters.contains) else { return fail("the URI contains characters a URI may not") }
        if let hash = rest.firstIndex(of: "#") { rest = rest[..<hash] }
        var query: Substring = ""
        if let mark = rest.firstIndex(of: "?") {
            query = rest[rest.index(after: mark)...]
            rest = rest[..<mark]
        }
        guard let slash = rest.firstIndex(of: "/") else { return fail("no path") }
        let domain = rest[..<slash]
        guard !domain.isEmpty,
            domain.utf8.allSatisfy(domainCharacters.contains)
        else { return fail("the domain is missing or has characters a domain may not") }
        let path = rest[rest.index(after: slash)...]
        guard !path.hasSuffix("/") else { return fail("the path may not end in '/'") }
        let segments = path.utf8.split(separator: UInt8(ascii: "/"), omittingEmptySubsequences: false).map { String(Substring($0)) }

        func aiNumber(_ segment: String) -> String? {
            if segment.utf8.allSatisfy(GS1Linters.isDigit), dictionary.entries[segment] != nil { return segment }
            if options.permitConvenienceAlphas { return convenienceAlphas[segment] }
            return nil
        }
        // Walk the path backwards in pairs; the first primary key met is the key (the rightmost).
        var start: Int? = nil
        var index = segments.count - 2
        while index >= 0 {
            guard let ai = aiNumber(segments[index]) else { break }
            if dictionary.entries[ai]?.dlPrimaryKey != nil {
                start = index
                break
            }
            index -= 2
        }
        guard let start else { return fail("no GS1 primary key in the path") }
        var elements: [GS1Element] = []
        for index in stride(from: start, to: segments.count, by: 2) {
            guard let ai = aiNumber(segments[index]) else { return fail("'\(segments[index])' is not an AI") }
            guard let value = percentDecode(segments[index + 1], plusIsSpace: false), !value.isEmpty else {
                return fail("empty or badly encoded value for AI (\(ai)) in the path")
            }
            elements.append(GS1Element(ai: ai, value: expandGTIN(ai, value, options)))
        }
        guard let key = dictionary.entries[elements[0].ai], let sequences = key.dlPrimaryKey else { return fail("no primary key") }
        let qualifiers = elements.dropFirst().map(\.ai)
        let compatible = compatibleSequences(qualifiers, sequences)
        guard !compatible.isEmpty else {
            return fail("qualifiers \(qualifiers.map { "/\($0)" }.joined()) are not allowed after /\(elements[0].ai) in that order")
        }
        for parameter in query.utf8.split(separator: UInt8(ascii: "&")) where !parameter.isEmpty {
            let parts = parameter.split(separator: UInt8(ascii: "="), maxSplits: 1, omittingEmptySubsequences: false).map { String(Substring($0)) }
            guard parts.count == 2, parts[0].utf8.allSatisfy(GS1Linters.isDigit) else { continue }  // not GS1 data
            let ai = parts[0]
            if let entry = dictionary.entries[ai] {
                if compatible.contains(where: { $0.contains(ai) }) {
                    return fail("(\(ai)) is a key qualifier: it belongs in the path")
                }
                guard entry.dlDataAttribute else { return fail("(\(ai)) is not permitted as a data attribute") }
            } else if !(options.permitUnknownAIs && options.unknownAIsAsDataAttributes && (2...4).contains(ai.count)) {
                return fail("query parameter \(ai) is not a known AI")
            }
            guard let value = percentDecode(parts[1], plusIsSpace: true), !value.isEmpty else {
                return fail("empty or badly encoded value for AI (\(ai))")
            }
            elements.append(GS1Element(ai: ai, value: expandGTIN(ai, value, options)))
        }
        for (index, element) in elements.enumerated() where elements[..<index].contains(where: { $0.ai == element.ai }) {
            return fail("(\(element.ai)) appears more than once")
        }
        return .success(elements)
    }

    static func expandGTIN(_ ai: String, _ value: String, _ options: GS1Options) -> String {
        guard ai == "01", options.permitZeroSuppressedGTIN, [8, 12, 13].contains(value.utf8.count) else { return value }
        return String(repeating: "0", count: 14 - value.utf8.count) + value
    }

    /// Percent-decoding; `+` is a space in a query but itself in a path. NUL is refused.
    static func percentDecode(_ text: String, plusIsSpace: Bool) -> String? {
        // Most values have nothing to decode.
        if !text.utf8.contains(where: { $0 == UInt8(ascii: "%") || (plusIsSpace && $0 == UInt8(ascii: "+")) || $0 == 0 }) { return text }
        var bytes: [UInt8] = []
        var input = Array(text.utf8)[...]
        while let byte = input.first {
            if byte == UInt8(ascii: "%") {
                guard input.count >= 3, let value = UInt8(String(decoding: input.dropFirst().prefix(2), as: UTF8.self), radix: 16),
                    value != 0
                else { return nil }
                bytes.append(value)
                input = input.dropFirst(3)
            } else {
                bytes.append(plusIsSpace && byte == UInt8(ascii: "+") ? 0x20 : byte)
                input = input.dropFirst()
            }
        }
        return String(validating: bytes, as: UTF8.self)
    }
}
