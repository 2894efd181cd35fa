public import Model

extension DiagnosticCode {
    /// EDIFACT envelope counts and references (UNT, UNE, UNZ) that do not match; like
    /// `X12_ENVELOPE`, a partner profile can lower its severity.
    public static let edifactEnvelope: Self = "EDIFACT_ENVELOPE"
}

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

/// One EDIFACT segment with release characters resolved: elements of components.
public struct EdifactSegment: Sendable {
    public let tag: String
    /// Every component, element after element (the tag is element 0).
    let values: [String]
    /// Where each element's components start in `values`, and one more entry for the end.
    let starts: [Int]
    public let offset: Int
    /// Position within its message (UNH is 1), or within the interchange for service segments.
    public internal(set) var number: Int

    public var count: Int { starts.count - 2 }

    /// Where element `element` (1-based) is in `values`; nil when absent.
    func componentRange(_ element: Int) -> Range<Int>? {
        guard element > 0, element + 1 < starts.count else { return nil }
        return starts[element]..<starts[element + 1]
    }

    /// Component `component` (1-based) of element `element` (1-based); empty when absent.
    public subscript(element: Int, component: Int = 1) -> String {
        guard let range = componentRange(element), component > 0, component <= range.count else { return "" }
        return values[range.lowerBound + component - 1]
    }

    /// The same as a non-empty value, or nil.
    public func value(_ element: Int, _ component: Int = 1) -> String? {
        let text = self[element, component]
        return text.isEmpty ? nil : text
    }

    public func components(_ element: Int) -> [String] {
        componentRange(element).map { Array(values[$0]) } ?? []
    }

    public var text: String {
        starts.indices.dropLast().map { values[starts[$0]..<starts[$0 + 1]].joined(separator: ":") }.joined(separator: "+")
    }

    /// `UNH 1 / segment 12 QTY / element 01`.
    public func location(message: String?, element: Int? = nil) -> String { place(message: message, element: element).description }

    /// The same, kept as its parts until it is shown.
    public func place(message: String?, element: Int? = nil) -> InputLocation {
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
}

/// One message (UNH..UNT) with its envelope.
public struct EdifactMessage: Sendable {
    public var interchange: EdifactInterchangeHeader
    /// UNG sender when the message is in a functional group.
    public var groupSender: String?
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

    public var documentID: String { "\(interchange.controlReference)/\(reference)" }

    /// Turns a number written with the interchange's decimal mark into a JSON-style number.
    public func number(_ text: String) -> String {
        let mark = interchange.separators.decimalMark
        guard mark != UInt8(ascii: "."), let character = Unicode.Scalar(UInt32(mark)).map(Character.init) else { return text }
        return String(text.map { $0 == character ? "." : $0 })
    }
}

public struct EdifactReadResult: Sendable {
    public var interchanges: [(header: EdifactInterchangeHeader, messages: [(type: String, reference: String, segments: Int)], diagnostics: [Diagnostic])]
    public var diagnostics: [Diagnostic]

    public var envelopeDiagnostics: [Diagnostic] { diagnostics + interchanges.flatMap(\.diagnostics) }
}

/// A byte-level EDIFACT tokenizer: UNA service string advice (any separators, release character,
/// decimal mark), UNB/UNZ, UNG/UNE and UNH/UNT with their counts and references, syntax levels
/// UNOA to UNOC and UTF-8 (characters outside the declared level are warnings). Line breaks are
/// ignored (files hard-wrapped at a fixed width); messages are handed over one at a time.
public enum EdifactReader {
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
    var interchanges: [(header: EdifactInterchangeHeader, messages: [(type: String, reference: String, segments: Int)], diagnostics: [Diagnostic])] = []
    var inputDiagnostics: [Diagnostic] = []
    var messageIndex = 0

    init(input: [UInt8]) { self.input = input }

    static func isBreak(_ byte: UInt8) -> Bool { byte == 0x0A || byte == 0x0D }

    mutating func run(onMessage: (EdifactMessage) -> Void) {
        var position = 0
        if input.starts(with: [0xEF, 0xBB, 0xBF]) { position = 3 }
        while position < input.count, input[position] == 0x20 || Self.isBreak(input[position]) { position += 1 }
        var separators = EdifactSeparators()
        if input.count - position >= 9, input[position..<(position + 3)].elementsEqual("UNA".utf8) {
            let s = Array(input[(position + 3)..<(position + 9)])
            separators = EdifactSeparators(
                component: s[0], element: s[1], decimalMark: s[2], release: s[3] == 0x20 ? nil : s[3], segment: s[5],
                fromUNA: true)
            position += 9
            if Set([s[0], s[1], s[5]]).count != 3 {
                inputDiagnostics.append(.error(.edifactSyntax, "UNA uses the same character for two separators", at: "UNA"))
                return
            }
        }
        let decoded = tokenize(from: position, separators)
        var envelope = EdifactEnvelope(separators: separators)
        for segment in decoded {
            envelope.accept(segment, onMessage: onMessage, index: &messageIndex)
        }
        envelope.finish(onMessage: onMessage, index: &messageIndex)
        interchanges += envelope.interchanges
        inputDiagnostics += envelope.inputDiagnostics
        if interchanges.isEmpty && inputDiagnostics.isEmpty {
            inputDiagnostics.append(.error(.edifactSyntax, "the input holds no UNB interchange", at: "byte \(position)"))
        }
    }

    /// Splits into segments and elements, resolving release characters.
    func tokenize(from start: Int, _ separators: EdifactSeparators) -> [EdifactSegment] {
        var segments: [EdifactSegment] = []
        // The segment being read: its components and where its elements start among them.
        var values: [String] = []
        var starts: [Int] = [0]
        var current: [UInt8] = []
        var ascii = true
        var segmentStart = start
        var position = start
        var number = 0
        func text(_ bytes: [UInt8]) -> String {
            // UTF-8 when it is valid, else ISO 8859-1 (UNOC).
            if ascii { return String(decoding: bytes, as: UTF8.self) }
            return String(validating: bytes, as: UTF8.self) ?? String(bytes.map { Character(Unicode.Scalar($0)) })
        }
        /// A byte of the component being read.
        func keep(_ byte: UInt8) {
            current.append(byte)
            ascii = ascii && byte < 0x80
        }
        func endComponent() {
            values.append(text(current))
            current.removeAll(keepingCapacity: true)
            ascii = true
        }
        func endElement() {
            endComponent()
            starts.append(values.count)
        }
        func endSegment() -> EdifactSegment {
            number += 1
            let segment = EdifactSegment(tag: values.first ?? "", values: values, starts: starts, offset: segmentStart, number: number)
            values = []
            values.reserveCapacity(8)
            starts = []
            starts.reserveCapacity(8)
            starts.append(0)
            return segment
        }
        while position < input.count {
            let byte = input[position]
            if Self.isBreak(byte) && separators.segment != byte {
                position += 1
                continue
            }
            if let release = separators.release, byte == release, position + 1 < input.count {
                var next = position + 1
                while next < input.count, Self.isBreak(input[next]) { next += 1 }
                if next < input.count { keep(input[next]) }
                position = next + 1
                continue
            }
            if byte == separators.component {
                endComponent()
            } else if byte == separators.element {
                endElement()
            } else if byte == separators.segment {
                endElement()
                segments.append(endSegment())
                position += 1
                while position < input.count, input[position] == 0x20 || Self.isBreak(input[position]) { position += 1 }
                segmentStart = position
                continue
            } else {
                keep(byte)
            }
            position += 1
        }
        if !current.isEmpty || values.count > starts.last! || starts.count > 1 {
            endElement()
            var trailing = endSegment()
            trailing.number = -trailing.number  // marks a segment without terminator
            segments.append(trailing)
        }
        return segments
    }
}

private struct EdifactEnvelope {
    let separators: EdifactSeparators
    var interchanges: [(header: EdifactInterchangeHeader, messages: [(type: String, reference: String, segments: Int)], diagnostics: [Diagnostic])] = []
    var inputDiagnostics: [Diagnostic] = []
    var header: EdifactInterchangeHeader?
    var messages: [(type: String, reference: String, segments: Int)] = []
    var diagnostics: [Diagnostic] = []
    var groupSender: String?
    var groupReference: String?
    var groupCount = 0
    var groupMessages = 0
    var message: EdifactMessage?

    init(separators: EdifactSeparators) { self.separators = separators }

    var label: String { "UNB \(header?.controlReference ?? "?")" }

    static func sameReference(_ a: String, _ b: String) -> Bool {
        if let m = Int(a), let n = Int(b) { return m == n }
        return a == b
    }

    mutating func accept(_ segment: EdifactSegment, onMessage: (EdifactMessage) -> Void, index: inout Int) {
        var segment = segment
        let unterminated = segment.number < 0
        if unterminated { segment.number = -segment.number }
        if unterminated {
            let problem = Diagnostic.error(
                .edifactSyntax, "the last segment \(segment.tag) has no terminator: the input is cut short",
                at: "byte \(segment.offset)")
            if message != nil { message!.diagnostics.append(problem) } else { diagnostics.append(problem) }
        }
        let tag = segment.tag
        guard tag.utf8.count == 3, tag.utf8.allSatisfy({ ($0 >= 65 && $0 <= 90) || ($0 >= 48 && $0 <= 57) }) else {
            let problem = Diagnostic.error(.edifactSyntax, "'\(tag.prefix(20))' is not a segment tag", at: "byte \(segment.offset)")
            if message != nil { message!.diagnostics.append(problem) } else if header != nil { diagnostics.append(problem) } else { inputDiagnostics.append(problem) }
            return
        }
        switch tag {
        case "UNB":
            if header != nil { finishInterchange(trailer: nil, onMessage: onMessage, index: &index) }
            header = EdifactInterchangeHeader(
                syntax: segment[1, 1], syntaxVersion: segment[1, 2], sender: segment[2, 1], senderQualifier: segment[2, 2],
                recipient: segment[3, 1], recipientQualifier: segment[3, 2], date: segment[4, 1], time: segment[4, 2],
                controlReference: segment[5, 1], separators: separators, offset: segment.offset)
            if !["UNOA", "UNOB", "UNOC", "UNOD", "UNOE", "UNOF", "UNOW", "UNOY", "UNOX", "UNOV", "UNOG"].contains(segment[1, 1]) {
                diagnostics.append(.warning(.edifactSyntax, "UNB syntax identifier '\(segment[1, 1])' is not a known level", at: "\(label) / element 01"))
            }
        case "UNG":
            groupSender = segment[2, 1]
            groupReference = segment[5, 1]
            groupMessages = 0
        case "UNE":
            if let declared = Int(segment[1, 1]), declared != groupMessages {
                diagnostics.append(.error(.edifactEnvelope, "UNE says \(declared) messages, the group has \(groupMessages)", at: "\(label) / UNE / element 01"))
            }
            if let reference = groupReference, !Self.sameReference(segment[2, 1], reference) {
                diagnostics.append(.error(.edifactEnvelope, "UNE reference \(segment[2, 1]) does not match UNG \(reference)", at: "\(label) / UNE / element 02"))
            }
            groupCount += 1
            groupSender = nil
            groupReference = nil
        case "UNH":
            if message != nil { finishMessage(missingTrailer: true, onMessage: onMessage, index: &index) }
            guard let header else {
                inputDiagnostics.append(.error(.edifactSyntax, "UNH before any UNB", at: "byte \(segment.offset)"))
                return
            }
            var first = segment
            first.number = 1
            message = EdifactMessage(
                interchange: header, groupSender: groupSender, reference: segment[1, 1], type: segment[2, 1],
                version: segment[2, 2], release: segment[2, 3], association: segment[2, 5], segments: [first],
                diagnostics: [], index: index)
            levelCheck(first)
        case "UNT":
            guard var current = message else {
                diagnostics.append(.error(.edifactEnvelope, "UNT without UNH", at: "\(label) / segment \(segment.number) UNT"))
                return
            }
            var last = segment
            last.number = current.segments.count + 1
            current.segments.append(last)
            if let declared = Int(segment[1, 1]), declared != current.segments.count {
                current.diagnostics.append(
                    .error(.edifactEnvelope, "UNT says \(declared) segments, the message has \(current.segments.count)", at: last.location(message: current.reference, element: 1)))
            }
            if !Self.sameReference(segment[2, 1], current.reference) {
                current.diagnostics.append(
                    .error(.edifactEnvelope, "UNT reference \(segment[2, 1]) does not match UNH \(current.reference)", at: last.location(message: current.reference, element: 2)))
            }
            message = current
            finishMessage(missingTrailer: false, onMessage: onMessage, index: &index)
        case "UNZ":
            if message != nil { finishMessage(missingTrailer: true, onMessage: onMessage, index: &index) }
            finishInterchange(trailer: segment, onMessage: onMessage, index: &index)
        default:
            guard message != nil else {
                if header == nil {
                    inputDiagnostics.append(.error(.edifactSyntax, "the input must start with UNA or UNB; found '\(tag)'", at: "byte \(segment.offset)"))
                } else {
                    diagnostics.append(.error(.edifactSyntax, "segment \(tag) is outside a message", at: "\(label) / segment \(segment.number) \(tag)"))
                }
                return
            }
            // Mutate in place: copying the message out and back would copy its segments each time.
            segment.number = message!.segments.count + 1
            message!.segments.append(segment)
            levelCheck(segment)
        }
    }

    /// Characters outside the declared syntax level are flagged (as warnings: real files do it).
    mutating func levelCheck(_ segment: EdifactSegment) {
        guard let syntax = header?.syntax, message != nil else { return }
        let allowed: (Unicode.Scalar) -> Bool
        switch syntax {
        case "UNOA": allowed = { s in s.value < 0x80 && !("a"..."z").contains(s) }
        case "UNOB": allowed = { s in s.value < 0x80 }
        case "UNOC": allowed = { s in s.value < 0x100 }
        default: return
        }
        for element in segment.values where !element.unicodeScalars.allSatisfy(allowed) {
            message!.diagnostics.append(
                .warning(.edifactSyntax, "'\(element)' has characters outside the \(syntax) character set", at: segment.location(message: message!.reference)))
            return
        }
    }

    mutating func finishMessage(missingTrailer: Bool, onMessage: (EdifactMessage) -> Void, index: inout Int) {
        guard var current = message else { return }
        if missingTrailer {
            current.diagnostics.append(.error(.edifactEnvelope, "message \(current.reference) has no UNT: it is cut short", at: "UNH \(current.reference)"))
        }
        onMessage(current)
        index += 1
        messages.append((current.type, current.reference, current.segments.count))
        groupMessages += 1
        message = nil
    }

    mutating func finishInterchange(trailer: EdifactSegment?, onMessage: (EdifactMessage) -> Void, index: inout Int) {
        guard let header else {
            inputDiagnostics.append(.error(.edifactEnvelope, "UNZ without UNB", at: "byte \(trailer?.offset ?? 0)"))
            return
        }
        if let trailer {
            let expected = groupCount > 0 ? groupCount : messages.count
            if let declared = Int(trailer[1, 1]), declared != expected {
                diagnostics.append(.error(.edifactEnvelope, "UNZ says \(declared), the interchange has \(expected) \(groupCount > 0 ? "groups" : "messages")", at: "\(label) / UNZ / element 01"))
            }
            if !Self.sameReference(trailer[2, 1], header.controlReference) {
                diagnostics.append(.error(.edifactEnvelope, "UNZ reference \(trailer[2, 1]) does not match UNB \(header.controlReference)", at: "\(label) / UNZ / element 02"))
            }
        } else {
            diagnostics.append(.error(.edifactEnvelope, "interchange \(header.controlReference) has no UNZ: it is cut short", at: label))
        }
        interchanges.append((header, messages, diagnostics))
        self.header = nil
        messages = []
        diagnostics = []
        groupCount = 0
    }

    mutating func finish(onMessage: (EdifactMessage) -> Void, index: inout Int) {
        if message != nil { finishMessage(missingTrailer: true, onMessage: onMessage, index: &index) }
        if header != nil { finishInterchange(trailer: nil, onMessage: onMessage, index: &index) }
    }
}
