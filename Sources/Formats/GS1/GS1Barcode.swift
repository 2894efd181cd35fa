public import Model

/// One Application Identifier and its value.
public struct GS1Element: Sendable, Hashable, CustomStringConvertible {
    public var ai: String
    public var value: String

    public init(ai: String, value: String) {
        self.ai = ai
        self.value = value
    }

    public var description: String { "(\(ai))\(value)" }
}

/// How strictly to read. Partner profiles can relax what their devices get wrong.
public struct GS1Options: Sendable, Hashable {
    /// Accept AIs the dictionary does not know (their value runs to the next separator).
    public var permitUnknownAIs = false
    /// Check `req=` and `ex=` associations between AIs.
    public var checkAssociations = true
    /// Digital Link: accept convenience alphas (`/gtin/…`, `/ser/…`) for AI numbers.
    public var permitConvenienceAlphas = false
    /// Digital Link: accept GTIN-8, -12 and -13 for AI (01), expanded to 14 digits.
    public var permitZeroSuppressedGTIN = false
    /// Digital Link: accept unknown AIs (when permitted at all) as query data attributes.
    public var unknownAIsAsDataAttributes = false

    public init(
        permitUnknownAIs: Bool = false, checkAssociations: Bool = true, permitConvenienceAlphas: Bool = false,
        permitZeroSuppressedGTIN: Bool = false, unknownAIsAsDataAttributes: Bool = false
    ) {
        self.permitUnknownAIs = permitUnknownAIs
        self.checkAssociations = checkAssociations
        self.permitConvenienceAlphas = permitConvenienceAlphas
        self.permitZeroSuppressedGTIN = permitZeroSuppressedGTIN
        self.unknownAIsAsDataAttributes = unknownAIsAsDataAttributes
    }
}

/// Reads what a scanner produced: a GS1 element string behind a symbology identifier (`]C1`
/// GS1-128, `]e0` DataBar, `]d2` DataMatrix, `]Q3` QR, `]J1` DotCode) with GS separators, a GS1
/// Digital Link URI (any domain), the bracketed human-readable form `(01)…(10)…`, an EAN/UPC
/// (`]E0`, `]E4`, `]A0`-less digits), or a plain GTIN or SSCC. Every value is checked against the
/// GS1 Syntax Dictionary: character set, length, check digits, dates and AI associations.
public enum GS1Barcode {
    static let gs: UInt8 = 0x1D

    public static func read(
        _ text: String, dictionary: GS1SyntaxDictionary = .shipped, options: GS1Options = GS1Options(), at location: @autoclosure () -> String? = nil
    ) -> Result<[GS1Element], Diagnostic> {
        let bytes = Array(text.utf8)
        func fail(_ message: String, _ code: DiagnosticCode = .gs1AIInvalid) -> Result<[GS1Element], Diagnostic> {
            .failure(.error(code, message, at: location()))
        }
        guard !bytes.isEmpty else { return fail("the barcode is empty") }
        var elements: [GS1Element]
        // Element strings behind a GS1 symbology identifier had every value checked while read.
        var valuesChecked = false
        if bytes.first == UInt8(ascii: "]") {
            // One reading of symbology identifiers for scans and for the conformance vectors.
            switch GS1Engine.processScanData(text, dictionary: dictionary, options: options, withDataString: false) {
            case .failure(let failure): return fail(failure.message, failure.code)
            case .success(let scan):
                guard !scan.elements.isEmpty else { return fail("the barcode's data is not GS1 data: '\(text.dropFirst(3).prefix(40))'") }
                elements = scan.elements
                valuesChecked = bytes.count >= 3 && GS1Engine.gs1Symbologies.contains(String(decoding: bytes[1..<3], as: UTF8.self))
            }
        } else if text.hasPrefix("http://") || text.hasPrefix("https://") || text.hasPrefix("HTTP") {
            // The same reading as a Digital Link inside a scanner's plain data, values checked.
            switch GS1Engine.parseDigitalLink(text, dictionary: dictionary, options: options) {
            case .failure(let failure): return fail("Digital Link: \(failure.message)", failure.code)
            case .success(let found): elements = found
            }
            valuesChecked = true
        } else if bytes.first == UInt8(ascii: "(") {
            // The same reading as the conformance vectors' bracketed form, values checked.
            switch GS1Engine.parseBracketed(text, dictionary: dictionary, options: options) {
            case .failure(let failure): return fail(failure.message, failure.code)
            case .success(let found): elements = found
            }
            valuesChecked = true
        } else if bytes.allSatisfy({ $0 >= 48 && $0 <= 57 }) {
            switch bytes.count {
            case 18: elements = [GS1Element(ai: "00", value: text)]
            case 8, 12, 13, 14: elements = [GS1Element(ai: "01", value: String(repeating: "0", count: 14 - bytes.count) + text)]
            default: return fail("'\(text)' is neither a GTIN (8, 12, 13 or 14 digits) nor an SSCC (18 digits)")
            }
        } else {
            return fail("'\(text.prefix(40))' is not GS1 data: no symbology identifier, Digital Link URI or GS1 key")
        }
        let problems = validate(elements, dictionary: dictionary, options: options, valuesChecked: valuesChecked, at: location())
        if let first = problems.first { return .failure(first) }
        return .success(elements)
    }

    /// Splits an element string (the data after a GS1 symbology identifier, GS-separated) into
    /// AIs and values. A leading GS (FNC1 in first position as some scanners send it) is skipped.
    public static func elementString(
        _ data: [UInt8], dictionary: GS1SyntaxDictionary, options: GS1Options, at location: @autoclosure () -> String?
    ) -> Result<[GS1Element], Diagnostic> {
        var elements: [GS1Element] = []
        var position = 0
        while position < data.count, data[position] == gs { position += 1 }
        guard position < data.count else { return .failure(.error(.gs1AIInvalid, "the element string is empty", at: location())) }
        while position < data.count {
            let rest = data[position...]
            let entry = dictionary.entry(atStartOf: rest)
            let aiLength: Int
            if let entry {
                aiLength = entry.ai.count
            } else if options.permitUnknownAIs, let length = dictionary.aiLength(forPrefixOf: rest) {
                aiLength = length
            } else {
                let shown = String(decoding: rest.prefix(4), as: UTF8.self)
                return .failure(.error(.gs1AIInvalid, "no known AI at '\(shown)' (byte \(position))", at: location()))
            }
            let ai = String(decoding: rest.prefix(aiLength), as: UTF8.self)
            position += aiLength
            // Pre-defined length AIs (flag "*") need no separator; the others run to the next GS.
            let end: Int
            if let entry, entry.predefinedLength, let fixed = entry.fixedLength {
                end = position + fixed
                guard end <= data.count else {
                    return .failure(
                        .error(.gs1AIInvalid, "AI (\(ai)) needs \(fixed) characters, the data ends after \(data.count - position)", at: location()))
                }
            } else {
                end = data[position...].firstIndex(of: gs) ?? data.count
            }
            let value = String(decoding: data[position..<end], as: UTF8.self)
            elements.append(GS1Element(ai: ai, value: value))
            position = end
            if position < data.count, data[position] == gs { position += 1 }
        }
        return .success(elements)
    }

    /// Checks every value against its dictionary entry (unless `valuesChecked`: the reader did) and
    /// the associations between AIs; returns every problem.
    public static func validate(
        _ elements: [GS1Element], dictionary: GS1SyntaxDictionary, options: GS1Options, valuesChecked: Bool = false,
        at location: @autoclosure () -> String?
    ) -> [Diagnostic] {
        var problems: [Diagnostic] = []
        for element in elements where !valuesChecked {
            guard let entry = dictionary.entries[element.ai] else {
                if !options.permitUnknownAIs { problems.append(.error(.gs1AIInvalid, "(\(element.ai)) is not a known AI", at: location())) }
                continue
            }
            if let problem = GS1Linters.check(element, entry: entry, at: location()) { problems.append(problem) }
        }
        // A barcode holds a handful of elements: plain scans beat building sets and dictionaries.
        for (index, element) in elements.enumerated() {
            if let earlier = elements[..<index].last(where: { $0.ai == element.ai }), earlier.value != element.value {
                problems.append(.error(.gs1AIInvalid, "(\(element.ai)) appears twice with different values", at: location()))
            }
        }
        guard options.checkAssociations else { return problems }
        var present: [String] = []
        for element in elements where !present.contains(element.ai) { present.append(element.ai) }
        present.sort()
        func matches(_ pattern: String, _ ai: String) -> Bool {
            pattern.utf8.count == ai.utf8.count && zip(pattern.utf8, ai.utf8).allSatisfy { $0 == UInt8(ascii: "n") || $0 == $1 }
        }
        func isPresent(_ pattern: String, besides ai: String? = nil) -> Bool {
            present.contains { $0 != ai && matches(pattern, $0) }
        }
        for ai in present {
            guard let entry = dictionary.entries[ai] else { continue }
            for pattern in entry.excludes where isPresent(pattern, besides: ai) {
                problems.append(.error(.gs1AIInvalid, "(\(ai)) may not be used together with (\(pattern))", at: location()))
            }
            for clause in entry.requires where !clause.contains(where: { group in group.allSatisfy { isPresent($0) } }) {
                let wanted = clause.map { $0.map { "(\($0))" }.joined(separator: "+") }.joined(separator: " or ")
                problems.append(.error(.gs1AIInvalid, "(\(ai)) requires \(wanted)", at: location()))
            }
        }
        return problems
    }
}
