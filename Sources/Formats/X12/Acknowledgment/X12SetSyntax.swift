/// Checks a transaction set against X12's segment and element rules, as a 997 reports them: the
/// segments a set must have (AK304 3), and for the segments Crossdock reads, each element's
/// requirement, type and length (AK403 1, 3–6, 8, 9). Rules follow X12 004010; where 005010
/// allows more (an element added at the end, a longer maximum), the more permissive rule is
/// taken, so that a valid set of either version is never reported in error. Segments not listed
/// here are checked only for their tag (by the tokenizer). Code values (AK403 7) are not checked:
/// which codes a partner may send is a business rule, reported by the mapping, not here.
public enum X12SetSyntax {
    /// The outcome for one set: its AK5 codes and its segments in error.
    public struct Report: Sendable, Hashable {
        public var type: String
        public var controlNumber: String
        public var setErrors: [X12SetSyntaxError]
        public var segmentErrors: [X12SegmentError]

        /// AK501: `A` accepted, `R` rejected.
        public var accepted: Bool { setErrors.isEmpty && segmentErrors.isEmpty }
    }

    public static func check(_ set: X12TransactionSet, repeatedControlNumber: Bool = false) -> Report {
        var setErrors = set.syntaxErrors
        var segmentErrors = set.segmentErrors
        if set.type.utf8.count != 3 || !set.type.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }) { setErrors.append(.invalidIdentifier) }
        if set.controlNumber.utf8.count < 4 || set.controlNumber.utf8.count > 9 { setErrors.append(.invalidControlNumber) }
        if repeatedControlNumber { setErrors.append(.controlNumberNotUnique) }
        let flagged = Set(segmentErrors.map(\.position))
        // Before 004010 dates had six digits and other elements other lengths: only the envelope
        // and the tags are checked there.
        let checked = hasElementRules(set)
        // Each segment borrowed where it is, through the buffer: an array's subscript hands out a
        // copy, which retains the segment's storage and ranges.
        if checked {
            let rules = X12SegmentRules.rules
            set.segments.withUnsafeBufferPointer { segments in
                for index in segments.indices where flagged.isEmpty || !flagged.contains(index + 1) {
                    guard let rule = rules[segments[index].tagCode] else { continue }
                    let elements = check(segments[index], rule)
                    if !elements.isEmpty {
                        segmentErrors.append(
                            X12SegmentError(tag: segments[index].tag, position: index + 1, code: .dataElementErrors, elements: elements))
                    }
                }
            }
        }
        segmentErrors += missingSegments(set)
        segmentErrors.sort { $0.position < $1.position }
        if !segmentErrors.isEmpty, !setErrors.contains(.segmentsInError) { setErrors.append(.segmentsInError) }
        return Report(type: set.type, controlNumber: set.controlNumber, setErrors: setErrors, segmentErrors: segmentErrors)
    }

    /// Whether the set's version (GS08, else ISA12) is one the element rules are for.
    static func hasElementRules(_ set: X12TransactionSet) -> Bool {
        if let version = set.group?.version, version.utf8.count >= 6 { return version.prefix(6) >= "004010" }
        return set.interchange.version >= "00401"
    }

    /// The segments a set of its type must have, missing: reported at the position where each
    /// was looked for (the segment after the ST for the beginning segment, the trailer's for the
    /// first detail loop).
    static func missingSegments(_ set: X12TransactionSet) -> [X12SegmentError] {
        guard let required = X12SegmentRules.requiredSegments[set.type] else { return [] }
        var missing: [X12SegmentError] = []
        for (index, tag) in required.enumerated() where !set.segments.contains(where: { $0.tagCode == X12Segment.tagCode(tag.utf8) }) {
            // The beginning segment belongs right after the ST; a detail loop before the trailer.
            let position = index == 0 ? min(2, set.segments.count) : set.segments.count
            missing.append(X12SegmentError(tag: tag, position: position, code: .mandatorySegmentMissing))
        }
        return missing
    }

    /// The elements of `segment` in error under `rule`, read where they lie in the segment's
    /// storage (a slice per element would retain and release it).
    static func check(_ segment: X12Segment, _ segmentRule: X12SegmentRule) -> [X12ElementError] {
        var errors: [X12ElementError] = []
        let present = min(segmentRule.elements.count, segment.count)
        // Rules read in place: a rule copied out retains its reference's text.
        segmentRule.elements.withUnsafeBufferPointer { rule in
            segment.storage.withUnsafeBufferPointer { storage in
                // Beyond the segment's last element only a mandatory one matters (it is missing):
                // the rules past the last mandatory one are not looked at (LIN has 31, most LINs 5).
                for offset in 0..<max(present, segmentRule.mandatoryEnd) {
                    let position = offset + 1
                    guard offset < present, let range = segment.range(position) else {
                        if rule[offset].requirement == .mandatory {
                            errors.append(X12ElementError(position: position, reference: rule[offset].reference, code: .mandatoryElementMissing))
                        }
                        continue
                    }
                    let bytes = UnsafeBufferPointer(rebasing: storage[range])
                    guard bytes.contains(where: { $0 != 0x20 }) else {
                        if rule[offset].requirement == .mandatory {
                            errors.append(X12ElementError(position: position, reference: rule[offset].reference, code: .mandatoryElementMissing))
                        }
                        continue
                    }
                    if let code = rule[offset].problem(bytes) {
                        errors.append(
                            X12ElementError(
                                position: position, reference: rule[offset].reference, code: code, data: String(decoding: bytes, as: UTF8.self)))
                    }
                }
            }
        }
        if segment.count > segmentRule.elements.count {
            // Trailing empty elements are still elements the segment has too many of.
            errors.append(X12ElementError(position: segmentRule.elements.count + 1, code: .tooManyElements))
        }
        return errors
    }
}

/// A segment's element rules (by its packed tag), and how many of them it takes to hold the last
/// mandatory one.
struct X12SegmentRule: Sendable {
    var tagCode: UInt32
    var elements: [X12ElementRule]
    var mandatoryEnd: Int

    init(tagCode: UInt32, elements: [X12ElementRule]) {
        self.tagCode = tagCode
        self.elements = elements
        mandatoryEnd = (elements.lastIndex { $0.requirement == .mandatory } ?? -1) + 1
    }
}

/// One element's rule: requirement (M mandatory, O optional, X relational: checked as optional),
/// data element reference number, type and length.
struct X12ElementRule: Sendable {
    enum Requirement: Sendable { case mandatory, optional }
    enum Kind: Sendable {
        /// AN string, ID identifier: any characters of the character set.
        case text
        /// Nn: an integer with n implied decimal places (the sign does not count as length).
        case integer
        /// R: a decimal number (sign and point do not count as length).
        case decimal
        /// DT: CCYYMMDD (or YYMMDD for six digits).
        case date
        /// TM: HHMM, HHMMSS, HHMMSSd or HHMMSSdd.
        case time
        /// A composite: its components are not checked.
        case composite
    }

    var requirement: Requirement
    var reference: String
    var kind: Kind
    var minimum: Int
    var maximum: Int

    /// What is wrong with a present value, if anything.
    func problem(_ bytes: UnsafeBufferPointer<UInt8>) -> X12ElementSyntaxError? {
        switch kind {
        case .composite:
            return nil
        case .text:
            // Control characters are no characters of any X12 character set.
            if bytes.contains(where: { $0 < 0x20 || $0 == 0x7F }) { return .invalidCharacter }
            return length(bytes.count)
        case .integer:
            let digits = bytes.first == UInt8(ascii: "-") ? bytes.dropFirst() : bytes[...]
            guard !digits.isEmpty, digits.allSatisfy({ $0 >= 48 && $0 <= 57 }) else { return .invalidCharacter }
            return length(digits.count)
        case .decimal:
            let unsigned = bytes.first == UInt8(ascii: "-") ? bytes.dropFirst() : bytes[...]
            var digits = 0
            var points = 0
            for byte in unsigned {
                if byte >= 48 && byte <= 57 {
                    digits += 1
                } else if byte == UInt8(ascii: ".") {
                    points += 1
                } else {
                    return .invalidCharacter
                }
            }
            guard digits > 0, points <= 1 else { return .invalidCharacter }
            return length(digits)
        case .date:
            guard bytes.allSatisfy({ $0 >= 48 && $0 <= 57 }) else { return .invalidDate }
            if let problem = length(bytes.count) { return problem }
            return Self.isDate(bytes) ? nil : .invalidDate
        case .time:
            guard bytes.allSatisfy({ $0 >= 48 && $0 <= 57 }) else { return .invalidTime }
            if let problem = length(bytes.count) { return problem }
            return Self.isTime(bytes) ? nil : .invalidTime
        }
    }

    func length(_ count: Int) -> X12ElementSyntaxError? {
        count < minimum ? .tooShort : count > maximum ? .tooLong : nil
    }

    static func number(_ bytes: Slice<UnsafeBufferPointer<UInt8>>) -> Int { bytes.reduce(0) { $0 * 10 + Int($1 - 48) } }

    static func isDate(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard bytes.count == 8 || bytes.count == 6 else { return false }
        let start = bytes.startIndex
        let year = bytes.count == 8 ? number(bytes[start..<(start + 4)]) : 2000 + number(bytes[start..<(start + 2)])
        let month = number(bytes[(bytes.endIndex - 4)..<(bytes.endIndex - 2)])
        let day = number(bytes[(bytes.endIndex - 2)...])
        let lengths = [31, year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
        return (1...12).contains(month) && day >= 1 && day <= lengths[month - 1]
    }

    static func isTime(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard [4, 6, 7, 8].contains(bytes.count) else { return false }
        let start = bytes.startIndex
        guard number(bytes[start..<(start + 2)]) < 24, number(bytes[(start + 2)..<(start + 4)]) < 60 else { return false }
        return bytes.count < 6 || number(bytes[(start + 4)..<(start + 6)]) < 60
    }
}

/// The rules of the segments Crossdock reads in 856 and 214 sets.
enum X12SegmentRules {
    /// Each transaction set's mandatory segments: its beginning segment first.
    static let requiredSegments: [String: [String]] = [
        "856": ["BSN", "HL"],
        "214": ["B10"],
    ]

    /// `M` or `O` (X, relational, is checked as optional), reference, type (`AN`, `ID`, `N0`, `N2`,
    /// `R`, `DT`, `TM`, `C` composite), minimum and maximum length; one element per entry.
    static let written: [String: String] = [
        "ST": "M 143 ID 3 3, M 329 AN 4 9, O 1705 AN 1 35",
        "SE": "M 96 N0 1 10, M 329 AN 4 9",
        "BSN": "M 353 ID 2 2, M 396 AN 2 30, M 373 DT 8 8, M 337 TM 4 8, O 1005 ID 4 4, O 640 ID 2 2, O 641 ID 3 3",
        "HL": "M 628 AN 1 12, O 734 AN 1 12, M 735 ID 1 2, O 736 ID 1 1",
        "LIN": "O 350 AN 1 20, M 235 ID 2 2, M 234 AN 1 48"
            + String(repeating: ", O 235 ID 2 2, O 234 AN 1 48", count: 14),
        "SN1": "O 350 AN 1 20, M 382 R 1 10, M 355 ID 2 2, O 646 R 1 15, O 330 R 1 15, O 355 ID 2 2, O 728 ID 1 2, O 668 ID 2 2",
        "PRF": "M 324 AN 1 22, O 328 AN 1 8, O 327 AN 1 8, O 373 DT 8 8, O 350 AN 1 20, O 367 AN 1 30, O 92 ID 2 2",
        "REF": "M 128 ID 2 3, O 127 AN 1 50, O 352 AN 1 80, O C040 C 0 0",
        "N1": "M 98 ID 2 3, O 93 AN 1 60, O 66 ID 1 2, O 67 AN 2 80, O 706 ID 2 2, O 98 ID 2 3",
        "MAN": "M 88 ID 1 2, M 87 AN 1 48, O 87 AN 1 48, O 88 ID 1 2, O 87 AN 1 48, O 87 AN 1 48",
        "CTT": "M 354 N0 1 6, O 347 R 1 10, O 81 R 1 10, O 355 ID 2 2, O 183 R 1 8, O 355 ID 2 2, O 352 AN 1 80",
        "TD1": "O 103 AN 3 5, O 80 N0 1 7, O 23 ID 1 1, O 22 AN 1 30, O 79 AN 1 50, O 187 ID 1 2, O 81 R 1 10, O 355 ID 2 2, O 183 R 1 8, O 355 ID 2 2",
        "LX": "M 554 N0 1 6",
        "AT7": "O 1650 ID 2 2, O 1651 ID 2 2, O 1652 ID 1 2, O 1653 ID 2 2, O 373 DT 8 8, O 337 TM 4 8, O 623 ID 2 2",
        "G62": "O 432 ID 2 2, O 373 DT 8 8, O 176 ID 1 1, O 337 TM 4 8, O 623 ID 2 2",
        "K1": "M 61 AN 1 30, O 61 AN 1 30",
    ]

    /// The written rules, read once, by packed tag (``X12Segment/tagCode``).
    static let rules = Table(written.map { tag, text in X12SegmentRule(tagCode: X12Segment.tagCode(tag.utf8), elements: parse(text)) })

    /// Rules by the tag's first byte, three tags at most under one: looked up for every segment
    /// of a set, where hashing each tag for a dictionary cost more than the lookup is worth.
    struct Table: Sendable {
        private var buckets = [[X12SegmentRule]](repeating: [], count: 256)

        init(_ rules: [X12SegmentRule]) {
            for rule in rules { buckets[Int(rule.tagCode & 0xFF)].append(rule) }
        }

        subscript(tagCode: UInt32) -> X12SegmentRule? {
            for rule in buckets[Int(tagCode & 0xFF)] where rule.tagCode == tagCode { return rule }
            return nil
        }
    }

    static func parse(_ text: String) -> [X12ElementRule] {
        text.split(separator: ",").map { entry in
            let parts = entry.split(separator: " ")
            let kind: X12ElementRule.Kind =
                switch parts[2] {
                case "DT": .date
                case "TM": .time
                case "R": .decimal
                case "C": .composite
                case let type where type.hasPrefix("N"): .integer
                default: .text
                }
            return X12ElementRule(
                requirement: parts[0] == "M" ? .mandatory : .optional, reference: String(parts[1]), kind: kind,
                minimum: Int(parts[3])!, maximum: Int(parts[4])!)
        }
    }
}
