public import Model


/// The service characters of an interchange (UNA, or the defaults).
public struct EdifactSeparators: Sendable, Hashable {
    public var component: UInt8 = UInt8(ascii: ":")
    public var element: UInt8 = UInt8(ascii: "+")
    public var decimalMark: UInt8 = UInt8(ascii: ".")
    public var release: UInt8? = UInt8(ascii: "?")
    public var segment: UInt8 = UInt8(ascii: "'")
    /// Whether a UNA service string advice set them.
    public var fromUNA = false
}

extension EdifactSeparators {
    /// The separators a UNA at `position` gives (moving `position` past it), or the defaults.
    static func serviceString(_ input: [UInt8], at position: inout Int) -> EdifactSeparators {
        guard input.count - position >= 9, input[position..<(position + 3)].elementsEqual("UNA".utf8) else { return EdifactSeparators() }
        let s = Array(input[(position + 3)..<(position + 9)])
        position += 9
        return EdifactSeparators(
            component: s[0], element: s[1], decimalMark: s[2], release: s[3] == 0x20 ? nil : s[3], segment: s[5], fromUNA: true)
    }
}

/// The components of the segments read together (a message, or the envelope segments between
/// messages): their bytes (release characters resolved, line breaks dropped), where each component
/// lies and where each element starts. Segments share it, so a segment costs no allocation of its
/// own; text is made when a component is read.
final class EdifactComponents: Sendable {
    /// The whole input, shared by every run of segments read from it.
    let input: [UInt8]
    /// The resolved bytes of this run's components that held release characters or line breaks.
    /// A range from `input.count` on lies here, `input.count` less.
    let resolved: [UInt8]
    /// Each component's bytes, segment after segment.
    let ranges: [Range<Int>]
    /// For each segment, the index in `ranges` of each element's first component, then one more
    /// for the end.
    let starts: [Int]
    /// Whether every byte of the input is ASCII (resolved bytes are copies of input bytes).
    let ascii: Bool

    init(input: [UInt8], resolved: [UInt8], ranges: [Range<Int>], starts: [Int], ascii: Bool) {
        self.input = input
        self.resolved = resolved
        self.ranges = ranges
        self.starts = starts
        self.ascii = ascii
    }

    /// Calls `body` with the bytes of component `component`.
    func withBytes<Result>(_ component: Int, _ body: (UnsafeBufferPointer<UInt8>) -> Result) -> Result {
        Self.withBytes(of: ranges[component], input: input, resolved: resolved, body)
    }

    /// The bytes of `range` of the input or, from `input.count` on, of `resolved`.
    static func withBytes<Result>(
        of range: Range<Int>, input: [UInt8], resolved: [UInt8], _ body: (UnsafeBufferPointer<UInt8>) -> Result
    ) -> Result {
        let count = input.count
        if range.lowerBound < count { return input.withUnsafeBufferPointer { body(UnsafeBufferPointer(rebasing: $0[range])) } }
        return resolved.withUnsafeBufferPointer { body(UnsafeBufferPointer(rebasing: $0[(range.lowerBound - count)..<(range.upperBound - count)])) }
    }

    /// A component as text: UTF-8 when its bytes are valid, else ISO 8859-1 (UNOC).
    func text(_ component: Int) -> String {
        withBytes(component) { bytes in
            // ASCII, nearly every component, is UTF-8 as it is: `String(validating:as:)` is
            // generic and looked up type metadata at run time for every component it read.
            if ascii || bytes.allSatisfy({ $0 < 0x80 }) { return String(decoding: bytes, as: UTF8.self) }
            return String(validating: bytes, as: UTF8.self) ?? String(bytes.map { Character(Unicode.Scalar($0)) })
        }
    }
}

/// One EDIFACT segment with release characters resolved: elements of components.
public struct EdifactSegment: Sendable {
    /// The tag packed as ``X12Segment`` packs its tags (length and up to three bytes): readers
    /// switch over it rather than compare strings, a dozen times a segment, and the tag's text is
    /// made only when it is shown.
    let tagCode: UInt32
    let components: EdifactComponents
    /// Its run of `components.starts` (the tag is element 0).
    let starts: Range<Int>
    public let offset: Int
    /// Position within its message (UNH is 1), or within the interchange for service segments.
    public internal(set) var number: Int

    /// The code of a tag written in the source.
    @inline(__always)
    static func tagCode(_ tag: StaticString) -> UInt32 { X12Segment.tagCode(tag) }

    public var count: Int { starts.count - 2 }

    /// The tag (element 0's first component).
    public var tag: String { components.text(components.starts[starts.lowerBound]) }

    /// Whether the tag is three upper-case letters or digits, as every standard tag is.
    var hasStandardTag: Bool {
        func standard(_ shift: UInt32) -> Bool {
            let byte = UInt8(truncatingIfNeeded: tagCode >> shift)
            return (byte >= 65 && byte <= 90) || (byte >= 48 && byte <= 57)
        }
        return tagCode >> 24 == 3 && standard(0) && standard(8) && standard(16)
    }

    /// Where element `element` (1-based) is in `components.ranges`; nil when absent.
    func componentRange(_ element: Int) -> Range<Int>? {
        guard element > 0, element + 1 < starts.count else { return nil }
        return components.starts[starts.lowerBound + element]..<components.starts[starts.lowerBound + element + 1]
    }

    /// Component `component` (1-based) of element `element` (1-based); empty when absent.
    public subscript(element: Int, component: Int = 1) -> String {
        componentIndex(element, component).map(components.text) ?? ""
    }

    /// The same as a non-empty value, or nil.
    public func value(_ element: Int, _ component: Int = 1) -> String? {
        guard let index = componentIndex(element, component), !components.ranges[index].isEmpty else { return nil }
        return components.text(index)
    }

    /// Where component `component` of element `element` is in `components.ranges`; nil when absent.
    private func componentIndex(_ element: Int, _ component: Int) -> Int? {
        guard let range = componentRange(element), component > 0, component <= range.count else { return nil }
        return range.lowerBound + component - 1
    }

    /// Whether the component is present and not empty, without making a string of it.
    func hasValue(_ element: Int, _ component: Int = 1) -> Bool {
        componentIndex(element, component).map { !components.ranges[$0].isEmpty } ?? false
    }

    /// The component packed as `tagCode` packs a tag (up to three bytes; longer ones share a
    /// code): a qualifier to compare or switch over without making a string. An absent component
    /// is empty, whose code no qualifier has.
    func code(_ element: Int, _ component: Int = 1) -> UInt32 {
        guard let index = componentIndex(element, component) else { return 0 }  // the code of no bytes
        return components.withBytes(index) { X12Segment.tagCode($0) }
    }

    public func components(_ element: Int) -> [String] {
        componentRange(element).map { $0.map(components.text) } ?? []
    }

    /// Every component's index in `components`, the tag's first.
    var componentIndices: Range<Int> { components.starts[starts.lowerBound]..<components.starts[starts.upperBound - 1] }

    public var text: String {
        (0..<(starts.count - 1)).map { element in
            let first = components.starts[starts.lowerBound + element]
            let end = components.starts[starts.lowerBound + element + 1]
            return (first..<end).map(components.text).joined(separator: ":")
        }.joined(separator: "+")
    }

    /// `UNH 1 / segment 12 QTY / element 01`.
    public func location(message: String?, element: Int? = nil) -> String { place(message: message, element: element).description }

    /// The same, kept as its parts until it is shown.
    public func place(message: String?, element: Int? = nil) -> InputLocation {
        InputLocation(.message, control: message, segment: number, tag: tag, element: element)
    }

    /// The same for a segment whose tag the caller has matched: `known` is its text, a literal
    /// that costs nothing to make (a reader notes several locations for each line).
    func place(message: String?, element: Int? = nil, known tag: String) -> InputLocation {
        InputLocation(.message, control: message, segment: number, tag: tag, element: element)
    }
}

public struct EdifactInterchangeHeader: Sendable, Hashable {
    /// UNB 0001, e.g. `UNOC`.
    public var syntax: String
    public var syntaxVersion: String
    public var sender: String
    public var senderQualifier: String
    public var recipient: String
    public var recipientQualifier: String
    public var date: String
    public var time: String
    /// UNB 0020.
    public var controlReference: String
    public var separators: EdifactSeparators
    public var offset: Int
    /// UNB 0031: `1` when the sender asks for an acknowledgment (CONTRL).
    public var acknowledgmentRequest: String = ""
}

/// One message (UNH..UNT) with its envelope.
public struct EdifactMessage: Sendable {
    public var interchange: EdifactInterchangeHeader
    /// UNG sender when the message is in a functional group.
    public var groupSender: String?
    /// Its qualifier (UNG S006 0007), when given.
    public var groupSenderQualifier: String? = nil
    /// UNH 0062.
    public var reference: String
    /// UNH S009: type, version, release, agency, association code (`DESADV`, `D`, `96A`, `UN`, `EAN005`).
    public var type: String
    public var version: String
    public var release: String
    public var association: String
    public var segments: [EdifactSegment]
    public var diagnostics: [Diagnostic]
    public var index: Int
    /// The message's envelope faults and its segments whose tag is none, as CONTRL reports them
    /// (UCM and UCS).
    public var syntaxErrors: [EdifactSyntaxError] = []
    public var segmentErrors: [EdifactSegmentError] = []

    public var documentID: String { "\(interchange.controlReference)/\(reference)" }

    /// Turns a number written with the interchange's decimal mark into a JSON-style number.
    public func number(_ text: String) -> String { Self.number(text, decimalMark: interchange.separators.decimalMark) }

    /// The same for a decimal mark given.
    static func number(_ text: String, decimalMark mark: UInt8) -> String {
        guard mark != UInt8(ascii: "."), let character = Unicode.Scalar(UInt32(mark)).map(Character.init) else { return text }
        return String(text.map { $0 == character ? "." : $0 })
    }
}

/// What the tokenizer saw of one interchange.
public struct EdifactInterchangeSummary: Sendable {
    public var header: EdifactInterchangeHeader
    /// Each message's type, reference (UNH 0062) and segment count, in order.
    public var messages: [(type: String, reference: String, segments: Int)]
    /// UNB/UNZ findings (counts, references, a missing UNZ).
    public var diagnostics: [Diagnostic]
    /// The same as CONTRL reports them at the interchange level (UCI).
    public var errors: [EdifactSyntaxError] = []
}

public struct EdifactReadResult: Sendable {
    public var interchanges: [EdifactInterchangeSummary]
    public var diagnostics: [Diagnostic]

    public var envelopeDiagnostics: [Diagnostic] { diagnostics + interchanges.flatMap(\.diagnostics) }
}

/// A byte-level EDIFACT tokenizer: UNA service string advice (any separators, release character,
/// decimal mark), UNB/UNZ, UNG/UNE and UNH/UNT with their counts and references, syntax levels
/// UNOA to UNOC and UTF-8 (characters outside the declared level are warnings). Line breaks are
/// ignored (files hard-wrapped at a fixed width); messages are handed over one at a time.
public enum EdifactReader {
    /// The message type (S009 0065) of the first UNH within the first 8 KB, with the separators
    /// the UNA gives: what kind of input an interchange is, without reading it.
    public static func firstMessageType(_ input: [UInt8]) -> String? {
        var position = 0
        if input.starts(with: [0xEF, 0xBB, 0xBF]) { position = 3 }
        while position < input.count, input[position] == 0x20 || EdifactTokenizer.isBreak(input[position]) { position += 1 }
        let separators = EdifactSeparators.serviceString(input, at: &position)
        let end = min(input.count, position + 8192)
        while position < end {
            while position < end, input[position] == 0x20 || EdifactTokenizer.isBreak(input[position]) { position += 1 }
            if position + 4 < end, input[position..<(position + 3)].elementsEqual("UNH".utf8), input[position + 3] == separators.element {
                // UNH+reference+TYPE:version:...
                guard let second = input[(position + 4)..<end].firstIndex(of: separators.element) else { return nil }
                var last = second + 1
                while last < end, ![separators.component, separators.element, separators.segment].contains(input[last]) { last += 1 }
                return String(decoding: input[(second + 1)..<last], as: UTF8.self)
            }
            // On to the next segment: past a terminator that no release character escapes.
            while position < end, input[position] != separators.segment {
                position += input[position] == separators.release ? 2 : 1
            }
            position += 1
        }
        return nil
    }

    public static func read(_ input: [UInt8], onMessage: (EdifactMessage) -> Void) -> EdifactReadResult {
        var state = EdifactState(input: input)
        state.run(onMessage: onMessage)
        return EdifactReadResult(interchanges: state.interchanges, diagnostics: state.inputDiagnostics)
    }

    public static func readAll(_ input: [UInt8]) -> (messages: [EdifactMessage], result: EdifactReadResult) {
        var messages: [EdifactMessage] = []
        let result = read(input) { messages.append($0) }
        return (messages, result)
    }
}

private struct EdifactState {
    let input: [UInt8]
    var interchanges: [EdifactInterchangeSummary] = []
    var inputDiagnostics: [Diagnostic] = []
    var messageIndex = 0

    init(input: [UInt8]) { self.input = input }

    mutating func run(onMessage: (EdifactMessage) -> Void) {
        var position = 0
        if input.starts(with: [0xEF, 0xBB, 0xBF]) { position = 3 }
        while position < input.count, input[position] == 0x20 || EdifactTokenizer.isBreak(input[position]) { position += 1 }
        var separators = EdifactSeparators.serviceString(input, at: &position)
        guard Self.distinct(separators) else {
            inputDiagnostics.append(.error(.edifactSyntax, "UNA uses the same character for two separators", at: "UNA"))
            return
        }
        var envelope = EdifactEnvelope(separators: separators)
        var tokenizer = EdifactTokenizer(input: input, start: position, separators: separators)
        // Interchanges one after another may each open with a UNA of their own (files that
        // batch several): after a UNZ, a UNA gives the next interchange's separators.
        while true {
            let next = input.withUnsafeBufferPointer { buffer in
                tokenizer.run(buffer) { segments in
                    for (position, segment) in segments.enumerated() {
                        let opens = segment.tagCode == EdifactSegment.tagCode("UNH")
                        envelope.accept(segment, onMessage: onMessage, index: &messageIndex)
                        if opens { envelope.message?.segments.reserveCapacity(Self.messageLength(segments, from: position)) }
                    }
                }
            }
            guard var una = next else { break }
            separators = EdifactSeparators.serviceString(input, at: &una)
            guard Self.distinct(separators) else {
                envelope.inputDiagnostics.append(
                    .error(.edifactSyntax, "UNA uses the same character for two separators", at: "byte \(next!)"))
                break
            }
            envelope.separators = separators
            tokenizer.use(separators, from: una)
        }
        envelope.finish(onMessage: onMessage, index: &messageIndex)
        interchanges += envelope.interchanges
        inputDiagnostics += envelope.inputDiagnostics
        if interchanges.isEmpty && inputDiagnostics.isEmpty {
            inputDiagnostics.append(.error(.edifactSyntax, "the input holds no UNB interchange", at: "byte \(position)"))
        }
    }

    static func distinct(_ separators: EdifactSeparators) -> Bool {
        !separators.fromUNA || Set([separators.component, separators.element, separators.segment]).count == 3
    }

    /// How many segments the message that starts at `start` has: up to its UNT, or to the next
    /// service segment when it has none (its segments are then reserved at once, not grown).
    static func messageLength(_ segments: [EdifactSegment], from start: Int) -> Int {
        var end = start + 1
        while end < segments.count {
            switch segments[end].tagCode {
            case EdifactSegment.tagCode("UNT"): return end - start + 1
            case EdifactSegment.tagCode("UNH"), EdifactSegment.tagCode("UNZ"), EdifactSegment.tagCode("UNB"), EdifactSegment.tagCode("UNE"),
                EdifactSegment.tagCode("UNG"):
                return end - start
            default: end += 1
            }
        }
        return end - start
    }
}

/// The state of splitting an interchange. A component without release characters or line breaks
/// is a range of the input; the others are copied, resolved, to `resolved`. Bytes that end nothing
/// are passed over in a loop of their own, by a table of the few that do (separators, the release
/// character, line breaks). The segments are handed over in runs that end at each UNT, UNG, UNE
/// and UNZ, so what is held at once is a message, not the interchange.
private struct EdifactTokenizer {
    private(set) var separators: EdifactSeparators
    let input: [UInt8]
    let ascii: Bool
    /// The current run's resolved components, its component ranges and element starts.
    var resolved: [UInt8] = []
    var ranges: [Range<Int>] = []
    var starts: [Int] = [0]
    /// The current run's segments: tag code, run of `starts`, offset, number.
    var read: [(tagCode: UInt32, starts: Range<Int>, offset: Int, number: Int)] = []
    /// The bytes that end a run of plain bytes.
    var stops = [Bool](repeating: false, count: 256)
    var segmentStarts = 0  // the current segment's first entry in `starts`
    var componentStart: Int
    var resolve = false  // the component holds a release character or a line break
    var kept = false  // the component holds a byte
    var segmentStart: Int
    var number = 0

    init(input: [UInt8], start: Int, separators: EdifactSeparators) {
        self.separators = separators
        self.input = input
        ascii = input.withUnsafeBufferPointer { bytes in
            var union: UInt8 = 0
            for byte in bytes { union |= byte }
            return union < 0x80
        }
        componentStart = start
        segmentStart = start
        reserve(bytes: min(input.count, 1 << 20))
        use(separators, from: start)
    }

    /// Reads on from `start` with `separators` (a UNA between interchanges).
    mutating func use(_ separators: EdifactSeparators, from start: Int) {
        self.separators = separators
        stops = [Bool](repeating: false, count: 256)
        for byte in [separators.component, separators.element, separators.segment, 0x0A, 0x0D] { stops[Int(byte)] = true }
        if let release = separators.release { stops[Int(release)] = true }
        componentStart = start
        segmentStart = start
    }

    /// Room for the segments of about `bytes` bytes of input.
    mutating func reserve(bytes: Int) {
        ranges.reserveCapacity(bytes / 6)
        starts.reserveCapacity(bytes / 8)
        read.reserveCapacity(bytes / 24)
    }

    static func isBreak(_ byte: UInt8) -> Bool { byte == 0x0A || byte == 0x0D }

    /// Reads the input from `componentStart`, handing `take` each run of segments; stops at a
    /// UNA right after a UNZ and returns where it starts (nil at the end of the input).
    mutating func run(_ input: UnsafeBufferPointer<UInt8>, take: ([EdifactSegment]) -> Void) -> Int? {
        let count = input.count
        let stops = self.stops
        var position = componentStart
        var runStart = position  // where the current run of segments starts in the input
        var nextUNA: Int? = nil
        stops.withUnsafeBufferPointer { stops in
            while position < count {
                let byte = input[position]
                if !stops[Int(byte)] {
                    kept = true
                    position += 1
                    while position < count, !stops[Int(input[position])] { position += 1 }
                    continue
                }
                if Self.isBreak(byte) && separators.segment != byte {
                    resolve = true
                    position += 1
                    continue
                }
                if let release = separators.release, byte == release, position + 1 < count {
                    var next = position + 1
                    while next < count, Self.isBreak(input[next]) { next += 1 }
                    if next < count { kept = true }
                    resolve = true
                    position = next + 1
                    continue
                }
                if byte == separators.component {
                    endComponent(at: position, input)
                    componentStart = position + 1
                } else if byte == separators.element {
                    endElement(at: position, input)
                    componentStart = position + 1
                } else if byte == separators.segment {
                    endElement(at: position, input)
                    let endsRun = endSegment(terminated: true)
                    position += 1
                    while position < count, input[position] == 0x20 || Self.isBreak(input[position]) { position += 1 }
                    segmentStart = position
                    componentStart = position
                    if endsRun {
                        let afterUNZ = read.last?.tagCode == EdifactSegment.tagCode("UNZ")
                        take(takeRun(bytes: position - runStart))
                        runStart = position
                        if afterUNZ, count - position >= 3, input[position] == UInt8(ascii: "U"), input[position + 1] == UInt8(ascii: "N"),
                            input[position + 2] == UInt8(ascii: "A")
                        {
                            nextUNA = position
                            break
                        }
                    }
                    continue
                } else {
                    kept = true  // a release character at the very end
                }
                position += 1
            }
        }
        if let nextUNA { return nextUNA }
        if kept || ranges.count > starts[segmentStarts] {
            endElement(at: min(position, count), input)
            _ = endSegment(terminated: false)
        }
        if !read.isEmpty { take(takeRun(bytes: 0)) }
        return nil
    }

    /// The segments read since the last run, sharing one `EdifactComponents`; the state starts
    /// over with room for a run of about `bytes` bytes, the one just read.
    mutating func takeRun(bytes: Int) -> [EdifactSegment] {
        let components = EdifactComponents(input: input, resolved: resolved, ranges: ranges, starts: starts, ascii: ascii)
        let segments = read.map {
            EdifactSegment(tagCode: $0.tagCode, components: components, starts: $0.starts, offset: $0.offset, number: $0.number)
        }
        resolved = []
        ranges = []
        starts = [0]
        read = []
        segmentStarts = 0
        reserve(bytes: bytes)
        return segments
    }

    mutating func endComponent(at end: Int, _ input: UnsafeBufferPointer<UInt8>) {
        if !resolve {
            ranges.append(componentStart..<end)
        } else {
            let count = input.count
            let first = count + resolved.count
            var index = componentStart
            while index < end {
                let byte = input[index]
                if Self.isBreak(byte) && separators.segment != byte {
                    index += 1
                } else if let release = separators.release, byte == release, index + 1 < count {
                    var next = index + 1
                    while next < count, Self.isBreak(input[next]) { next += 1 }
                    if next < count { resolved.append(input[next]) }
                    index = next + 1
                } else {
                    resolved.append(byte)
                    index += 1
                }
            }
            ranges.append(first..<(count + resolved.count))
        }
        resolve = false
        kept = false
    }

    mutating func endElement(at end: Int, _ input: UnsafeBufferPointer<UInt8>) {
        endComponent(at: end, input)
        starts.append(ranges.count)
    }

    /// The most segments of one run: a message of millions of segments (or of bytes that are
    /// none, which no message keeps) is handed over in parts rather than held whole.
    static let runLimit = 1 << 14

    /// Notes the segment just read (its number negative when the input ends before its
    /// terminator); whether it ends a run (UNT, UNG, UNE, UNZ, or ``runLimit`` segments).
    mutating func endSegment(terminated: Bool) -> Bool {
        number += 1
        let tag = ranges[starts[segmentStarts]]
        let code =
            tag.count > 3
            ? X12Segment.longTagCode : EdifactComponents.withBytes(of: tag, input: input, resolved: resolved) { X12Segment.tagCode($0) }
        read.append((code, segmentStarts..<starts.count, segmentStart, terminated ? number : -number))
        segmentStarts = starts.count
        starts.append(ranges.count)
        switch code {
        case EdifactSegment.tagCode("UNT"), EdifactSegment.tagCode("UNG"), EdifactSegment.tagCode("UNE"), EdifactSegment.tagCode("UNZ"):
            return true
        default:
            return read.count >= Self.runLimit
        }
    }
}

private struct EdifactEnvelope {
    var separators: EdifactSeparators
    var interchanges: [EdifactInterchangeSummary] = []
    var inputDiagnostics: [Diagnostic] = []
    var header: EdifactInterchangeHeader? {
        didSet { lowerCaseAllowed = header?.syntax != "UNOA" }
    }
    /// Whether the interchange's level allows lower case (all but UNOA).
    var lowerCaseAllowed = true
    var messages: [(type: String, reference: String, segments: Int)] = []
    var diagnostics: [Diagnostic] = []
    var errors: [EdifactSyntaxError] = []
    var groupSender: String?
    var groupSenderQualifier: String?
    var groupReference: String?
    var groupCount = 0
    var groupMessages = 0
    var message: EdifactMessage?
    /// The findings kept of the open message, of the interchange outside it and of the input.
    var messageCap = FindingCap()
    var interchangeCap = FindingCap()
    var inputCap = FindingCap()

    init(separators: EdifactSeparators) { self.separators = separators }

    var label: String { "UNB \(header?.controlReference ?? "?")" }

    static func sameReference(_ a: String, _ b: String) -> Bool {
        if let m = Int(a), let n = Int(b) { return m == n }
        return a == b
    }

    mutating func accept(_ segment: consuming EdifactSegment, onMessage: (EdifactMessage) -> Void, index: inout Int) {
        let unterminated = segment.number < 0
        if unterminated { segment.number = -segment.number }
        if unterminated {
            let problem = Diagnostic.error(
                .edifactSyntax, "the last segment \(segment.tag) has no terminator: the input is cut short",
                at: "byte \(segment.offset)")
            if message != nil { message!.diagnostics.append(problem) } else { diagnostics.append(problem) }
        }
        guard segment.hasStandardTag else {
            let offset = segment.offset
            let tag = segment.tag
            func problem() -> Diagnostic { .error(.edifactSyntax, "'\(tag.prefix(20))' is not a segment tag", at: "byte \(offset)") }
            if message != nil {
                // CONTRL lists the first of them (the message is rejected either way).
                if message!.segmentErrors.count < FindingCap.listed {
                    message!.segmentErrors.append(EdifactSegmentError(position: message!.segments.count + 1, code: .invalidValue))
                }
                if messageCap.admits(message!.diagnostics, .error, .edifactSyntax) { message!.diagnostics.append(problem()) }
            } else if header != nil {
                if interchangeCap.admits(diagnostics, .error, .edifactSyntax) { diagnostics.append(problem()) }
            } else if inputCap.admits(inputDiagnostics, .error, .edifactSyntax) {
                inputDiagnostics.append(problem())
            }
            return
        }
        switch segment.tagCode {
        case EdifactSegment.tagCode("UNB"):
            readUNB(segment, onMessage: onMessage, index: &index)
        case EdifactSegment.tagCode("UNG"):
            groupSender = segment[2, 1]
            groupSenderQualifier = segment.value(2, 2)
            groupReference = segment[5, 1]
            groupMessages = 0
        case EdifactSegment.tagCode("UNE"):
            closeGroup(segment)
        case EdifactSegment.tagCode("UNH"):
            openMessage(segment, onMessage: onMessage, index: &index)
        case EdifactSegment.tagCode("UNT"):
            closeMessage(segment, onMessage: onMessage, index: &index)
        case EdifactSegment.tagCode("UNZ"):
            if message != nil { finishMessage(missingTrailer: true, onMessage: onMessage, index: &index) }
            finishInterchange(trailer: segment, onMessage: onMessage, index: &index)
        default:
            guard message != nil else {
                if header == nil {
                    if inputCap.admits(inputDiagnostics, .error, .edifactSyntax) {
                        inputDiagnostics.append(
                            .error(.edifactSyntax, "the input must start with UNA or UNB; found '\(segment.tag)'", at: "byte \(segment.offset)"))
                    }
                } else if interchangeCap.admits(diagnostics, .error, .edifactSyntax) {
                    diagnostics.append(.error(.edifactSyntax, "segment \(segment.tag) is outside a message", at: "\(label) / segment \(segment.number) \(segment.tag)"))
                }
                return
            }
            // Mutate in place: copying the message out and back would copy its segments each time.
            segment.number = message!.segments.count + 1
            levelCheck(segment)
            message!.segments.append(segment)
        }
    }

    /// UNB: a new interchange (closing one left open), its syntax level checked.
    mutating func readUNB(_ segment: borrowing EdifactSegment, onMessage: (EdifactMessage) -> Void, index: inout Int) {
        if header != nil { finishInterchange(trailer: nil, onMessage: onMessage, index: &index) }
        header = EdifactInterchangeHeader(
            syntax: segment[1, 1], syntaxVersion: segment[1, 2], sender: segment[2, 1], senderQualifier: segment[2, 2],
            recipient: segment[3, 1], recipientQualifier: segment[3, 2], date: segment[4, 1], time: segment[4, 2],
            controlReference: segment[5, 1], separators: separators, offset: segment.offset)
        header!.acknowledgmentRequest = segment[9, 1]
        if !["UNOA", "UNOB", "UNOC", "UNOD", "UNOE", "UNOF", "UNOW", "UNOY", "UNOX", "UNOV", "UNOG"].contains(segment[1, 1]) {
            diagnostics.append(.warning(.edifactSyntax, "UNB syntax identifier '\(segment[1, 1])' is not a known level", at: "\(label) / element 01"))
        }
    }

    /// UNE: the group's message count and reference checked.
    mutating func closeGroup(_ segment: borrowing EdifactSegment) {
        if let declared = EnvelopeCount.parse(segment[1, 1], digits: 6) {
            if declared != groupMessages {
                if interchangeCap.admits(diagnostics, .error, .edifactEnvelope) { diagnostics.append(.error(.edifactEnvelope, "UNE says \(declared) messages, the group has \(groupMessages)", at: "\(label) / UNE / element 01")) }
            }
        } else {
            if interchangeCap.admits(diagnostics, .error, .edifactEnvelope) { diagnostics.append(EnvelopeCount.notANumber("UNE 0060", segment[1, 1], digits: 6, code: .edifactEnvelope, at: "\(label) / UNE / element 01")) }
        }
        if let reference = groupReference, !Self.sameReference(segment[2, 1], reference) {
            if interchangeCap.admits(diagnostics, .error, .edifactEnvelope) { diagnostics.append(.error(.edifactEnvelope, "UNE reference \(segment[2, 1]) does not match UNG \(reference)", at: "\(label) / UNE / element 02")) }
        }
        groupCount += 1
        groupSender = nil
        groupSenderQualifier = nil
        groupReference = nil
    }

    /// UNH: a new message (closing one left open); before any UNB, an input error.
    mutating func openMessage(_ segment: borrowing EdifactSegment, onMessage: (EdifactMessage) -> Void, index: inout Int) {
        if message != nil { finishMessage(missingTrailer: true, onMessage: onMessage, index: &index) }
        guard let header else {
            if inputCap.admits(inputDiagnostics, .error, .edifactSyntax) {
                inputDiagnostics.append(.error(.edifactSyntax, "UNH before any UNB", at: "byte \(segment.offset)"))
            }
            return
        }
        var first = copy segment
        first.number = 1
        message = EdifactMessage(
            interchange: header, groupSender: groupSender, reference: segment[1, 1], type: segment[2, 1],
            version: segment[2, 2], release: segment[2, 3], association: segment[2, 5], segments: [first],
            diagnostics: [], index: index)
        message?.groupSenderQualifier = groupSenderQualifier
        levelCheck(first)
    }

    /// UNT: the message's segment count and reference checked, and the message finished.
    mutating func closeMessage(_ segment: borrowing EdifactSegment, onMessage: (EdifactMessage) -> Void, index: inout Int) {
        guard message != nil else {
            if interchangeCap.admits(diagnostics, .error, .edifactEnvelope) {
                diagnostics.append(.error(.edifactEnvelope, "UNT without UNH", at: "\(label) / segment \(segment.number) UNT"))
            }
            return
        }
        // In place: a copy of the message would copy its segments to append one.
        var last = copy segment
        last.number = message!.segments.count + 1
        message!.segments.append(last)
        let count = message!.segments.count
        let reference = message!.reference
        if let declared = EnvelopeCount.parse(segment[1, 1], digits: 10) {
            if declared != count {
                message!.diagnostics.append(
                    .error(.edifactEnvelope, "UNT says \(declared) segments, the message has \(count)", at: last.location(message: reference, element: 1)))
                message!.syntaxErrors.append(EdifactSyntaxError(code: .controlCountMismatch, tag: "UNT", element: 1))
            }
        } else {
            message!.diagnostics.append(
                EnvelopeCount.notANumber("UNT 0074", segment[1, 1], digits: 10, code: .edifactEnvelope, at: last.location(message: reference, element: 1)))
            message!.syntaxErrors.append(EdifactSyntaxError(code: .controlCountMismatch, tag: "UNT", element: 1))
        }
        if !Self.sameReference(segment[2, 1], reference) {
            message!.diagnostics.append(
                .error(.edifactEnvelope, "UNT reference \(segment[2, 1]) does not match UNH \(reference)", at: last.location(message: reference, element: 2)))
            message!.syntaxErrors.append(EdifactSyntaxError(code: .referencesDoNotMatch, tag: "UNT", element: 2))
        }
        finishMessage(missingTrailer: false, onMessage: onMessage, index: &index)
    }

    /// Characters outside the declared syntax level are flagged (as warnings: real files do it).
    mutating func levelCheck(_ segment: EdifactSegment) {
        let components = segment.components
        // Every level allows ASCII, lower case but in UNOA: an interchange of it needs no more.
        if lowerCaseAllowed && components.ascii { return }
        guard let syntax = header?.syntax, message != nil else { return }
        let lowerCaseAllowed = lowerCaseAllowed
        for component in segment.componentIndices {
            // ASCII bytes are their own characters (every level allows them, but UNOA lower case);
            // anything else is read as text and checked against the level.
            let plain = components.withBytes(component) { bytes in
                bytes.allSatisfy { $0 < 0x80 && (lowerCaseAllowed || !($0 >= 0x61 && $0 <= 0x7A)) }
            }
            if plain { continue }
            let allowed: (Unicode.Scalar) -> Bool
            switch syntax {
            case "UNOA": allowed = { s in s.value < 0x80 && !("a"..."z").contains(s) }
            case "UNOB": allowed = { s in s.value < 0x80 }
            case "UNOC": allowed = { s in s.value < 0x100 }
            default: return
            }
            let element = components.text(component)
            guard !element.unicodeScalars.allSatisfy(allowed) else { continue }
            guard messageCap.admits(message!.diagnostics, .warning, .edifactSyntax) else { return }
            message!.diagnostics.append(
                .warning(.edifactSyntax, "'\(element)' has characters outside the \(syntax) character set", at: segment.location(message: message!.reference)))
            return
        }
    }

    mutating func finishMessage(missingTrailer: Bool, onMessage: (EdifactMessage) -> Void, index: inout Int) {
        guard var current = message else { return }
        if missingTrailer {
            current.diagnostics.append(.error(.edifactSyntax, "message \(current.reference) has no UNT: it is cut short", at: "UNH \(current.reference)"))
            current.syntaxErrors.append(EdifactSyntaxError(code: .missing, tag: "UNT"))
        }
        if let note = messageCap.finish("message \(current.reference)") { current.diagnostics.append(note) }
        onMessage(current)
        index += 1
        messages.append((current.type, current.reference, current.segments.count))
        groupMessages += 1
        message = nil
    }

    mutating func finishInterchange(trailer: EdifactSegment?, onMessage: (EdifactMessage) -> Void, index: inout Int) {
        guard let header else {
            if inputCap.admits(inputDiagnostics, .error, .edifactEnvelope) {
                inputDiagnostics.append(.error(.edifactEnvelope, "UNZ without UNB", at: "byte \(trailer?.offset ?? 0)"))
            }
            return
        }
        if let trailer {
            let expected = groupCount > 0 ? groupCount : messages.count
            if let declared = EnvelopeCount.parse(trailer[1, 1], digits: 6) {
                if declared != expected {
                    diagnostics.append(.error(.edifactEnvelope, "UNZ says \(declared), the interchange has \(expected) \(groupCount > 0 ? "groups" : "messages")", at: "\(label) / UNZ / element 01"))
                    errors.append(EdifactSyntaxError(code: .controlCountMismatch, tag: "UNZ", element: 1))
                }
            } else {
                diagnostics.append(EnvelopeCount.notANumber("UNZ 0036", trailer[1, 1], digits: 6, code: .edifactEnvelope, at: "\(label) / UNZ / element 01"))
                errors.append(EdifactSyntaxError(code: .controlCountMismatch, tag: "UNZ", element: 1))
            }
            if !Self.sameReference(trailer[2, 1], header.controlReference) {
                diagnostics.append(.error(.edifactEnvelope, "UNZ reference \(trailer[2, 1]) does not match UNB \(header.controlReference)", at: "\(label) / UNZ / element 02"))
                errors.append(EdifactSyntaxError(code: .referencesDoNotMatch, tag: "UNZ", element: 2))
            }
        } else {
            diagnostics.append(.error(.edifactSyntax, "interchange \(header.controlReference) has no UNZ: it is cut short", at: label))
            errors.append(EdifactSyntaxError(code: .missing, tag: "UNZ"))
        }
        if let note = interchangeCap.finish("interchange \(header.controlReference)") { diagnostics.append(note) }
        interchanges.append(EdifactInterchangeSummary(header: header, messages: messages, diagnostics: diagnostics, errors: errors))
        self.header = nil
        messages = []
        diagnostics = []
        errors = []
        groupCount = 0
    }

    mutating func finish(onMessage: (EdifactMessage) -> Void, index: inout Int) {
        if message != nil { finishMessage(missingTrailer: true, onMessage: onMessage, index: &index) }
        if header != nil { finishInterchange(trailer: nil, onMessage: onMessage, index: &index) }
        if let note = inputCap.finish("the input") { inputDiagnostics.append(note) }
    }
}
