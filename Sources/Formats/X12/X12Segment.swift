public import Model

/// The separators of one interchange, read from its ISA.
public struct X12Separators: Sendable, Hashable, CustomStringConvertible {
    public var element: UInt8
    public var component: UInt8
    /// ISA11 from version 00402 on; `nil` before (ISA11 was the standards identifier).
    public var repetition: UInt8?
    /// One or more bytes (some partners use a multi-byte UTF-8 character).
    public var segment: [UInt8]

    public var description: String {
        func show(_ bytes: [UInt8]) -> String {
            bytes.map { byte in
                switch byte {
                case 0x0A: "\\n"
                case 0x0D: "\\r"
                case 0x20..<0x7F: String(Character(Unicode.Scalar(byte)))
                default: "\\x" + String(byte, radix: 16)
                }
            }.joined()
        }
        return "element '\(show([element]))', component '\(show([component]))', repetition "
            + (repetition.map { "'\(show([$0]))'" } ?? "none") + ", segment '\(show(segment))'"
    }
}

/// One X12 segment: its tag and elements as byte ranges into shared storage; strings are built
/// only when an element is read.
public struct X12Segment: Sendable {
    /// `ST`, `BSN`, `HL`, ... (made from the bytes when asked for: readers compare `tagCode`).
    public var tag: String { String(decoding: tagBytes, as: UTF8.self) }
    /// The tag's bytes packed with its length, for comparisons without strings.
    let tagCode: UInt32
    let storage: [UInt8]
    /// Element ranges into `storage`; the first is the tag's. The segments of a transaction set
    /// share one array of ranges, each a slice of it.
    let ranges: ArraySlice<Range<Int>>
    let elementSeparator: UInt8
    let componentSeparator: UInt8
    /// Byte offset of the segment in the input.
    public let offset: Int
    /// Position: within its transaction set (ST is 1), or within the interchange for envelope
    /// segments.
    public internal(set) var number: Int

    /// A tag of up to three bytes and its length in one integer; longer tags all share one code
    /// that no short tag has.
    @inline(__always)
    static func tagCode<Bytes: Collection<UInt8>>(_ bytes: Bytes) -> UInt32 {
        guard bytes.count <= 3 else { return longTagCode }
        var code = UInt32(bytes.count) << 24
        var shift: UInt32 = 0
        for byte in bytes {
            code |= UInt32(byte) << shift
            shift += 8
        }
        return code
    }

    /// The code every tag of more than three bytes has.
    static let longTagCode: UInt32 = 0xFF00_0000

    /// The code of a tag written in the source.
    @inline(__always)
    static func tagCode(_ tag: StaticString) -> UInt32 { tag.withUTF8Buffer { tagCode($0) } }

    /// Whether the segment's tag is `tag`; tags of up to three characters (all standard ones) are
    /// compared without strings.
    @inline(__always)
    public func hasTag(_ tag: StaticString) -> Bool {
        tag.withUTF8Buffer { bytes in
            bytes.count <= 3 ? Self.tagCode(bytes) == tagCode : tagBytes.elementsEqual(bytes)
        }
    }

    /// The tag's bytes (element 0).
    private var tagBytes: ArraySlice<UInt8> { storage[ranges[ranges.startIndex]] }

    /// The number of data elements (the tag not counted).
    public var count: Int { ranges.count - 1 }

    /// The byte range of element `index` (the tag is 0), or nil when the segment has fewer.
    @inline(__always)
    func range(_ index: Int) -> Range<Int>? {
        guard index >= 0, index < ranges.count else { return nil }
        return ranges[ranges.startIndex + index]
    }

    /// Element `index` as text (X12 numbering: `BSN01` is `self[1]`); empty when absent.
    public subscript(index: Int) -> String {
        guard index > 0, let range = range(index) else { return "" }
        return String(decoding: storage[range], as: UTF8.self)
    }

    /// Element `index` with surrounding spaces removed, or nil when empty.
    public func value(_ index: Int) -> String? {
        guard let range = trimmedRange(index), !range.isEmpty else { return nil }
        return String(decoding: storage[range], as: UTF8.self)
    }

    /// The byte range of element `index` without surrounding spaces (X12 pads fixed-width
    /// elements with them); nil when the segment has fewer elements.
    @inline(__always)
    private func trimmedRange(_ index: Int) -> Range<Int>? {
        guard index > 0, let range = range(index) else { return nil }
        var lower = range.lowerBound
        var upper = range.upperBound
        while lower < upper, storage[lower] == 0x20 { lower += 1 }
        while upper > lower, storage[upper - 1] == 0x20 { upper -= 1 }
        return lower..<upper
    }

    /// Element `index` with surrounding spaces removed; empty when absent.
    func trimmed(_ index: Int) -> String { value(index) ?? "" }

    /// Whether element `index` holds more than spaces (`value(index)` is not nil).
    func hasValue(_ index: Int) -> Bool { trimmedRange(index).map { !$0.isEmpty } ?? false }

    /// The number element `index` is when it is up to nine digits without a leading zero (`1`,
    /// `27`), surrounding spaces removed first when `trimmed`; nil for any other text (`01`, `A`),
    /// which only a dictionary of the texts can match.
    func plainNumber(_ index: Int, trimmed: Bool = false) -> Int? {
        guard index > 0, let range = trimmed ? trimmedRange(index) : range(index) else { return nil }
        guard !range.isEmpty, range.count <= 9, storage[range.lowerBound] != UInt8(ascii: "0") else { return nil }
        var value = 0
        for position in range {
            let digit = storage[position] &- UInt8(ascii: "0")
            guard digit < 10 else { return nil }
            value = value * 10 + Int(digit)
        }
        return value
    }

    /// Whether element `index` is exactly `text` (ASCII), without making a string of it.
    public func element(_ index: Int, is text: StaticString) -> Bool {
        guard index > 0, let range = range(index) else { return text.utf8CodeUnitCount == 0 }
        guard range.count == text.utf8CodeUnitCount else { return false }
        return text.withUTF8Buffer { expected in
            var position = range.lowerBound
            for byte in expected {
                if storage[position] != byte { return false }
                position += 1
            }
            return true
        }
    }

    /// Element `index`, surrounding spaces removed, packed as `tagCode` packs a tag (up to three
    /// bytes; longer ones share a code): a qualifier to switch over without making a string. Nil
    /// when the element is absent or only spaces.
    func code(_ index: Int) -> UInt32? {
        guard let range = trimmedRange(index), !range.isEmpty else { return nil }
        return Self.tagCode(storage[range])
    }

    /// The components of a composite element (split on the component separator).
    public func components(_ index: Int) -> [String] {
        guard index > 0, let range = range(index) else { return [] }
        return storage[range].split(separator: componentSeparator, omittingEmptySubsequences: false).map {
            String(decoding: $0, as: UTF8.self)
        }
    }

    /// The raw bytes of an element.
    public func bytes(_ index: Int) -> ArraySlice<UInt8> {
        guard index > 0, let range = range(index) else { return [] }
        return storage[range]
    }

    /// The segment as it would be written, for messages and `inspect`.
    public var text: String {
        ranges.map { String(decoding: storage[$0], as: UTF8.self) }.joined(separator: String(Character(Unicode.Scalar(elementSeparator))))
    }

    /// A diagnostic location: `ST 0001 / segment 14 SN1 / element 03`.
    public func location(set: String?, element: Int? = nil) -> String { place(set: set, element: element).description }

    /// The same, kept as its parts until it is shown.
    public func place(set: String?, element: Int? = nil) -> InputLocation {
        InputLocation(.transactionSet, control: set, segment: number, tag: tag, element: element)
    }

    /// The same for a segment whose tag the caller has matched: `known` is its text, a literal
    /// that costs nothing to make (a reader notes several locations for each line).
    func place(set: String?, element: Int? = nil, known tag: String) -> InputLocation {
        InputLocation(.transactionSet, control: set, segment: number, tag: tag, element: element)
    }
}

extension String {
    /// The text without leading and trailing spaces (X12 pads fixed-width elements with them).
    func trimmingSpaces() -> String {
        let bytes = utf8
        guard bytes.first == 0x20 || bytes.last == 0x20 else { return self }
        guard let first = bytes.firstIndex(where: { $0 != 0x20 }), let last = bytes.lastIndex(where: { $0 != 0x20 }) else {
            return ""
        }
        return String(self[first...last])
    }
}

/// The ISA of an interchange.
public struct X12InterchangeHeader: Sendable, Hashable {
    public var senderQualifier: String
    /// ISA06, trimmed.
    public var senderID: String
    public var receiverQualifier: String
    public var receiverID: String
    /// ISA09 (YYMMDD) and ISA10 (HHMM).
    public var date: String
    public var time: String
    /// ISA12, e.g. `00401`, `00501`.
    public var version: String
    /// ISA13.
    public var controlNumber: String
    /// ISA15: `P` production, `T` test.
    public var usage: String
    /// ISA14: `1` when the sender asks for a TA1.
    public var acknowledgmentRequested: String = ""
    public var separators: X12Separators
    /// Byte offset of the ISA.
    public var offset: Int
}

/// The GS of a functional group.
public struct X12GroupHeader: Sendable, Hashable {
    /// GS01, e.g. `SH` (ship notice), `QM` (transportation status).
    public var functionalID: String
    /// GS02.
    public var senderCode: String
    public var receiverCode: String
    public var date: String
    public var time: String
    /// GS06.
    public var controlNumber: String
    /// GS08, e.g. `004010`.
    public var version: String
    /// The byte offset of the GS in its input.
    public var offset = 0
}

/// One transaction set (ST..SE) with its envelope, and what the tokenizer found wrong with it.
public struct X12TransactionSet: Sendable {
    public var interchange: X12InterchangeHeader
    public var group: X12GroupHeader?
    /// ST01, e.g. `856`.
    public var type: String
    /// ST02.
    public var controlNumber: String
    /// ST through SE, numbered from 1.
    public var segments: [X12Segment]
    /// Syntax and envelope findings for this set (counts, control numbers, stray segments).
    public var diagnostics: [Diagnostic]
    /// 0-based position among all transaction sets of the input.
    public var index: Int
    /// The set's envelope faults (AK502) and its segments whose tag is none (AK3), as the tokenizer
    /// found them.
    public var syntaxErrors: [X12SetSyntaxError] = []
    public var segmentErrors: [X12SegmentError] = []

    /// The document identity for ids: interchange and set control numbers.
    public var documentID: String { "\(interchange.controlNumber)/\(group?.controlNumber ?? "-")/\(controlNumber)" }
}

/// X12 numbers (data types R and N): a decimal may start with its point (`.58`, `-.5`), which the
/// standard allows and an exact decimal reads as `0.58`.
enum X12Number {
    static func text(_ value: String) -> String {
        if value.hasPrefix(".") { return "0" + value }
        if value.hasPrefix("-.") { return "-0" + value.dropFirst() }
        return value
    }

    static func decimal(_ value: String) -> ExactDecimal? { ExactDecimal(text(value)) }
}
