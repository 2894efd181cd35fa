public import Model

/// The GS1 syntax operations in the form the GS1 Syntax Engine's conformance vectors exercise
/// them: data strings in its "^" notation (a leading `^` is FNC1 in first position, a later `^`
/// an FNC1 separator), bracketed element strings, and the individual validations.
public enum GS1Engine {
    public struct Failure: Error, Sendable, CustomStringConvertible {
        public var message: String
        /// `CHECK_DIGIT` for a wrong check digit, else `GS1_AI_INVALID`.
        public var code: DiagnosticCode = .gs1AIInvalid
        public var description: String { message }
    }

    /// The validations that run over a whole message.
    public enum Validation: String, Sendable, CaseIterable {
        case mutex = "validateAImutex"
        case requisites = "validateAIrequisites"
        case repeats = "validateAIrepeats"
        case digitalSignatureSerialisedKey = "validateDigSigRequiresSerialisedKey"
    }

    /// A message in "^" notation: FNC1 first, and a separator after every AI that is not of
    /// pre-defined length (except the last).
    public static func dataString(_ elements: [GS1Element], dictionary: GS1SyntaxDictionary = .shipped) -> String {
        var text = "^"
        for (index, element) in elements.enumerated() {
            text += element.ai + element.value
            let predefined = dictionary.entries[element.ai]?.predefinedLength == true
            if !predefined && index < elements.count - 1 { text += "^" }
        }
        return text
    }

    /// Parses `(01)12345678901231(10)ABC` (a literal `(` in a value is written `\(`), checking each
    /// value's length, character set and linters; returns the elements.
    public static func parseBracketed(
        _ text: String, dictionary: GS1SyntaxDictionary = .shipped, options: GS1Options = GS1Options()
    ) -> Result<[GS1Element], Failure> {
        var elements: [GS1Element] = []
        var rest = Substring(text)
        guard !rest.isEmpty else { return .failure(Failure(message: "empty input")) }
        while !rest.isEmpty {
            guard rest.first == "(" else { return .failure(Failure(message: "expected '(' at '\(rest.prefix(8))'")) }
            guard let close = rest.firstIndex(of: ")") else { return .failure(Failure(message: "AI is not terminated")) }
            let ai = String(rest[rest.index(after: rest.startIndex)..<close])
            guard (2...4).contains(ai.count), ai.allSatisfy({ $0.isASCII && $0.isNumber }) else {
                return .failure(Failure(message: "'(\(ai))' is not an AI"))
            }
            rest = rest[rest.index(after: close)...]
            var value = ""
            while let character = rest.first, character != "(" {
                if character == "\\", rest.dropFirst().first == "(" {
                    value.append("(")
                    rest = rest.dropFirst(2)
                    continue
                }
                if character == "^" { return .failure(Failure(message: "'^' is not allowed in a value")) }
                value.append(character)
                rest = rest.dropFirst()
            }
            guard !value.isEmpty else { return .failure(Failure(message: "AI (\(ai)) has no value")) }
            elements.append(GS1Element(ai: ai, value: value))
        }
        for element in elements {
            if let problem = checkValue(element, dictionary: dictionary, options: options) { return .failure(problem) }
        }
        return .success(elements)
    }

    /// Checks one value against its dictionary entry; unknown AIs pass only when permitted (then any
    /// CSET 82 value up to 90 characters).
    static func checkValue(_ element: GS1Element, dictionary: GS1SyntaxDictionary, options: GS1Options) -> Failure? {
        if let entry = dictionary.entries[element.ai] {
            return GS1Linters.check(element, entry: entry, at: nil).map { Failure(message: $0.message, code: $0.code) }
        }
        guard options.permitUnknownAIs else { return Failure(message: "(\(element.ai)) is not a known AI") }
        guard element.value.utf8.count <= 90, element.value.utf8.allSatisfy({ GS1Linters.cset82.contains($0) }) else {
            return Failure(message: "(\(element.ai)) value is not CSET 82 data of at most 90 characters")
        }
        return nil
    }

    /// Whether the last digit is the GS1 check digit of the others; the corrected string when not.
    public static func validateParity(_ digits: String) -> (valid: Bool, corrected: String) {
        let bytes = Array(digits.utf8)
        guard let expected = GS1CheckDigit.compute(for: bytes.dropLast()) else { return (false, digits) }
        let corrected = String(decoding: bytes.dropLast() + [48 + expected], as: UTF8.self)
        return (corrected == digits, corrected)
    }

    /// Runs one whole-message validation; nil when it holds.
    public static func validate(
        _ validation: Validation, _ elements: [GS1Element], dictionary: GS1SyntaxDictionary = .shipped
    ) -> Failure? {
        let present = elements.map(\.ai)
        func matches(_ pattern: String, _ ai: String) -> Bool {
            pattern.count == ai.count && zip(pattern, ai).allSatisfy { $0 == "n" || $0 == $1 }
        }
        switch validation {
        case .repeats:
            var first: [String: String] = [:]
            for element in elements {
                if let value = first[element.ai], value != element.value {
                    return Failure(message: "(\(element.ai)) repeats with a different value")
                }
                first[element.ai] = first[element.ai] ?? element.value
            }
        case .mutex:
            for ai in present {
                guard let entry = dictionary.entries[ai] else { continue }
                for pattern in entry.excludes where present.contains(where: { $0 != ai && matches(pattern, $0) }) {
                    return Failure(message: "(\(ai)) may not be used together with (\(pattern))")
                }
            }
        case .requisites:
            for ai in present {
                guard let entry = dictionary.entries[ai] else { continue }
                for clause in entry.requires
                where !clause.contains(where: { group in group.allSatisfy { pattern in present.contains { matches(pattern, $0) } } }) {
                    return Failure(message: "(\(ai)) requires " + clause.map { $0.joined(separator: "+") }.joined(separator: " or "))
                }
            }
        case .digitalSignatureSerialisedKey:
            guard present.contains("8030") else { return nil }
            // The keys whose serial component is optional must carry it when signed.
            let serialLength: [String: Int] = ["253": 13, "255": 13, "8003": 14]
            for element in elements {
                if let keyLength = serialLength[element.ai], element.value.count <= keyLength {
                    return Failure(message: "(8030) needs (\(element.ai)) with its serial component")
                }
            }
        }
        return nil
    }

    /// Parses a Digital Link URI into its elements (as `parse_dl_uri`) and checks every value.
    public static func parseDigitalLink(
        _ uri: String, dictionary: GS1SyntaxDictionary = .shipped, options: GS1Options = GS1Options()
    ) -> Result<[GS1Element], Failure> {
        switch GS1DigitalLink.elements(uri, dictionary: dictionary, options: options) {
        case .failure(let failure): return .failure(Failure(message: failure.message))
        case .success(let elements):
            for element in elements {
                if let problem = checkValue(element, dictionary: dictionary, options: options) { return .failure(problem) }
            }
            return .success(elements)
        }
    }

    /// What a scanner transmitted (symbology identifier and data), as `process_scan_data` reads it.
    public struct ScanData: Sendable, Hashable {
        /// `GS1` data in "^" notation for GS1 symbologies; the plain data (a literal `^` written
        /// `\^`) for the others; the EAN/UPC digits, with `|` and the composite's GS1 data when
        /// there is one.
        public var data: String
        /// For plain data that is a GS1 Digital Link URI: its elements in "^" notation.
        public var digitalLink: String?
        public var elements: [GS1Element]
    }

    /// Symbology identifiers that carry GS1 element strings.
    static let gs1Symbologies: Set<String> = ["C1", "e0", "d2", "Q3", "J1"]
    /// Symbology identifiers that carry plain data (perhaps a Digital Link URI).
    static let plainSymbologies: Set<String> = ["Q1", "d1", "J0", "C0", "A0", "X0"]

    public static func processScanData(
        _ text: String, dictionary: GS1SyntaxDictionary = .shipped, options: GS1Options = GS1Options(), withDataString: Bool = true
    ) -> Result<ScanData, Failure> {
        func fail(_ message: String) -> Result<ScanData, Failure> { .failure(Failure(message: message)) }
        let bytes = Array(text.utf8)
        guard !bytes.isEmpty else { return fail("no data") }
        guard bytes.first == UInt8(ascii: "]") else { return fail("no symbology identifier") }
        guard bytes.count >= 3 else { return fail("the symbology identifier is cut short") }
        let symbology = String(decoding: bytes[1..<3], as: UTF8.self)
        let data = Array(bytes[3...])
        if gs1Symbologies.contains(symbology) {
            guard !data.isEmpty else { return fail("empty GS1 data") }
            guard !data.contains(UInt8(ascii: "^")) else { return fail("'^' is not allowed in GS1 data") }
            switch GS1Barcode.elementString(data, dictionary: dictionary, options: options, at: nil) {
            case .failure(let diagnostic): return fail(diagnostic.message)
            case .success(let elements):
                for element in elements {
                    if let problem = checkValue(element, dictionary: dictionary, options: options) { return .failure(problem) }
                }
                let data = withDataString ? dataString(elements, dictionary: dictionary) : ""
                return .success(ScanData(data: data, digitalLink: nil, elements: elements))
            }
        }
        if plainSymbologies.contains(symbology) {
            let content = String(decoding: data, as: UTF8.self)
            var escaped = ""
            for character in content { escaped += character == "^" ? "\\^" : String(character) }
            let isLink = ["http://", "https://", "HTTP://", "HTTPS://"].contains { content.hasPrefix($0) }
            guard isLink else { return .success(ScanData(data: escaped, digitalLink: nil, elements: [])) }
            switch parseDigitalLink(content, dictionary: dictionary, options: options) {
            case .failure(let failure): return .failure(failure)
            case .success(let elements):
                return .success(ScanData(data: escaped, digitalLink: dataString(elements, dictionary: dictionary), elements: elements))
            }
        }
        if symbology == "E0" || symbology == "E4" {
            // EAN-13 (and UPC-A as EAN-13) or EAN-8, optionally with a GS1 composite after "|".
            let parts = text.dropFirst(3).split(separator: "|", maxSplits: 1).map(String.init)
            let digits = parts.first ?? ""
            let length = symbology == "E0" ? 13 : 8
            guard digits.utf8.count == length, digits.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }) else {
                return fail("]\(symbology) needs \(length) digits")
            }
            guard validateParity(digits).valid else {
                return .failure(Failure(message: "]\(symbology) data has a wrong check digit", code: .checkDigit))
            }
            var elements = [GS1Element(ai: "01", value: String(repeating: "0", count: 14 - length) + digits)]
            var output = digits
            if parts.count == 2 {
                switch processScanData(parts[1], dictionary: dictionary, options: options) {
                case .failure(let failure): return .failure(failure)
                case .success(let composite):
                    guard parts[1].hasPrefix("]e0") else { return fail("the composite of an EAN/UPC must be ]e0") }
                    output += "|" + composite.data
                    elements += composite.elements
                }
            }
            return .success(ScanData(data: output, digitalLink: nil, elements: elements))
        }
        return fail("unknown symbology identifier ]\(symbology)")
    }

    /// The linter result of a bracketed message (as `lint`): `GS1_LINTER_OK`, or the code of the
    /// first failing check of the first failing AI.
    public static func lint(
        _ text: String, dictionary: GS1SyntaxDictionary = .shipped, options: GS1Options = GS1Options()
    ) -> String {
        guard case .success(let elements) = parseBracketed(text, dictionary: dictionary, options: GS1Options(permitUnknownAIs: true)) else {
            // Parsing validates values too; re-run to find the linter code of the first failure.
            return firstLinterCode(text, dictionary: dictionary) ?? "GS1_LINTER_PARSE_ERROR"
        }
        for element in elements {
            guard let entry = dictionary.entries[element.ai] else { continue }
            if let problem = GS1Linters.problem(element, entry: entry) { return problem.code }
        }
        return "GS1_LINTER_OK"
    }

    static func firstLinterCode(_ text: String, dictionary: GS1SyntaxDictionary) -> String? {
        var rest = Substring(text)
        while rest.first == "(", let close = rest.firstIndex(of: ")") {
            let ai = String(rest[rest.index(after: rest.startIndex)..<close])
            rest = rest[rest.index(after: close)...]
            let value = String(rest.prefix { $0 != "(" })
            rest = rest.dropFirst(value.count)
            if let entry = dictionary.entries[ai], let problem = GS1Linters.problem(GS1Element(ai: ai, value: value), entry: entry) {
                return problem.code
            }
        }
        return nil
    }
}
