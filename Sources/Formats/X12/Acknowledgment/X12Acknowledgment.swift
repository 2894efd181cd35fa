public import Model

/// What a partner's profile asks for in X12 acknowledgments, and who sends them.
public struct X12AcknowledgmentOptions: Sendable, Hashable {
    /// When a TA1 interchange acknowledgment is sent.
    public enum TA1Policy: String, Sendable, Hashable, CaseIterable {
        /// When ISA14 asks for one, or the envelope is broken.
        case onError = "on-error"
        case always
        case never
    }

    /// How much of a 997 is written: AK1/AK9 only, one AK2/AK5 per set too, or AK3/AK4 as well.
    public enum Detail: String, Sendable, Hashable, CaseIterable {
        case group, set, element
    }

    /// Our side of the envelope: ISA05/ISA06 and GS02. Nil: the input's receiver (ISA07/ISA08,
    /// GS03), which is who the partner sent it to.
    public struct Sender: Sendable, Hashable {
        public var qualifier: String
        public var id: String
        public var groupID: String

        public init(qualifier: String, id: String, groupID: String) {
            self.qualifier = qualifier
            self.id = id
            self.groupID = groupID
        }
    }

    public var functionalAcknowledgment: Bool
    public var ta1: TA1Policy
    public var detail: Detail
    public var sender: Sender?
    /// The partner's severity overrides (by code), as normalization applies them: whether the
    /// interchange's own findings reject its sets is decided with them.
    public var severity: [String: Severity]

    public init(
        functionalAcknowledgment: Bool = true, ta1: TA1Policy = .onError, detail: Detail = .element, sender: Sender? = nil,
        severity: [String: Severity] = [:]
    ) {
        self.functionalAcknowledgment = functionalAcknowledgment
        self.ta1 = ta1
        self.detail = detail
        self.sender = sender
        self.severity = severity
    }
}

/// Writes the acknowledgment interchange of one received interchange: a TA1 for its envelope and
/// a 997 functional acknowledgment with one 997 per functional group, in the partner's own
/// separators and version.
///
/// Deterministic: the same input gives the same bytes. The interchange's date and time are those
/// of `time` (the input record's timestamp) in UTC; its control number (ISA13, and GS06) is the
/// received interchange's, so acknowledgments to a partner are as unique as its interchanges are;
/// 997 sets are numbered 0001, 0002, ... within it.
public enum X12Acknowledgment {
    /// The acknowledgment of `interchange`, or nil when it gets none (the options ask for none,
    /// or it holds only acknowledgments: an acknowledgment is never acknowledged). `reports` are
    /// those of its sets, in order (``X12SetSyntax/check(_:repeatedControlNumber:)``).
    public static func make(
        _ interchange: X12InterchangeSummary, reports: [X12SetSyntax.Report], time: Timestamp, options: X12AcknowledgmentOptions
    ) -> Written? {
        let header = interchange.header
        // Each group's reports, in order; acknowledgments (functional group FA) are not acknowledged.
        // A group whose GS01 or GS06 no AK1 can echo is answered in the TA1 (024), not by a 997.
        var queue = reports[...]
        var groups: [(summary: X12GroupSummary, reports: [X12SetSyntax.Report])] = []
        var notes = interchange.notes
        for group in interchange.groups {
            let own = Array(queue.prefix(group.sets.count))
            queue = queue.dropFirst(group.sets.count)
            guard !isAcknowledgment(group.header.functionalID) else { continue }
            guard Carry.code(group.header.functionalID, 2, 2), Carry.number(group.header.controlNumber, 9) else {
                if !notes.contains(.invalidContent) { notes.append(.invalidContent) }
                continue
            }
            groups.append((group, own))
        }
        let onlyAcknowledgments = groups.isEmpty && !interchange.groups.isEmpty && notes.isEmpty
        let ta1: Bool =
            switch options.ta1 {
            case .never: false
            case .always: true
            case .onError: header.acknowledgmentRequested == "1" || !notes.isEmpty
            }
        // A TA1 echoes ISA13, ISA09 and ISA10: when they are not what X12 says, it cannot be written.
        let wantsTA1 = ta1 && !onlyAcknowledgments && Carry.number(header.controlNumber, 9, exactly: true)
            && Carry.shortDate(header.date) && Carry.shortTime(header.time)
        // Our GS02/GS03 are its GS03/GS02: application codes of 2 to 15 characters.
        let groupSender = options.sender?.groupID ?? groups.first?.summary.header.receiverCode ?? ""
        let groupReceiver = groups.first?.summary.header.senderCode ?? ""
        // The partner's own separators, unless they are letters, digits or spaces (which no value
        // could be told apart from).
        let separators = Carry.separators(header.separators)
        let canCarry = { (value: String) in X12Writer(separators: separators).canCarry(value) }
        let wants997 = options.functionalAcknowledgment && !groups.isEmpty && Carry.text(groupSender, 2, 15)
            && Carry.text(groupReceiver, 2, 15) && canCarry(groupSender) && canCarry(groupReceiver)
        guard wantsTA1 || wants997 else { return nil }
        // The interchange's own findings (not a group's or a set's) go with every set of it: with
        // an error among them, as the partner's profile weighs them, no set of it becomes a
        // document, and its 997 accepts none.
        let envelopeRejected = interchange.diagnostics.contains { (options.severity[$0.code.rawValue] ?? $0.severity) == .error }
        // The envelope turned around: without qualifiers and ids X12 can carry, there is no one to
        // address it to.
        let sender = options.sender
        let ourQualifier = sender?.qualifier ?? header.receiverQualifier
        let ourID = sender?.id ?? header.receiverID
        guard Carry.text(ourQualifier, 1, 2), Carry.text(ourID, 1, 15), Carry.text(header.senderQualifier, 1, 2),
            Carry.text(header.senderID, 1, 15), [ourQualifier, ourID, header.senderQualifier, header.senderID].allSatisfy(canCarry)
        else { return nil }

        var writer = X12Writer(separators: separators)
        let control = controlNumber(header.controlNumber)
        let stamp = Stamp(time)
        let version = Carry.number(header.version, 5, exactly: true) ? header.version : "00401"
        writer.segment(
            "ISA", "00", "          ", "00", "          ", pad(ourQualifier, 2), pad(ourID, 15), pad(header.senderQualifier, 2),
            pad(header.senderID, 15), stamp.shortDate, stamp.time,
            version >= "00402" ? String(decoding: [separators.repetition ?? UInt8(ascii: "^")], as: UTF8.self) : "U",
            version, control, "0", header.usage == "T" ? "T" : "P", String(decoding: [separators.component], as: UTF8.self))
        if wantsTA1 {
            let note = notes.first ?? .noError
            writer.segment("TA1", header.controlNumber, header.date, header.time, note == .noError ? "A" : "R", note.rawValue)
        }
        var statuses: [String] = []
        if wants997 {
            // GS08 as received when it is an X12 version (00VR0S, the industry identifier left off).
            let received = String(groups[0].summary.header.version.prefix(6))
            let groupVersion = Carry.version(received) ? received : "004010"
            let groupControl = String(Int(control) ?? 1)
            writer.segment("GS", "FA", groupSender, groupReceiver, stamp.longDate, stamp.time, groupControl, "X", groupVersion)
            for (index, group) in groups.enumerated() {
                statuses.append(
                    functionalAcknowledgment(
                        of: group.summary, reports: group.reports, number: index + 1, version: groupVersion, detail: options.detail,
                        envelopeRejected: envelopeRejected, into: &writer))
            }
            writer.segment("GE", String(groups.count), groupControl)
        }
        writer.segment("IEA", wants997 ? "1" : "0", control)
        let status =
            !notes.isEmpty || (!statuses.isEmpty && statuses.allSatisfy { $0 == "R" }) ? "rejected"
            : statuses.allSatisfy { $0 == "A" } ? "accepted" : "partial"
        return Written(acknowledges: header.controlNumber, interchangeOffset: header.offset, status: status, bytes: writer.bytes)
    }

    /// Whether a value received can be echoed where X12 asks for one of its kind.
    enum Carry {
        /// Printable ASCII (the basic and extended character sets), `minimum` to `maximum` long.
        static func text(_ value: String, _ minimum: Int, _ maximum: Int) -> Bool {
            (minimum...maximum).contains(value.utf8.count) && value.utf8.allSatisfy { $0 >= 0x20 && $0 < 0x7F }
        }

        /// Upper-case letters and digits (an identifier code).
        static func code(_ value: String, _ minimum: Int, _ maximum: Int) -> Bool {
            (minimum...maximum).contains(value.utf8.count) && value.utf8.allSatisfy { $0 &- 48 < 10 || $0 &- 65 < 26 }
        }

        /// An X12 version and release from 002010 to 008050: `00V0R0`, release 1 to 5.
        static func version(_ value: String) -> Bool {
            let bytes = Array(value.utf8)
            guard bytes.count == 6, number(value, 6, exactly: true) else { return false }
            return bytes[0] == 48 && bytes[1] == 48 && (50...56).contains(bytes[2]) && bytes[3] == 48 && (49...53).contains(bytes[4])
                && bytes[5] == 48
        }

        /// The separators an acknowledgment is written with: the partner's, else X12's usual
        /// `*`, `>`, `~` when one of them is a letter, a digit or a space.
        static func separators(_ received: X12Separators) -> X12Separators {
            func usable(_ byte: UInt8) -> Bool { !(byte &- 48 < 10 || byte &- 65 < 26 || byte &- 97 < 26 || byte == 0x20) }
            let bytes = [received.element, received.component] + received.segment + (received.repetition.map { [$0] } ?? [])
            guard bytes.allSatisfy(usable), Set([received.element, received.component, received.segment[0]]).count == 3 else {
                return X12Separators(element: UInt8(ascii: "*"), component: UInt8(ascii: ">"), repetition: UInt8(ascii: "^"), segment: [UInt8(ascii: "~")])
            }
            return received
        }

        /// An ISA09 date, YYMMDD, that names a day (as a DT element is checked).
        static func shortDate(_ value: String) -> Bool {
            number(value, 6, exactly: true) && Array(value.utf8).withUnsafeBufferPointer(X12ElementRule.isDate)
        }

        /// An ISA10 time, HHMM, that names a minute (as a TM element is checked).
        static func shortTime(_ value: String) -> Bool {
            number(value, 4, exactly: true) && Array(value.utf8).withUnsafeBufferPointer(X12ElementRule.isTime)
        }

        /// Digits only, at most (or `exactly`) `length` of them.
        static func number(_ value: String, _ length: Int, exactly: Bool = false) -> Bool {
            !value.isEmpty && (exactly ? value.utf8.count == length : value.utf8.count <= length)
                && value.utf8.allSatisfy { $0 &- 48 < 10 }
        }
    }

    /// One 997 for one functional group; returns its AK901.
    @discardableResult
    static func functionalAcknowledgment(
        of group: X12GroupSummary, reports: [X12SetSyntax.Report], number: Int, version: String,
        detail: X12AcknowledgmentOptions.Detail, envelopeRejected: Bool = false, into writer: inout X12Writer
    ) -> String {
        func isAccepted(_ report: X12SetSyntax.Report) -> Bool { report.accepted && !envelopeRejected }
        let control = String(repeating: "0", count: max(0, 4 - String(number).count)) + String(number)
        let start = writer.segments
        writer.segment("ST", "997", control)
        if version >= "005010" {
            writer.segment("AK1", group.header.functionalID, group.header.controlNumber, group.header.version)
        } else {
            writer.segment("AK1", group.header.functionalID, group.header.controlNumber)
        }
        if detail != .group {
            // A set whose ST01 or ST02 an AK2 cannot echo is counted, not listed.
            for report in reports where Carry.number(report.type, 3, exactly: true) && Carry.text(report.controlNumber, 4, 9) {
                writer.segment("AK2", report.type, report.controlNumber)
                if detail == .element {
                    for segment in report.segmentErrors { write(segment, into: &writer) }
                }
                writer.segment(["AK5", isAccepted(report) ? "A" : "R"] + report.setErrors.prefix(5).map(\.rawValue))
            }
        }
        let accepted = group.errors.isEmpty ? reports.filter(isAccepted).count : 0
        let status = !group.errors.isEmpty || accepted == 0 ? "R" : accepted == reports.count ? "A" : "P"
        let included = group.declaredSets.map(String.init) ?? String(reports.count)
        writer.segment(["AK9", status, included, String(reports.count), String(accepted)] + group.errors.prefix(5).map(\.rawValue))
        writer.segment("SE", String(writer.segments - start + 1), control)
        return status
    }

    /// AK3 and its AK4s. Bad data is copied (AK404) only when it holds none of the
    /// acknowledgment's separators and fits its 99 characters.
    static func write(_ segment: X12SegmentError, into writer: inout X12Writer) {
        // A tag an AK301 cannot carry (one character or none, a separator in it) is left to AK5's
        // code 5.
        guard Carry.text(segment.tag, 2, 3), writer.canCarry(segment.tag) else { return }
        writer.segment("AK3", segment.tag, String(segment.position), "", segment.code.rawValue)
        for element in segment.elements {
            let position =
                element.component.map { String(element.position) + String(decoding: [writer.separators.component], as: UTF8.self) + String($0) }
                ?? String(element.position)
            let data = element.data.flatMap { writer.canCarry($0) && Carry.text($0, 1, 99) ? $0 : nil }
            writer.segment(["AK4", position, element.reference ?? "", element.code.rawValue] + (data.map { [$0] } ?? []))
        }
    }

    /// 997 (and 999, TA1 carriers) are acknowledgments: functional group FA.
    public static func isAcknowledgment(_ functionalID: String) -> Bool { functionalID == "FA" }

    /// The received ISA13 as nine digits; one that is no number is replaced by the digits of its
    /// hash, so that the acknowledgment still carries a valid one.
    static func controlNumber(_ received: String) -> String {
        if let number = Int(received), number >= 0, number <= 999_999_999 {
            return String(repeating: "0", count: 9 - String(number).count) + String(number)
        }
        var hash: UInt64 = 14_695_981_039_346_656_037
        for byte in received.utf8 { hash = (hash ^ UInt64(byte)) &* 1_099_511_628_211 }
        let number = hash % 999_999_999 + 1
        return String(repeating: "0", count: 9 - String(number).count) + String(number)
    }

    static func pad(_ text: String, _ width: Int) -> String {
        text.count >= width ? text : text + String(repeating: " ", count: width - text.count)
    }

    /// A time as the envelope writes it, in UTC.
    struct Stamp {
        var shortDate: String
        var longDate: String
        var time: String

        init(_ time: Timestamp) {
            let utc = Timestamp(epochSeconds: time.epochSeconds)
            let date = utc.localDate
            let seconds = Int((utc.epochSeconds % 86_400 + 86_400) % 86_400)
            func two(_ n: Int) -> String { n < 10 ? "0\(n)" : String(n) }
            longDate = String(date.year) + two(date.month) + two(date.day)
            shortDate = String(longDate.dropFirst(2))
            self.time = two(seconds / 3600) + two(seconds % 3600 / 60)
        }
    }
}

/// Writes segments with an interchange's separators.
struct X12Writer {
    let separators: X12Separators
    private(set) var bytes: [UInt8] = []
    private(set) var segments = 0

    init(separators: X12Separators) { self.separators = separators }

    mutating func segment(_ elements: String...) { segment(elements) }

    mutating func segment(_ elements: [String]) {
        var elements = elements
        while elements.count > 1, elements.last?.isEmpty == true { elements.removeLast() }
        for (index, element) in elements.enumerated() {
            if index > 0 { bytes.append(separators.element) }
            bytes += element.utf8
        }
        bytes += separators.segment
        segments += 1
    }

    /// Whether `text` can be written as an element: none of the separators in it.
    func canCarry(_ text: String) -> Bool {
        !text.utf8.contains { $0 == separators.element || $0 == separators.component || separators.segment.contains($0) || $0 == separators.repetition }
    }
}

/// Collects the syntax reports of an input's sets as they are read, then writes one
/// acknowledgment per interchange.
public struct X12AcknowledgmentCollector: Sendable {
    struct Entry: Sendable {
        var interchangeOffset: Int
        var report: X12SetSyntax.Report
    }

    private var entries: [Entry] = []

    public init() {}

    /// A set as the reader hands it over. Sets outside a functional group belong to none an
    /// AK1 can name; the TA1 reports their interchange's structure.
    public mutating func add(_ set: X12TransactionSet) {
        guard set.group != nil else { return }
        entries.append(Entry(interchangeOffset: set.interchange.offset, report: X12SetSyntax.check(set)))
    }

    /// One acknowledgment for each interchange of `result` that gets one: `options` says what
    /// an interchange's sender is to get (nil: nothing).
    public func acknowledgments(
        _ result: X12ReadResult, time: Timestamp, options: (X12InterchangeSummary) -> X12AcknowledgmentOptions?
    ) -> [X12Acknowledgment.Written] {
        // Each interchange's reports, found once (an input may hold thousands of interchanges).
        let byInterchange = Dictionary(grouping: entries, by: \.interchangeOffset)
        return result.interchanges.compactMap { interchange in
            guard let options = options(interchange) else { return nil }
            var reports = (byInterchange[interchange.header.offset] ?? []).map(\.report)[...]
            // ST02s used twice are known once the group is closed.
            var marked: [X12SetSyntax.Report] = []
            for group in interchange.groups {
                for var report in reports.prefix(group.sets.count) {
                    if group.repeatedControlNumbers.contains(report.controlNumber) {
                        report.setErrors.append(.controlNumberNotUnique)
                    }
                    marked.append(report)
                }
                reports = reports.dropFirst(group.sets.count)
            }
            return X12Acknowledgment.make(interchange, reports: marked, time: time, options: options)
        }
    }
}

extension X12Acknowledgment {
    /// An acknowledgment interchange with what it says.
    public struct Written: Sendable {
        /// The acknowledged interchange's ISA13, and where its ISA is in the input.
        public var acknowledges: String
        public var interchangeOffset: Int
        /// `accepted` (every group and the envelope), `rejected` (nothing accepted), or `partial`.
        public var status: String
        public var bytes: [UInt8]
    }

    /// Reads `input` and acknowledges each of its interchanges.
    public static func acknowledge(_ input: [UInt8], time: Timestamp, options: X12AcknowledgmentOptions) -> [Written] {
        var collector = X12AcknowledgmentCollector()
        let result = X12Reader.read(input) { collector.add($0) }
        return collector.acknowledgments(result, time: time) { _ in options }
    }
}
