public import Model

/// What the tokenizer saw of one interchange, for `crossdock inspect` and for envelope checks.
public struct X12InterchangeSummary: Sendable {
    public var header: X12InterchangeHeader
    public var groups: [X12GroupSummary]
    /// ISA/IEA findings (counts, control numbers, a missing IEA).
    public var diagnostics: [Diagnostic]
    /// The same as TA1 note codes (TA105).
    public var notes: [X12InterchangeNote] = []
    /// TA104 of each TA1 the interchange carries (an acknowledgment sent to us).
    public var interchangeAcknowledgments: [String] = []
}

public struct X12GroupSummary: Sendable {
    public var header: X12GroupHeader
    /// ST01/ST02 of each set, in order.
    public var sets: [(type: String, controlNumber: String, segments: Int)]
    /// GS/GE findings.
    public var diagnostics: [Diagnostic]
    /// The same as functional group syntax error codes (AK905).
    public var errors: [X12GroupSyntaxError] = []
    /// ST02s that more than one set of the group uses.
    public var repeatedControlNumbers: Set<String> = []
    /// GE01, when the group had a GE that stated a number.
    public var declaredSets: Int? = nil
}

/// The result of reading an input: its interchanges and the findings that belong to no single
/// transaction set.
public struct X12ReadResult: Sendable {
    public var interchanges: [X12InterchangeSummary]
    /// Findings about the input as a whole (no ISA, data after the last IEA).
    public var diagnostics: [Diagnostic]

    /// Every finding outside transaction sets.
    public var envelopeDiagnostics: [Diagnostic] {
        diagnostics + interchanges.flatMap { $0.diagnostics + $0.groups.flatMap(\.diagnostics) }
    }
}

/// A byte-level X12 tokenizer. Separators come from each ISA (element separator at byte 3,
/// ISA16 component separator, the segment terminator after ISA16, ISA11 repetition separator from
/// 00402 on); a UTF-8 byte-order mark, multi-byte terminators, an ISA that is not fixed-width,
/// line breaks after terminators, and several interchanges, groups and sets per input are all
/// accepted. When the terminator is not a line break, CR and LF anywhere are ignored (files
/// hard-wrapped at 80 columns).
///
/// Transaction sets are handed to the caller one at a time as soon as their SE is read, so the
/// caller never holds more than one set's segments.
public enum X12Reader {
    public struct Options: Sendable {
        /// Bytes that also end a segment when a line break follows them: for partners whose
        /// files mix terminators (`~` plus newline inside a file whose ISA says `$`). The element
        /// separator and line breaks themselves are never taken for one.
        public var alternateTerminators: [UInt8]

        public init(alternateTerminators: [UInt8] = []) { self.alternateTerminators = alternateTerminators }
    }

    public static func read(_ input: [UInt8], options: Options = Options(), onSet: (X12TransactionSet) -> Void) -> X12ReadResult {
        var reader = Reader(input: input)
        reader.alternates = options.alternateTerminators
        reader.run(onSet: onSet)
        return X12ReadResult(interchanges: reader.interchanges, diagnostics: reader.inputDiagnostics)
    }

    /// Reads all transaction sets into an array (for small inputs and tests).
    public static func readAll(_ input: [UInt8], options: Options = Options()) -> (sets: [X12TransactionSet], result: X12ReadResult) {
        var sets: [X12TransactionSet] = []
        let result = read(input, options: options) { sets.append($0) }
        return (sets, result)
    }

    /// The sender identifiers of the first interchange (ISA06, GS02), read without tokenizing the
    /// rest, so a partner's reading options can be chosen first.
    /// ST01 of the first transaction set within the first 8 KB, with the separators the ISA
    /// gives: what kind of input an interchange is, without reading it.
    public static func firstSetType(_ input: [UInt8]) -> String? {
        let reader = Reader(input: input)
        var start = 0
        if input.starts(with: [0xEF, 0xBB, 0xBF]) { start = 3 }
        while start < input.count, Reader.isSpace(input[start]) { start += 1 }
        guard case .success(let (separators, _)) = reader.separators(at: start) else { return nil }
        let end = min(input.count, start + 8192)
        let terminator = separators.segment
        var position = start
        while position < end {
            // The next segment starts after a terminator and any line breaks or blanks.
            guard let found = Self.find(terminator, in: input, from: position, to: end) else { return nil }
            position = found + terminator.count
            while position < end, Reader.isSpace(input[position]) { position += 1 }
            guard position + 3 < end, input[position] == UInt8(ascii: "S"), input[position + 1] == UInt8(ascii: "T"),
                input[position + 2] == separators.element
            else { continue }
            var last = position + 3
            while last < end, input[last] != separators.element, input[last] != terminator[0] { last += 1 }
            return String(decoding: input[(position + 3)..<last], as: UTF8.self)
        }
        return nil
    }

    /// Where `pattern` first starts in `input[from..<to]`. A plain scan: the generic
    /// `firstRange(of:)` indexes its whole haystack first, 8 KB for every segment looked at.
    static func find(_ pattern: [UInt8], in input: [UInt8], from: Int, to end: Int) -> Int? {
        guard let first = pattern.first else { return nil }
        var index = from
        while index + pattern.count <= end {
            guard let candidate = input[index..<(end - pattern.count + 1)].firstIndex(of: first) else { return nil }
            if input[candidate..<(candidate + pattern.count)].elementsEqual(pattern) { return candidate }
            index = candidate + 1
        }
        return nil
    }

    public static func senders(_ input: [UInt8]) -> [String] {
        let reader = Reader(input: input)
        var start = 0
        if input.starts(with: [0xEF, 0xBB, 0xBF]) { start = 3 }
        while start < input.count, Reader.isSpace(input[start]) { start += 1 }
        guard case .success(let (separators, _)) = reader.separators(at: start) else { return [] }
        let end = min(input.count, start + 4096)
        let terminator = separators.segment[0]
        /// Element `number` of the segment whose tag is followed by the separator at `tagEnd`, trimmed.
        func element(_ number: Int, after tagEnd: Int) -> String {
            var separator = tagEnd  // the separator before the element looked for
            for _ in 1..<number {
                var next = separator + 1
                while next < end, input[next] != separators.element {
                    if input[next] == terminator { return "" }
                    next += 1
                }
                guard next < end else { return "" }
                separator = next
            }
            var last = separator + 1
            while last < end, input[last] != separators.element, input[last] != terminator { last += 1 }
            return String(decoding: input[min(separator + 1, last)..<last], as: UTF8.self).trimmingSpaces()
        }
        var found = [element(6, after: start + 3)]
        var gs = start + 3
        while gs + 2 < end,
            !(input[gs] == UInt8(ascii: "G") && input[gs + 1] == UInt8(ascii: "S") && input[gs + 2] == separators.element)
        {
            gs += 1
        }
        if gs + 2 < end { found.insert(element(2, after: gs + 2), at: 0) }
        return found.filter { !$0.isEmpty }
    }
}

private let CR: UInt8 = 0x0D
private let LF: UInt8 = 0x0A

private struct Reader {
    let input: [UInt8]
    var alternates: [UInt8] = []
    var interchanges: [X12InterchangeSummary] = []
    var inputDiagnostics: [Diagnostic] = []
    var setIndex = 0

    init(input: [UInt8]) { self.input = input }

    static func isSpace(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x09 || byte == CR || byte == LF }

    func describe(at position: Int) -> String {
        let end = min(input.count, position + 12)
        let text = String(decoding: input[position..<end], as: UTF8.self)
        return text.map { $0.isASCII && !$0.isWhitespace ? String($0) : "·" }.joined()
    }

    mutating func run(onSet: (X12TransactionSet) -> Void) {
        var position = 0
        if input.starts(with: [0xEF, 0xBB, 0xBF]) { position = 3 }
        while true {
            while position < input.count, Self.isSpace(input[position]) { position += 1 }
            guard position < input.count else { break }
            guard input.count - position >= 3, input[position] == UInt8(ascii: "I"), input[position + 1] == UInt8(ascii: "S"),
                input[position + 2] == UInt8(ascii: "A")
            else {
                let message =
                    interchanges.isEmpty
                    ? "the input must start with an ISA segment; found '\(describe(at: position))'"
                    : "unexpected data after the last interchange: '\(describe(at: position))'"
                inputDiagnostics.append(.error(.x12Syntax, message, at: "byte \(position)"))
                return
            }
            guard let next = interchange(at: position, onSet: onSet) else { return }
            position = next
        }
        if interchanges.isEmpty && inputDiagnostics.isEmpty {
            inputDiagnostics.append(.error(.x12Syntax, "the input holds no interchange", at: "byte 0"))
        }
    }

    /// Reads the separators from the ISA at `start`.
    func separators(at start: Int) -> Result<(X12Separators, ignoreLineBreaks: Bool), Diagnostic> {
        guard start + 4 <= input.count else {
            return .failure(.error(.x12Syntax, "the ISA segment is cut short", at: "byte \(start)"))
        }
        let element = input[start + 3]
        guard !(element.isAlphanumeric || Self.isSpace(element)) else {
            return .failure(
                .error(.x12Syntax, "ISA element separator '\(Character(Unicode.Scalar(element)))' is not a delimiter", at: "byte \(start + 3)"))
        }
        var position = start + 3
        var count = 0
        while position < input.count, count < 16 {
            if input[position] == element { count += 1 }
            position += 1
        }
        // ISA16 is the first byte after the 16th separator that is not a line break (some files
        // are hard-wrapped inside the ISA).
        while position < input.count, input[position] == CR || input[position] == LF { position += 1 }
        guard count == 16, position < input.count else {
            return .failure(.error(.x12Syntax, "the ISA segment is cut short: it needs 16 elements", at: "byte \(start)"))
        }
        let component = input[position]
        position += 1
        guard position < input.count else {
            return .failure(.error(.x12Syntax, "no segment terminator after ISA16", at: "byte \(position)"))
        }
        let lead = input[position]
        if lead.isAlphanumeric || lead == element || lead == 0x20 {
            return .failure(
                .error(
                    .x12Syntax,
                    "no segment terminator after ISA16: found '\(describe(at: position))'; the ISA must be followed by a terminator",
                    at: "byte \(position)"))
        }
        var terminator: [UInt8]
        switch lead {
        case CR where position + 1 < input.count && input[position + 1] == LF: terminator = [LF]
        case 0xC0...0xDF: terminator = Array(input[position..<min(input.count, position + 2)])
        case 0xE0...0xEF: terminator = Array(input[position..<min(input.count, position + 3)])
        case 0xF0...0xF7: terminator = Array(input[position..<min(input.count, position + 4)])
        default: terminator = [lead]
        }
        let ignoreLineBreaks = !(terminator == [LF] || terminator == [CR])
        // ISA11 is the repetition separator from version 00402 on (before, the standards identifier U).
        // ISA11 follows the 11th separator (the one after the tag is the first), ISA12 the 12th.
        var seen = 0
        var isa11 = start
        var isa12 = start
        var isa12End = position
        for index in (start + 3)..<position where input[index] == element {
            seen += 1
            if seen == 11 { isa11 = index + 1 }
            if seen == 12 { isa12 = index + 1 }
            if seen == 13 {
                isa12End = index
                break
            }
        }
        var repetition: UInt8? = nil
        if seen >= 12 {
            func field(_ range: Range<Int>) -> ArraySlice<UInt8> { input[range].filter { $0 != CR && $0 != LF }[...] }
            let version = String(decoding: field(isa12..<isa12End), as: UTF8.self)
            let repetitionField = field(isa11..<(isa12 - 1))
            if version >= "00402", repetitionField.count == 1, let byte = repetitionField.first, !byte.isAlphanumeric {
                repetition = byte
            }
        }
        return .success(
            (X12Separators(element: element, component: component, repetition: repetition, segment: terminator), ignoreLineBreaks))
    }

    /// Reads one interchange; returns where the next one may start, or nil when reading must stop.
    mutating func interchange(at start: Int, onSet: (X12TransactionSet) -> Void) -> Int? {
        let separators: X12Separators
        let ignoreLineBreaks: Bool
        switch self.separators(at: start) {
        case .failure(let diagnostic):
            inputDiagnostics.append(diagnostic)
            return nil
        case .success(let found):
            (separators, ignoreLineBreaks) = found
        }
        var envelope = Envelope(input: input, separators: separators)
        let classes = ByteClasses(separators, alternates: alternates)
        var position = start
        var segmentNumber = 0
        while position < input.count {
            // Skip line breaks and blanks between segments.
            while position < input.count, Self.isSpace(input[position]) { position += 1 }
            guard position < input.count else { break }
            // The segment's element ranges go straight after the open set's.
            let first = envelope.elements.count
            let (end, terminatorLength, lineBreak) = scan(from: position, separators, classes, into: &envelope.elements)
            var filtered: [UInt8]? = nil
            if lineBreak {
                if ignoreLineBreaks {
                    let bytes = input[position..<end].filter { $0 != CR && $0 != LF }
                    filtered = bytes
                    envelope.elements.removeSubrange(first...)
                    Self.split(bytes, 0..<bytes.count, on: separators.element, into: &envelope.elements)
                } else if input[end - 1] == CR {
                    let last = envelope.elements.count - 1
                    envelope.elements[last] = envelope.elements[last].lowerBound..<(envelope.elements[last].upperBound - 1)
                }
            }
            segmentNumber += 1
            let segment = ScannedSegment(
                tagCode: X12Segment.tagCode((filtered ?? input)[envelope.elements[first]]), filtered: filtered,
                elements: first..<envelope.elements.count, offset: position, number: segmentNumber)
            position = min(input.count, end + terminatorLength)
            // An ISA inside an interchange begins the next one: this one ends there, cut short,
            // and the next is read with its own separators.
            if segmentNumber > 1, segment.tagCode == X12Segment.tagCode("ISA") {
                envelope.diagnostics.append(
                    .error(
                        .x12Envelope, "a new interchange (ISA at byte \(segment.offset)) begins before this one's IEA",
                        at: envelope.controlLabel))
                envelope.notes.append(.prematureEnd)
                position = segment.offset
                break
            }
            let done = envelope.accept(segment, onSet: onSet, setIndex: &setIndex)
            if done { break }
        }
        interchanges.append(envelope.finish(onSet: onSet, setIndex: &setIndex))
        return position
    }

    /// What each byte value can be to `scan`, as bits: the segment terminator's first byte, the
    /// element separator, a line break, a partner's alternate terminator. Most bytes are none.
    struct ByteClasses {
        static let terminator: UInt8 = 1
        static let separator: UInt8 = 2
        static let lineBreak: UInt8 = 4
        static let alternate: UInt8 = 8

        var table = [UInt8](repeating: 0, count: 256)

        init(_ separators: X12Separators, alternates: [UInt8]) {
            table[Int(separators.segment[0])] |= Self.terminator
            table[Int(separators.element)] |= Self.separator
            table[Int(CR)] |= Self.lineBreak
            table[Int(LF)] |= Self.lineBreak
            for byte in alternates { table[Int(byte)] |= Self.alternate }
        }
    }

    /// Reads the segment starting at `start` in one pass: appends its element ranges to `elements`
    /// (the tag's first) and returns where it ends, the terminator's length there (0 at the end of
    /// the input) and whether a line break is inside it.
    func scan(from start: Int, _ separators: X12Separators, _ classes: ByteClasses, into elements: inout [Range<Int>]) -> (
        end: Int, terminatorLength: Int, lineBreak: Bool
    ) {
        input.withUnsafeBufferPointer { buffer in
            classes.table.withUnsafeBufferPointer { table in
                var position = start
                var elementStart = start
                var lineBreak = false
                var length = 0
                while position < buffer.count {
                    let byte = buffer[position]
                    let kind = table[Int(byte)]
                    if kind != 0 {
                        if kind & ByteClasses.terminator != 0 {
                            let terminator = separators.segment
                            if terminator.count == 1 {
                                length = 1
                                break
                            }
                            if position + terminator.count <= buffer.count,
                                buffer[position..<(position + terminator.count)].elementsEqual(terminator)
                            {
                                length = terminator.count
                                break
                            }
                        }
                        if kind & ByteClasses.separator != 0 {
                            elements.append(elementStart..<position)
                            elementStart = position + 1
                        } else if kind & ByteClasses.lineBreak != 0 {
                            lineBreak = true
                        } else if kind & ByteClasses.alternate != 0, position + 1 < buffer.count,
                            buffer[position + 1] == CR || buffer[position + 1] == LF
                        {
                            // A partner's other terminator, followed by a line break.
                            length = 1
                            break
                        }
                    }
                    position += 1
                }
                elements.append(elementStart..<position)
                return (position, length, lineBreak)
            }
        }
    }

    /// Appends the element ranges of the segment in `storage[range]` to `elements` (the tag's
    /// first).
    static func split(_ storage: [UInt8], _ range: Range<Int>, on separator: UInt8, into elements: inout [Range<Int>]) {
        var elementStart = range.lowerBound
        for index in range where storage[index] == separator {
            elements.append(elementStart..<index)
            elementStart = index + 1
        }
        elements.append(elementStart..<range.upperBound)
    }
}

/// A segment as the tokenizer found it, before the envelope decides where it belongs.
private struct ScannedSegment {
    var tagCode: UInt32
    /// The segment's own bytes when line breaks inside it were removed; nil when its ranges are
    /// into the input.
    var filtered: [UInt8]?
    /// Its run of the envelope's `elements` (the tag's range first).
    var elements: Range<Int>
    var offset: Int
    /// Position within the interchange.
    var number: Int
}

/// The segments of a transaction set being read. Their element ranges are in the envelope's
/// `elements`, one run per segment, so a segment costs no allocation of its own.
private struct OpenSet {
    struct Entry {
        var tagCode: UInt32
        /// Its run of the elements.
        var elements: Range<Int>
        var offset: Int
        /// Its index in `filtered` when line breaks inside it were removed (rare), else -1.
        var filtered: Int
    }

    var type: String
    var control: String
    var diagnostics: [Diagnostic]
    /// The set's envelope faults and the segments whose tag is none, as a 997 reports them.
    var errors: [X12SetSyntaxError] = []
    var segmentErrors: [X12SegmentError] = []
    var entries: [Entry] = []
    /// The bytes of segments that had line breaks removed.
    var filtered: [[UInt8]] = []
    /// Segments past ``maximumSegments``: counted, not kept (the set is rejected).
    var unread = 0

    /// The most segments a set keeps. A 10 MB record of segments of ten bytes or more holds
    /// fewer; one of one-byte segments (`Z~`) would hold five million, each with its position.
    static let maximumSegments = 1_000_000

    /// A set with room for `capacity` segments before its entries grow.
    init(type: String, control: String, diagnostics: [Diagnostic], capacity: Int) {
        self.type = type
        self.control = control
        self.diagnostics = diagnostics
        entries.reserveCapacity(capacity)
    }

    /// Every segment read so far, kept or not.
    var count: Int { entries.count + unread }

    /// Keeps a segment (the SE always: its counts are checked).
    mutating func append(_ segment: ScannedSegment, trailer: Bool = false) {
        guard trailer || entries.count < Self.maximumSegments else {
            unread += 1
            return
        }
        var index = -1
        if let bytes = segment.filtered {
            index = filtered.count
            filtered.append(bytes)
        }
        entries.append(Entry(tagCode: segment.tagCode, elements: segment.elements, offset: segment.offset, filtered: index))
    }

    /// The segments, numbered from 1 (the ST), their ranges slices of `elements`.
    func segments(input: [UInt8], elements: [Range<Int>], separators: X12Separators) -> [X12Segment] {
        var segments: [X12Segment] = []
        segments.reserveCapacity(entries.count)
        for (index, entry) in entries.enumerated() {
            segments.append(
                X12Segment(
                    tagCode: entry.tagCode, storage: entry.filtered < 0 ? input : filtered[entry.filtered],
                    ranges: elements[entry.elements], elementSeparator: separators.element,
                    componentSeparator: separators.component, offset: entry.offset, number: index + 1))
        }
        return segments
    }
}

extension UInt8 {
    var isAlphanumeric: Bool {
        (self >= UInt8(ascii: "0") && self <= UInt8(ascii: "9")) || (self >= UInt8(ascii: "A") && self <= UInt8(ascii: "Z"))
            || (self >= UInt8(ascii: "a") && self <= UInt8(ascii: "z"))
    }
}

/// The ISA/GS/ST state machine of one interchange: it collects the segments of each set and checks
/// counts and control numbers.
private struct Envelope {
    let input: [UInt8]
    let separators: X12Separators
    var header: X12InterchangeHeader?
    var groups: [X12GroupSummary] = []
    var diagnostics: [Diagnostic] = []
    var group: X12GroupHeader?
    var groupSets: [(type: String, controlNumber: String, segments: Int)] = []
    var groupDiagnostics: [Diagnostic] = []
    var groupErrors: [X12GroupSyntaxError] = []
    var notes: [X12InterchangeNote] = []
    var interchangeAcknowledgments: [String] = []
    var set: OpenSet?
    /// The findings kept of the open set and of the interchange outside it.
    var setCap = FindingCap()
    var interchangeCap = FindingCap()
    /// The element ranges of the open set's segments, then those of the segment being read. A
    /// closed set's segments keep slices of the array; the next set starts a new one.
    var elements: [Range<Int>] = []
    var closed = false

    init(input: [UInt8], separators: X12Separators) {
        self.input = input
        self.separators = separators
    }

    var controlLabel: String { "ISA \(header?.controlNumber ?? "?")" }

    static func sameControl(_ a: String, _ b: String) -> Bool {
        let x = a.trimmingSpaces()
        let y = b.trimmingSpaces()
        if let m = Int(x), let n = Int(y) { return m == n }
        return x == y
    }

    /// An envelope segment on its own, numbered `number`.
    func standalone(_ scanned: ScannedSegment, number: Int? = nil) -> X12Segment {
        X12Segment(
            tagCode: scanned.tagCode, storage: scanned.filtered ?? input, ranges: elements[scanned.elements],
            elementSeparator: separators.element, componentSeparator: separators.component, offset: scanned.offset,
            number: number ?? scanned.number)
    }

    /// The tag's bytes of a scanned segment (within its filtered bytes or the input).
    func tagBytes(_ scanned: ScannedSegment) -> ArraySlice<UInt8> {
        (scanned.filtered ?? input)[elements[scanned.elements.lowerBound]]
    }

    /// The tag as text, for messages.
    func tag(_ scanned: ScannedSegment) -> String { String(decoding: tagBytes(scanned), as: UTF8.self) }

    /// Handles one segment; returns true after the IEA. The ranges of a segment that no set keeps
    /// are dropped.
    mutating func accept(_ scanned: ScannedSegment, onSet: (X12TransactionSet) -> Void, setIndex: inout Int) -> Bool {
        let done = handle(scanned, onSet: onSet, setIndex: &setIndex)
        let kept = set?.entries.last?.elements.upperBound ?? 0
        if elements.count > kept { elements.removeSubrange(kept...) }
        return done
    }

    /// Whether a packed tag is 2 or 3 upper-case letters and digits (longer tags are never).
    static func isStandardTag(_ code: UInt32) -> Bool {
        @inline(__always) func standard(_ byte: UInt32) -> Bool {
            let byte = UInt8(truncatingIfNeeded: byte)
            return byte &- UInt8(ascii: "0") < 10 || byte &- UInt8(ascii: "A") < 26
        }
        let length = code >> 24
        guard length == 2 || length == 3 else { return false }
        return standard(code) && standard(code >> 8) && (length == 2 || standard(code >> 16))
    }

    /// Handles one segment by its tag; returns true after the IEA.
    mutating func handle(_ scanned: ScannedSegment, onSet: (X12TransactionSet) -> Void, setIndex: inout Int) -> Bool {
        if !Self.isStandardTag(scanned.tagCode) {
            flagTag(scanned)
            return false
        }
        // Envelope and service tags start with I, G, S or T; any other segment belongs to the open set.
        let first = UInt8(truncatingIfNeeded: scanned.tagCode)
        guard first == UInt8(ascii: "I") || first == UInt8(ascii: "G") || first == UInt8(ascii: "S") || first == UInt8(ascii: "T") else {
            appendToSet(scanned)
            return false
        }
        switch scanned.tagCode {
        case X12Segment.tagCode("ISA"):
            readISA(scanned)
        case X12Segment.tagCode("GS"):
            let segment = standalone(scanned)
            closeSet(missing: true, onSet: onSet, setIndex: &setIndex)
            closeGroup(trailer: nil)
            group = X12GroupHeader(
                functionalID: segment[1], senderCode: segment.trimmed(2), receiverCode: segment.trimmed(3),
                date: segment[4], time: segment[5], controlNumber: segment.trimmed(6), version: segment[8], offset: scanned.offset)
            groupSets = []
            groupDiagnostics = []
        case X12Segment.tagCode("ST"):
            openSet(scanned, onSet: onSet, setIndex: &setIndex)
        case X12Segment.tagCode("SE"):
            closeSet(trailer: scanned, onSet: onSet, setIndex: &setIndex)
        case X12Segment.tagCode("GE"):
            let trailer = standalone(scanned)
            closeSet(missing: true, onSet: onSet, setIndex: &setIndex)
            closeGroup(trailer: trailer)
        case X12Segment.tagCode("IEA"):
            closeInterchange(scanned, onSet: onSet, setIndex: &setIndex)
            return true
        case X12Segment.tagCode("TA1"):
            // An interchange acknowledgment the partner sends us: its TA104 (A, E, R) is kept.
            interchangeAcknowledgments.append(standalone(scanned)[4])
        case X12Segment.tagCode("ISB"), X12Segment.tagCode("ISE"):
            // Interchange-level service segments: allowed between ISA and the first GS.
            break
        default:
            appendToSet(scanned)
        }
        return false
    }

    /// A segment whose tag is not a standard one: kept with its set and flagged.
    mutating func flagTag(_ scanned: ScannedSegment) {
        let tagBytes = tagBytes(scanned)
        let length = tagBytes.count
        let wellFormed = length > 0 && tagBytes.allSatisfy { $0.isAlphanumeric && !($0 >= 97 && $0 <= 122) }
        // X12 tags are 2 or 3 upper-case letters and digits. Longer ones are kept (test files use
        // placeholder tags) but flagged; anything else is not a segment.
        let standard = wellFormed && length > 3 && length <= 8
        let segmentNumber = set.map { $0.count + 1 } ?? scanned.number
        func problem() -> Diagnostic {
            let tag = tag(scanned)
            let location = InputLocation(.transactionSet, control: set?.control, segment: segmentNumber, tag: tag)
            return standard
                ? .warning(.x12Syntax, "'\(tag)' is not a standard segment tag (2 or 3 characters)", at: location.description)
                : .error(.x12Syntax, "'\(tag.prefix(20))' is not a segment tag", at: location.description)
        }
        let severity: Severity = standard ? .warning : .error
        if set != nil {
            // An empty segment (a terminator right after another) holds nothing to read: flagged
            // where it is, not kept, so that millions of them take no memory.
            let empty = length == 0 && scanned.elements.count == 1
            if !empty { set!.append(scanned) }
            if setCap.admits(set!.diagnostics, severity, .x12Syntax) { set!.diagnostics.append(problem()) }
            // The acknowledgment lists the first of them (the set is rejected either way).
            if set!.segmentErrors.count < FindingCap.listed {
                set!.segmentErrors.append(
                    X12SegmentError(
                        tag: String(tag(scanned).prefix(3)), position: empty ? set!.count + 1 : set!.count, code: .unrecognizedSegmentID))
            }
        } else {
            if interchangeCap.admits(diagnostics, severity, .x12Syntax) { diagnostics.append(problem()) }
            // Something that is no segment between the envelope's segments rejects every set of
            // the interchange; its TA1 says so (024), as the sets' rejections do.
            if severity == .error, !notes.contains(.invalidContent) { notes.append(.invalidContent) }
        }
    }

    /// ISA: the interchange's header, with its 16 elements.
    mutating func readISA(_ scanned: ScannedSegment) {
        let segment = standalone(scanned)
        header = X12InterchangeHeader(
            senderQualifier: segment.trimmed(5), senderID: segment.trimmed(6), receiverQualifier: segment.trimmed(7),
            receiverID: segment.trimmed(8), date: segment[9], time: segment[10], version: segment[12],
            controlNumber: segment.trimmed(13), usage: segment[15], separators: separators, offset: segment.offset)
        header!.acknowledgmentRequested = segment.trimmed(14)
        if segment.count != 16 {
            diagnostics.append(
                .error(.x12Syntax, "ISA has \(segment.count) elements, expected 16", at: "\(controlLabel) / ISA"))
            notes.append(.invalidControlStructure)
        }
    }

    /// ST: closes a set left open and opens this one.
    mutating func openSet(_ scanned: ScannedSegment, onSet: (X12TransactionSet) -> Void, setIndex: inout Int) {
        let segment = standalone(scanned, number: 1)
        closeSet(missing: true, onSet: onSet, setIndex: &setIndex)
        // The set's element ranges start with the ST's, in an array of their own, with room for
        // a set as long as the rest of the input (up to a bound; about four bytes an element).
        let remaining = input.count - scanned.offset
        var fresh: [Range<Int>] = []
        fresh.reserveCapacity(min(max(64 * 6, remaining / 3), 1 << 15))
        fresh.append(contentsOf: segment.ranges)
        var scanned = scanned
        scanned.elements = 0..<fresh.count
        elements = fresh
        var setDiagnostics: [Diagnostic] = []
        if group == nil {
            notes.append(.invalidControlStructure)
            setDiagnostics.append(
                .error(
                    .x12Envelope, "transaction set \(segment[2]) is not inside a functional group (GS)",
                    at: segment.location(set: segment[2])))
        }
        set = OpenSet(
            type: segment[1], control: segment.trimmed(2), diagnostics: setDiagnostics,
            capacity: min(max(64, remaining / 16), 1 << 13))
        set!.append(scanned)
    }

    /// SE: the set's count and control number checked, and the set closed.
    mutating func closeSet(trailer scanned: ScannedSegment, onSet: (X12TransactionSet) -> Void, setIndex: inout Int) {
        guard set != nil else {
            if interchangeCap.admits(diagnostics, .error, .x12Envelope) {
                diagnostics.append(.error(.x12Envelope, "SE without ST", at: "\(controlLabel) / segment \(scanned.number) SE"))
            }
            return
        }
        let last = standalone(scanned, number: set!.count + 1)
        set!.append(scanned, trailer: true)
        let control = set!.control
        let count = set!.count
        if let declared = EnvelopeCount.parse(last[1], digits: 10) {
            if declared != count {
                set!.diagnostics.append(
                    .error(
                        .x12Envelope, "SE01 says \(declared) segments, the transaction set has \(count)",
                        at: last.location(set: control, element: 1)))
                set!.errors.append(.segmentCountMismatch)
            }
        } else {
            set!.diagnostics.append(
                EnvelopeCount.notANumber("SE01", last[1], digits: 10, code: .x12Envelope, at: last.location(set: control, element: 1)))
            set!.errors.append(.segmentCountMismatch)
        }
        if !Self.sameControl(last[2], control) {
            set!.diagnostics.append(
                .error(
                    .x12Envelope, "SE02 \(last[2]) does not match ST02 \(control)",
                    at: last.location(set: control, element: 2)))
            set!.errors.append(.controlNumberMismatch)
        }
        closeSet(missing: false, onSet: onSet, setIndex: &setIndex)
    }

    /// IEA: whatever is open closed, the group count and control number checked.
    mutating func closeInterchange(_ scanned: ScannedSegment, onSet: (X12TransactionSet) -> Void, setIndex: inout Int) {
        let segment = standalone(scanned)
        closeSet(missing: true, onSet: onSet, setIndex: &setIndex)
        closeGroup(trailer: nil)
        if let declared = EnvelopeCount.parse(segment[1], digits: 5) {
            if declared != groups.count {
                diagnostics.append(
                    .error(
                        .x12Envelope, "IEA01 says \(declared) functional groups, the interchange has \(groups.count)",
                        at: "\(controlLabel) / IEA / element 01"))
                notes.append(.invalidGroupCount)
            }
        } else {
            diagnostics.append(
                EnvelopeCount.notANumber("IEA01", segment[1], digits: 5, code: .x12Envelope, at: "\(controlLabel) / IEA / element 01"))
            notes.append(.invalidGroupCount)
        }
        if let header, !Self.sameControl(segment[2], header.controlNumber) {
            diagnostics.append(
                .error(
                    .x12Envelope, "IEA02 \(segment[2]) does not match ISA13 \(header.controlNumber)",
                    at: "\(controlLabel) / IEA / element 02"))
            notes.append(.controlNumberMismatch)
        }
        closed = true
    }

    /// A segment inside a transaction set: numbered and kept with it.
    mutating func appendToSet(_ segment: ScannedSegment) {
        guard set != nil else {
            if interchangeCap.admits(diagnostics, .error, .x12Syntax) {
                diagnostics.append(
                    .error(
                        .x12Syntax, "segment \(tag(segment)) is outside a transaction set",
                        at: "\(controlLabel) / segment \(segment.number) \(tag(segment))"))
            }
            return
        }
        set!.append(segment)
    }

    mutating func closeSet(missing: Bool, onSet: (X12TransactionSet) -> Void, setIndex: inout Int) {
        guard let current = set, let header else { return }
        set = nil  // hand the segments over without a copy
        defer {
            // The set's segments keep the old array; the envelope segments after it get a new one.
            elements = []
            elements.reserveCapacity(16)
        }
        var diagnostics = current.diagnostics
        if let note = setCap.finish("transaction set \(current.control)") { diagnostics.append(note) }
        var errors = current.errors
        if current.unread > 0 {
            diagnostics.append(
                .error(
                    .messageTooLarge,
                    "transaction set \(current.control) has \(current.count) segments, more than the limit of \(OpenSet.maximumSegments): those past it are not read",
                    at: "ST \(current.control)"))
            errors.append(.segmentsInError)
        }
        if missing {
            diagnostics.append(
                .error(
                    .x12Syntax, "transaction set \(current.control) has no SE: it is cut short",
                    at: "ST \(current.control) / segment \(current.count)"))
            errors.append(.trailerMissing)
        }
        var closed = X12TransactionSet(
            interchange: header, group: group, type: current.type, controlNumber: current.control,
            segments: current.segments(input: input, elements: elements, separators: separators), diagnostics: diagnostics,
            index: setIndex)
        closed.syntaxErrors = errors
        closed.segmentErrors = current.segmentErrors
        onSet(closed)
        setIndex += 1
        groupSets.append((current.type, current.control, current.count))
    }

    mutating func closeGroup(trailer: X12Segment?) {
        guard let group else {
            if let trailer, interchangeCap.admits(diagnostics, .error, .x12Envelope) {
                diagnostics.append(.error(.x12Envelope, "GE without GS", at: "\(controlLabel) / segment \(trailer.number) GE"))
            }
            return
        }
        /// Where the group's findings are (made only when there is one).
        var label: String { "\(controlLabel) / GS \(group.controlNumber)" }
        if let trailer {
            if let declared = EnvelopeCount.parse(trailer[1], digits: 6) {
                if declared != groupSets.count {
                    groupDiagnostics.append(
                        .error(
                            .x12Envelope, "GE01 says \(declared) transaction sets, the group has \(groupSets.count)",
                            at: "\(label) / GE / element 01"))
                    groupErrors.append(.setCountMismatch)
                }
            } else {
                groupDiagnostics.append(
                    EnvelopeCount.notANumber("GE01", trailer[1], digits: 6, code: .x12Envelope, at: "\(label) / GE / element 01"))
                groupErrors.append(.setCountMismatch)
            }
            if !Self.sameControl(trailer[2], group.controlNumber) {
                groupDiagnostics.append(
                    .error(
                        .x12Envelope, "GE02 \(trailer[2]) does not match GS06 \(group.controlNumber)",
                        at: "\(label) / GE / element 02"))
                groupErrors.append(.controlNumberMismatch)
            }
        } else {
            groupDiagnostics.append(.error(.x12Syntax, "functional group \(group.controlNumber) has no GE: it is cut short", at: label))
            groupErrors.append(.trailerMissing)
        }
        // ST02 identifies a set within its group: two sets with one number cannot be told apart
        // (by an acknowledgment, or a partner asked about one of them).
        var seen = Set<String>()
        var reported = Set<String>()
        for entry in groupSets where !seen.insert(entry.controlNumber).inserted && reported.insert(entry.controlNumber).inserted {
            groupDiagnostics.append(
                .error(.x12Envelope, "ST02 \(entry.controlNumber) is used by more than one transaction set of the group", at: label))
        }
        var summary = X12GroupSummary(header: group, sets: groupSets, diagnostics: groupDiagnostics)
        summary.errors = groupErrors
        summary.declaredSets = trailer.flatMap { EnvelopeCount.parse($0[1], digits: 6) }
        summary.repeatedControlNumbers = reported
        groups.append(summary)
        self.group = nil
        groupSets = []
        groupDiagnostics = []
        groupErrors = []
    }

    mutating func finish(onSet: (X12TransactionSet) -> Void, setIndex: inout Int) -> X12InterchangeSummary {
        if !closed {
            closeSet(missing: true, onSet: onSet, setIndex: &setIndex)
            if group != nil { closeGroup(trailer: nil) }
            diagnostics.append(.error(.x12Syntax, "interchange \(header?.controlNumber ?? "?") has no IEA: it is cut short", at: controlLabel))
            if !notes.contains(.prematureEnd) { notes.append(.prematureEnd) }
        }
        let fallback = X12InterchangeHeader(
            senderQualifier: "", senderID: "", receiverQualifier: "", receiverID: "", date: "", time: "", version: "",
            controlNumber: "", usage: "", separators: separators, offset: 0)
        if let note = interchangeCap.finish("interchange \(header?.controlNumber ?? "?")") { diagnostics.append(note) }
        var summary = X12InterchangeSummary(header: header ?? fallback, groups: groups, diagnostics: diagnostics)
        summary.notes = notes
        summary.interchangeAcknowledgments = interchangeAcknowledgments
        return summary
    }
}
