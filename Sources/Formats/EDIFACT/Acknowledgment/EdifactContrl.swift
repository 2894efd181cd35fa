public import Model

/// ISO 9735 syntax error codes (0085), as a CONTRL reports them.
public enum EdifactSyntaxErrorCode: String, Sendable, Hashable {
    case syntaxLevelNotSupported = "2"
    case invalidValue = "12"
    case missing = "13"
    case valueNotSupported = "14"
    case notSupportedInPosition = "15"
    case tooManyConstituents = "16"
    case invalidCharacters = "21"
    case referencesDoNotMatch = "28"
    case controlCountMismatch = "29"
}

/// A fault of an interchange or message envelope: the code, and the service segment and data
/// element it is in (UCI/UCM 0085, 0013, S011).
public struct EdifactSyntaxError: Sendable, Hashable {
    public var code: EdifactSyntaxErrorCode
    public var tag: String?
    public var element: Int?

    public init(code: EdifactSyntaxErrorCode, tag: String? = nil, element: Int? = nil) {
        self.code = code
        self.tag = tag
        self.element = element
    }
}

/// A segment of a message in error (UCS), with its data elements in error (UCD).
public struct EdifactSegmentError: Sendable, Hashable {
    public var position: Int
    public var code: EdifactSyntaxErrorCode?
    public var elements: [(code: EdifactSyntaxErrorCode, element: Int, component: Int?)]

    public init(position: Int, code: EdifactSyntaxErrorCode?, elements: [(code: EdifactSyntaxErrorCode, element: Int, component: Int?)] = []) {
        self.position = position
        self.code = code
        self.elements = elements
    }

    public static func == (a: Self, b: Self) -> Bool {
        a.position == b.position && a.code == b.code && a.elements.elementsEqual(b.elements) { $0 == $1 }
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(position)
        hasher.combine(code)
    }
}

/// What a message of an interchange amounts to for its CONTRL: its identity, its envelope faults,
/// its segments in error. The segment checks are those of the envelope and the tags, and the dates
/// a DTM states (C507 2380 in its format 2379).
public struct EdifactMessageReport: Sendable {
    public var reference: String
    public var identifier: [String]
    public var errors: [EdifactSyntaxError]
    public var segmentErrors: [EdifactSegmentError]
    public var accepted: Bool { errors.isEmpty && segmentErrors.isEmpty }

    public init(_ message: EdifactMessage) {
        reference = message.reference
        identifier = [message.type, message.version, message.release, "UN"]
        if !message.association.isEmpty { identifier.append(message.association) }
        errors = message.syntaxErrors
        var segmentErrors = message.segmentErrors
        for segment in message.segments where segment.tagCode == EdifactSegment.tagCode("DTM") {
            let value = segment[1, 2]
            guard !value.isEmpty, EDIDateTime.edifact(value, format: segment[1, 3]) == nil else { continue }
            segmentErrors.append(EdifactSegmentError(position: segment.number, code: nil, elements: [(.invalidValue, 1, 2)]))
        }
        self.segmentErrors = segmentErrors.sorted { $0.position < $1.position }
    }
}

/// What a partner's profile asks for in EDIFACT acknowledgments.
public struct EdifactAcknowledgmentOptions: Sendable, Hashable {
    public enum Policy: String, Sendable, Hashable {
        /// When the interchange asks for one (UNB 0031 = 1).
        case contrl
        case always
        case none
    }

    public var policy: Policy
    /// Whether each message gets its UCM (and UCS/UCD), or only the interchange its UCI.
    public var messages: Bool
    /// Our side of the envelope (UNB S002); nil: the recipient the partner sent to.
    public var sender: (id: String, qualifier: String)?

    public init(policy: Policy = .contrl, messages: Bool = true, sender: (id: String, qualifier: String)? = nil) {
        self.policy = policy
        self.messages = messages
        self.sender = sender
    }

    public static func == (a: Self, b: Self) -> Bool {
        a.policy == b.policy && a.messages == b.messages && a.sender?.id == b.sender?.id && a.sender?.qualifier == b.sender?.qualifier
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(policy)
        hasher.combine(messages)
    }
}

/// Writes the CONTRL (D:3:UN) of one received interchange: a UCI for the interchange (7
/// acknowledged, 4 rejected, with the envelope fault), a UCM for each message with UCS/UCD for its
/// segments in error. Deterministic: dated by `time` in UTC, its interchange control reference
/// the received one's. A CONTRL is never acknowledged.
public enum EdifactContrl {
    public struct Written: Sendable {
        public var acknowledges: String
        public var interchangeOffset: Int
        public var status: String
        public var bytes: [UInt8]
    }

    public static func make(
        _ interchange: EdifactInterchangeSummary, reports: [EdifactMessageReport], time: Timestamp, options: EdifactAcknowledgmentOptions
    ) -> Written? {
        let header = interchange.header
        let onlyAcknowledgments = !interchange.messages.isEmpty && interchange.messages.allSatisfy { $0.type == "CONTRL" }
        let wanted =
            switch options.policy {
            case .none: false
            case .always: true
            case .contrl: header.acknowledgmentRequest == "1"
            }
        guard wanted, !onlyAcknowledgments else { return nil }
        // What the CONTRL echoes must be text the interchange's syntax can carry: without it there
        // is no one to address and nothing to name.
        let sender = options.sender ?? (header.recipient, header.recipientQualifier)
        guard printable(header.controlReference, 1, 14), printable(header.sender, 1, 35), printable(header.recipient, 1, 35),
            printable(sender.id, 1, 35), printable(header.senderQualifier, 0, 4), printable(header.recipientQualifier, 0, 4),
            printable(sender.qualifier, 0, 4)
        else { return nil }
        // A message whose reference or identifier UCM cannot echo is counted in the UCI, not listed.
        let reports = reports.filter { report in
            report.identifier.first != "CONTRL" && printable(report.reference, 1, 14)
                && report.identifier.allSatisfy { printable($0, 1, 6) }
        }
        let rejected = !interchange.errors.isEmpty || (!reports.isEmpty && reports.allSatisfy { !$0.accepted })
        // The partner's own separators when they are punctuation of ASCII, else the standard ones.
        let received = header.separators
        let marks = [received.component, received.element, received.decimalMark, received.segment] + (received.release.map { [$0] } ?? [])
        let usable = marks.allSatisfy { $0 > 0x20 && $0 < 0x7F && !($0 &- 48 < 10 || $0 &- 65 < 26 || $0 &- 97 < 26) }
            && Set([received.component, received.element, received.segment]).count == 3
        var writer = EdifactWriter(separators: usable ? received : EdifactSeparators(fromUNA: true))
        let stamp = X12Acknowledgment.Stamp(time)
        if writer.separators.fromUNA { writer.serviceStringAdvice() }
        // The syntax level as received when it is one (UNOA to UNOY, version 1 to 4), else UNOC:3.
        let known = header.syntax.utf8.count == 4 && header.syntax.hasPrefix("UNO") && header.syntax.utf8.last.map { $0 &- 65 < 26 } == true
            && ["1", "2", "3", "4"].contains(header.syntaxVersion)
        writer.segment(
            ["UNB"], known ? [header.syntax, header.syntaxVersion] : ["UNOC", "3"], [sender.id, sender.qualifier],
            [header.sender, header.senderQualifier], [stamp.shortDate, stamp.time], [header.controlReference])
        let start = writer.segments
        writer.segment(["UNH"], ["1"], ["CONTRL", "D", "3", "UN"])
        var uci: [[String]] = [
            [header.controlReference], [header.sender, header.senderQualifier], [header.recipient, header.recipientQualifier],
            [rejected ? "4" : "7"],
        ]
        if let fault = interchange.errors.first {
            uci += [[fault.code.rawValue], [fault.tag ?? ""], fault.element.map { [String($0)] } ?? []]
        }
        writer.segment([["UCI"]] + uci)
        if options.messages {
            for report in reports {
                var ucm: [[String]] = [[report.reference], report.identifier, [report.accepted ? "7" : "4"]]
                if let fault = report.errors.first {
                    ucm += [[fault.code.rawValue], [fault.tag ?? ""], fault.element.map { [String($0)] } ?? []]
                }
                writer.segment([["UCM"]] + ucm)
                for segment in report.segmentErrors {
                    writer.segment(["UCS"], [String(segment.position)], segment.code.map { [$0.rawValue] } ?? [])
                    for element in segment.elements {
                        writer.segment(["UCD"], [element.code.rawValue], [String(element.element)] + (element.component.map { [String($0)] } ?? []))
                    }
                }
            }
        }
        writer.segment(["UNT"], [String(writer.segments - start + 1)], ["1"])
        writer.segment(["UNZ"], ["1"], [header.controlReference])
        let status = rejected ? "rejected" : reports.allSatisfy(\.accepted) ? "accepted" : "partial"
        return Written(acknowledges: header.controlReference, interchangeOffset: header.offset, status: status, bytes: writer.bytes)
    }
}

/// Whether a received value can be echoed: printable ASCII of `minimum` to `maximum` characters.
func printable(_ value: String, _ minimum: Int, _ maximum: Int) -> Bool {
    (minimum...maximum).contains(value.utf8.count) && value.utf8.allSatisfy { $0 >= 0x20 && $0 < 0x7F }
}

/// Collects an input's message reports as they are read, then writes one CONTRL per interchange.
public struct EdifactAcknowledgmentCollector: Sendable {
    private var entries: [(offset: Int, report: EdifactMessageReport)] = []

    public init() {}

    public mutating func add(_ message: EdifactMessage) {
        entries.append((message.interchange.offset, EdifactMessageReport(message)))
    }

    public func acknowledgments(
        _ result: EdifactReadResult, time: Timestamp, options: (EdifactInterchangeSummary) -> EdifactAcknowledgmentOptions?
    ) -> [EdifactContrl.Written] {
        // Each interchange's reports, found once (an input may hold thousands of interchanges).
        let byInterchange = Dictionary(grouping: entries, by: \.offset)
        return result.interchanges.compactMap { interchange in
            guard let options = options(interchange) else { return nil }
            let reports = (byInterchange[interchange.header.offset] ?? []).map(\.report)
            return EdifactContrl.make(interchange, reports: reports, time: time, options: options)
        }
    }
}

/// Writes segments with an interchange's separators, releasing separator characters in values.
struct EdifactWriter {
    let separators: EdifactSeparators
    private(set) var bytes: [UInt8] = []
    private(set) var segments = 0

    init(separators: EdifactSeparators) { self.separators = separators }

    mutating func serviceStringAdvice() {
        bytes += Array("UNA".utf8) + [
            separators.component, separators.element, separators.decimalMark, separators.release ?? 0x20, 0x20, separators.segment,
        ]
    }

    mutating func segment(_ elements: [String]...) { segment(elements) }

    /// Elements of components; trailing empty components and elements are left off.
    mutating func segment(_ elements: [[String]]) {
        var elements = elements.map { components -> [String] in
            var components = components
            while components.count > 1, components.last?.isEmpty == true { components.removeLast() }
            return components
        }
        while elements.count > 1, elements.last.map({ $0.allSatisfy(\.isEmpty) }) == true { elements.removeLast() }
        for (index, components) in elements.enumerated() {
            if index > 0 { bytes.append(separators.element) }
            for (offset, component) in components.enumerated() {
                if offset > 0 { bytes.append(separators.component) }
                for byte in component.utf8 {
                    if let release = separators.release,
                        [separators.component, separators.element, separators.segment, release].contains(byte)
                    {
                        bytes.append(release)
                    }
                    bytes.append(byte)
                }
            }
        }
        bytes.append(separators.segment)
        segments += 1
    }
}
