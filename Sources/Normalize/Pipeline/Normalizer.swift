public import Formats
public import MasterData
import Model

/// The pipeline stage as a pure function: (record bytes, headers, master data) → canonical
/// events or rejections. `crossdock normalize` and `crossdock run` call the same function, so the
/// two agree byte for byte.
public struct Normalizer: Sendable {
    public var snapshot: MasterDataSnapshot
    /// Records larger than this are rejected with `MESSAGE_TOO_LARGE` before parsing.
    public var maximumRecordSize: Int
    /// Barcodes that read well, shared by the copies of this normaliser.
    public var barcodes: GS1ReadCache
    /// X12 and EDIFACT inputs larger than this are read twice: once for their envelopes' findings
    /// (IEA, GE, UNZ, UNE counts and control numbers, known only at the end), then set by set or
    /// message by message, each one's outcomes handed on before the next is read. A large
    /// interchange is then never held as a whole: beside the input itself, memory is bounded by its
    /// largest transaction set or message. Smaller inputs are read once. Both ways give the same
    /// outcomes in the same order.
    public var streamingThreshold = 1 << 20
    /// A rejection carries at most this many bytes of the original; the rest is known by its
    /// length and SHA-256 and stays at its source position.
    public var maximumOriginalBytes = 1 << 20
    /// An event larger than this, as the hub writes it, is its document's rejection
    /// (`MESSAGE_TOO_LARGE`), as in the hub (its `maxOutputBytes`); nil: not checked here.
    public var maximumOutputBytes: Int? = nil

    public init(
        snapshot: MasterDataSnapshot, maximumRecordSize: Int = 10 * 1024 * 1024, barcodes: GS1ReadCache = GS1ReadCache()
    ) {
        self.snapshot = snapshot
        self.maximumRecordSize = maximumRecordSize
        self.barcodes = barcodes
    }

    /// Every outcome of one input record, in document order. Each document in it (transaction
    /// set, message, JSON document, scan) is one event or one rejection; nothing is dropped.
    public func normalize(_ record: InputRecord, source: Source) -> [Outcome] {
        var outcomes: [Outcome] = []
        normalize(record, source: source) { outcomes.append($0) }
        return outcomes
    }

    /// Every outcome of one input record, in document order, handed to `emit` as it is made: the
    /// events of a large interchange one by one (see ``streamingThreshold``), then the record's
    /// one rejection, if any of its documents was rejected (``RecordRejection``).
    public func normalize(_ record: InputRecord, source: Source, emit: (Outcome) -> Void) {
        var rejection = RecordRejection(record: record)
        normalizeDocuments(record, source: source) { outcome in
            if let event = rejection.add(outcome), maximumOutputBytes.map({ rejection.fits(event, limit: $0) }) ?? true {
                emit(.event(event))
            }
        }
        if let rejected = rejection.finish(originalLimit: maximumOriginalBytes) { emit(.rejected(rejected)) }
    }

    /// Each document's outcome, in document order, as it is made: rejections are those of single
    /// documents, to be gathered into the record's one rejection by a ``RecordRejection``.
    /// `observer` sees the EDI input as it is read (to acknowledge it without reading it again).
    public func normalizeDocuments(_ record: InputRecord, source: Source, observer: EDIObserver? = nil, emit: (Outcome) -> Void) {
        route(record, source: source, observer: observer, emit: emit)
    }

    func route(_ record: InputRecord, source: Source, observer: EDIObserver? = nil, emit: (Outcome) -> Void) {
        func all(_ outcomes: [Outcome]) { outcomes.forEach(emit) }
        let format: InputFormat
        switch admit(record, source: source) {
        case .failure(let refusal): return all(rejectInput(refusal.diagnostics, stage: .decode, record))
        case .success(let sniffed): format = sniffed
        }
        switch (source, format) {
        case (.asn, .x12):
            x12(record, type: "856", name: "ship notice", read: X12ShipNotice.readLines, observer: observer, emit: emit) { read, extra, index in
                var document = read.document
                document.diagnostics += extra
                return [ShipNoticeAdapter.normalize(document, lines: read.lines, record: record, snapshot: snapshot, position: index)]
            }
        case (.asn, .edifact):
            edifact(record, type: "DESADV", name: "despatch advice", read: EdifactDespatchAdvice.readLines, observer: observer, emit: emit) {
                read, extra, index in
                var document = read.document
                document.diagnostics += extra
                return [ShipNoticeAdapter.normalize(document, lines: read.lines, record: record, snapshot: snapshot, position: index)]
            }
        case (.asn, .json):
            all(json(record) { value in
                var document = JSONShipNotice.read(value)
                document.documentID = "\(document.asnNumber ?? "")/\(EventID.digest(record.value))"
                return [ShipNoticeAdapter.normalize(document, record: record, snapshot: snapshot, position: 0)]
            })
        case (.carrier, .x12):
            x12(record, type: "214", name: "shipment status", read: X12ShipmentStatus.read, observer: observer, emit: emit) { document, extra, _ in
                var document = document
                document.diagnostics += extra
                return CarrierStatusAdapter.normalize(document, record: record, snapshot: snapshot)
            }
        case (.carrier, .edifact):
            edifact(record, type: "IFTSTA", name: "status report", read: EdifactStatusReport.read, observer: observer, emit: emit) {
                document, extra, _ in
                var document = document
                document.diagnostics += extra
                return CarrierStatusAdapter.normalize(document, record: record, snapshot: snapshot)
            }
        case (.carrier, .json):
            all(json(record) { CarrierStatusAdapter.normalize(JSONTracking.read($0), record: record, snapshot: snapshot) })
        case (.scan, .json):
            scans(record, emit: emit)
        default:
            all(rejectInput(
                [.error(.codeUnmapped, "\(format.rawValue.uppercased()) input is not accepted for source '\(source.rawValue)'", at: "byte 0")],
                stage: .decode, record))
        }
    }

    /// Why a record cannot be read at all, if it cannot.
    struct Refusal: Error {
        var diagnostics: [Diagnostic]

        init(_ diagnostics: [Diagnostic]) { self.diagnostics = diagnostics }
        init(_ diagnostic: Diagnostic) { diagnostics = [diagnostic] }
    }

    /// The record's format, or why it is refused before reading: too large or cut short, bad
    /// headers, empty, no known format, or plainly another kind of input than its source says.
    func admit(_ record: InputRecord, source: Source) -> Result<InputFormat, Refusal> {
        guard record.value.count <= maximumRecordSize, !record.isCut else {
            let message =
                record.isCut
                ? "the record goes on past the limit of \(maximumRecordSize) bytes (reading stopped there)"
                : "the record is \(record.value.count) bytes, more than the limit of \(maximumRecordSize)"
            return .failure(Refusal(.error(.messageTooLarge, message, at: "byte 0")))
        }
        let headerFindings = record.headerDiagnostics
        guard headerFindings.isEmpty else { return .failure(Refusal(headerFindings)) }
        guard !record.value.isEmpty else {
            return .failure(Refusal(.error(.messageEmpty, "the record has no value (null or empty)", at: "byte 0")))
        }
        guard let format = InputFormat.sniff(record.value) else {
            let code: DiagnosticCode = source == .scan ? .jsonInvalid : .x12Syntax
            return .failure(Refusal(.error(code, "the record is neither X12 (ISA), EDIFACT (UNA/UNB) nor JSON", at: "byte 0")))
        }
        // A record that is plainly another kind of input than its topic or command line says is
        // rejected as such, not with the errors of reading it as the wrong thing.
        if let detected = Source.detect(record.value), detected != source {
            return .failure(
                Refusal(
                    .error(
                        .sourceMismatch, "the record is \(detected.inputName), but it came as \(source.rawValue) input", at: "byte 0")))
        }
        return .success(format)
    }

    /// A JSON scan or batch of scans: each scan its own event or rejection.
    func scans(_ record: InputRecord, emit: (Outcome) -> Void) {
        // Most scans need no parsed tree; the rest, and every problem, go the general way.
        // The record's digest names the document of each of its scans; taken once per record, so
        // a batch costs time linear in its size.
        let document = EventID.digest(record.value)
        if let scan = JSONScan.readPlain(record.value) {
            return emit(
                ScanAdapter.normalize(
                    scan, record: record, document: document, snapshot: snapshot, barcodes: barcodes, position: 0, batch: false))
        }
        switch parseJSONInput(record.value).flatMap(JSONScan.read) {
        case .failure(let diagnostic): rejectInput([diagnostic], stage: .parse, record).forEach(emit)
        case .success(let scans):
            let batch = scans.count > 1 || scans.first?.pointer != .root
            // The batch's sender is the gateway its first scan names.
            let gateway = scans.lazy.compactMap(\.gateway).first
            for (position, scan) in scans.enumerated() {
                emit(
                    ScanAdapter.normalize(
                        scan, record: record, document: document, snapshot: snapshot, barcodes: barcodes, position: position,
                        batch: batch,
                        batchGateway: batch ? gateway : nil))
            }
        }
    }

    // MARK: Shared envelope handling

    /// One rejection for a whole input that holds nothing to map; it always says why.
    func rejectInput(_ diagnostics: [Diagnostic], stage: RejectionStage, _ record: InputRecord, fallback: Diagnostic? = nil) -> [Outcome] {
        var findings = Findings()
        findings.add(diagnostics, stage)
        if !findings.hasErrors, let fallback { findings.add(fallback, stage) }
        return [
            .rejected(
                Rejections.make(
                    findings, record: record, partner: record.transportPartner, site: nil, sourceURN: nil,
                    document: record.source.reference, position: "0"))
        ]
    }

    /// A rejection for one document of a type this source does not take.
    func rejectDocument(_ diagnostics: [Diagnostic], _ record: InputRecord, document: String, position: Int) -> Outcome {
        var findings = Findings()
        findings.add(diagnostics, .parse)
        return .rejected(
            Rejections.make(
                findings, record: record, partner: record.transportPartner, site: nil, sourceURN: nil, document: document,
                position: String(position)))
    }

    func json(_ record: InputRecord, _ adapt: (JSONValue) -> [Outcome]) -> [Outcome] {
        switch parseJSONInput(record.value) {
        case .failure(let diagnostic): return rejectInput([diagnostic], stage: .parse, record)
        case .success(let value): return adapt(value)
        }
    }

    /// Reads every X12 transaction set; sets of `type` are read and adapted with their
    /// interchange's and group's findings (IEA, GE) attached, other sets are rejected (after the
    /// sets of `type`). Above ``streamingThreshold`` the envelopes are read first and the sets then
    /// one at a time, each set's outcomes emitted before the next set is read.
    func x12<Document>(
        _ record: InputRecord, type: String, name: String, read: (X12TransactionSet) -> Document, observer: EDIObserver? = nil,
        emit: (Outcome) -> Void, adapt: (Document, [Diagnostic], Int) -> [Outcome]
    ) {
        // A partner's reading options (mixed terminators) apply from the first segment on.
        var options = X12Reader.Options()
        let senders = X12Reader.senders(record.value)
        if let profile = senders.lazy.compactMap({ self.snapshot.partner(identifier: $0, format: "x12") }).first,
            let alternates = profile.options["x12AlternateTerminators"]
        {
            options.alternateTerminators = Array(alternates.utf8)
        }
        interchanges(
            record, as: X12ReadResult.self, options: options, type: type,
            wrongType: { .error(.x12Envelope, "transaction set \($0.type) is not a \(name) (\(type))", at: "ST \($0.controlNumber)") },
            empty: .error(.x12Envelope, "the interchange holds no transaction set", at: "byte 0"),
            read: read, observer: observer, emit: emit, adapt: adapt)
    }

    /// The EDIFACT counterpart of ``x12(_:type:name:read:emit:adapt:)``: messages of `type` are
    /// read and adapted with their interchange's findings (UNZ, UNE) attached, other messages are
    /// rejected (after the messages of `type`), large interchanges message by message.
    func edifact<Document>(
        _ record: InputRecord, type: String, name: String, read: (EdifactMessage) -> Document, observer: EDIObserver? = nil,
        emit: (Outcome) -> Void, adapt: (Document, [Diagnostic], Int) -> [Outcome]
    ) {
        interchanges(
            record, as: EdifactReadResult.self, options: (), type: type,
            wrongType: { .error(.edifactEnvelope, "message \($0.type) is not a \(name) (\(type))", at: "UNH \($0.reference)") },
            empty: .error(.edifactSyntax, "the interchange holds no message", at: "byte 0"),
            read: read, observer: observer, emit: emit, adapt: adapt)
    }

    /// The documents of `type` in an EDI input, whatever the standard (`Result`, whose reader hands
    /// over each transaction set or message). Units of `type` are read and adapted with their
    /// interchange's findings attached; other units are rejected with `wrongType`, after those of
    /// `type`; an input without any unit is rejected with its envelope findings, or `empty`. Above
    /// ``streamingThreshold`` the input is read twice: first for the envelopes, then each unit
    /// adapted and emitted as it is read.
    private func interchanges<Result: EDIReadResult, Document>(
        _ record: InputRecord, as _: Result.Type, options: Result.Options, type: String, wrongType: (Result.Unit) -> Diagnostic,
        empty: Diagnostic, read: (Result.Unit) -> Document, observer: EDIObserver?, emit: (Outcome) -> Void,
        adapt: (Document, [Diagnostic], Int) -> [Outcome]
    ) {
        var others: [Outcome] = []
        // Interchanges that held a unit, and groups that held one of `type`: their findings go
        // with their units.
        var withUnits = Set<Int>()
        var groupsWithUnits = Set<Int>()
        func reject(_ unit: Result.Unit) {
            others.append(rejectDocument(unit.diagnostics + [wrongType(unit)], record, document: unit.documentID, position: unit.index))
        }
        func rejectEmpty(_ result: Result) {
            rejectInput(result.envelopeDiagnostics, stage: .parse, record, fallback: empty).forEach(emit)
        }
        /// An interchange without any unit, beside others that have some: its findings would
        /// otherwise go nowhere, so one with an error is a rejected document of its own.
        func rejectUnitless(_ result: Result) {
            // A group without units in an interchange with some: its findings belong to no unit.
            for group in result.groupFindings where withUnits.contains(group.interchange) && !groupsWithUnits.contains(group.offset) {
                guard group.findings.contains(where: { $0.severity == .error }) else { continue }
                others.append(rejectDocument(group.findings, record, document: "functional group at byte \(group.offset)", position: group.offset))
            }
            for (offset, findings) in result.findingsByInterchange.sorted(by: { $0.key < $1.key }) where !withUnits.contains(offset) {
                guard findings.contains(where: { $0.severity == .error }) else { continue }
                others.append(
                    rejectDocument(
                        findings + [Diagnostic(severity: empty.severity, code: empty.code, message: empty.message, location: "byte \(offset)")],
                        record, document: "interchange at byte \(offset)",
                        position: offset))
            }
        }
        if record.value.count > streamingThreshold {
            let summary = Result.read(record.value, options: options) { _ in }
            if let observer { summary.observed(by: observer) }
            var attached = AttachedFindings(summary)
            var index = 0
            _ = Result.read(record.value, options: options) { unit in
                if let observer { unit.observed(by: observer) }
                withUnits.insert(unit.interchangeOffset)
                guard unit.type == type else { return reject(unit) }
                if let group = unit.groupOffset { groupsWithUnits.insert(group) }
                adapt(read(unit), attached.findings(of: unit), index).forEach(emit)
                index += 1
            }
            guard index > 0 || !others.isEmpty else { return rejectEmpty(summary) }
            rejectUnitless(summary)
            others.forEach(emit)
            return
        }
        var documents: [(document: Document, interchange: Int, group: Int?)] = []
        let result = Result.read(record.value, options: options) { unit in
            if let observer { unit.observed(by: observer) }
            withUnits.insert(unit.interchangeOffset)
            guard unit.type == type else { return reject(unit) }
            if let group = unit.groupOffset { groupsWithUnits.insert(group) }
            documents.append((read(unit), unit.interchangeOffset, unit.groupOffset))
        }
        if let observer { result.observed(by: observer) }
        guard !documents.isEmpty || !others.isEmpty else { return rejectEmpty(result) }
        var attached = AttachedFindings(result)
        for (index, entry) in documents.enumerated() {
            adapt(entry.document, attached.findings(interchange: entry.interchange, group: entry.group), index).forEach(emit)
        }
        rejectUnitless(result)
        others.forEach(emit)
    }
}

/// The envelope findings each unit carries: its interchange's, its group's and the input's, of
/// each the first ``listed`` and a count of the others. A group's findings (X12 GS/GE) are its own
/// sets' only, as its 997 says; every unit of an interchange gets the interchange's, so one of
/// thousands of units and thousands of envelope findings would otherwise copy each finding into
/// each unit. Each part is bounded once, each unit's list made once per interchange and group.
struct AttachedFindings {
    static let listed = 100
    private let interchanges: [Int: [Diagnostic]]
    private let groups: [Int: [Diagnostic]]
    private let input: [Diagnostic]
    private var made: [Int: [Int: [Diagnostic]]] = [:]  // interchange, group (-1 for none)

    init<Result: EDIReadResult>(_ result: Result) {
        interchanges = result.interchangeFindings.reduce(into: [:]) { bounded, entry in
            bounded[entry.key] = Self.bounded(entry.value, of: "the interchange at byte \(entry.key)")
        }
        groups = result.groupFindings.reduce(into: [:]) { bounded, group in
            bounded[group.offset] = Self.bounded(group.findings, of: "the functional group at byte \(group.offset)")
        }
        input = Self.bounded(result.diagnostics, of: "the input")
    }

    mutating func findings<Unit: EDIUnit>(of unit: Unit) -> [Diagnostic] {
        findings(interchange: unit.interchangeOffset, group: unit.groupOffset)
    }

    mutating func findings(interchange: Int, group: Int?) -> [Diagnostic] {
        if let known = made[interchange]?[group ?? -1] { return known }
        let all = (interchanges[interchange] ?? []) + (group.flatMap { groups[$0] } ?? []) + input
        made[interchange, default: [:]][group ?? -1] = all
        return all
    }

    /// The first ``listed`` findings, past them the first of each code and severity, and one
    /// FINDINGS_OMITTED for the rest (``FindingCap``).
    static func bounded(_ findings: [Diagnostic], of owner: String) -> [Diagnostic] {
        FindingCap.bounded(findings, limit: listed, owner: owner, noun: "envelope findings")
    }
}

/// A transaction set or a message, as the normaliser reads any EDI input.
protocol EDIUnit {
    /// ST01 or UNH's message type.
    var type: String { get }
    var diagnostics: [Diagnostic] { get }
    var documentID: String { get }
    /// 0-based position among the input's units.
    var index: Int { get }
    /// The byte offset of its interchange's header.
    var interchangeOffset: Int { get }
    /// The byte offset of its functional group's header (X12 GS), if its group's findings are
    /// kept apart from its interchange's.
    var groupOffset: Int? { get }
    /// Hands itself to `observer`.
    func observed(by observer: EDIObserver)
}

/// What reading an EDI input found outside its units.
protocol EDIReadResult {
    associatedtype Unit: EDIUnit
    associatedtype Options
    /// Reads the whole input, handing over each unit as it is read.
    static func read(_ input: [UInt8], options: Options, each: (Unit) -> Void) -> Self
    /// Findings about the input as a whole.
    var diagnostics: [Diagnostic] { get }
    /// Every finding outside the units.
    var envelopeDiagnostics: [Diagnostic] { get }
    /// Each interchange's own findings (and its groups'), by the byte offset of its header.
    var findingsByInterchange: [Int: [Diagnostic]] { get }
    /// Each interchange's own findings, without those of its groups listed in ``groupFindings``.
    var interchangeFindings: [Int: [Diagnostic]] { get }
    /// Each functional group's findings, by the byte offsets of its interchange and its header.
    var groupFindings: [(interchange: Int, offset: Int, findings: [Diagnostic])] { get }
    /// Hands itself to `observer`.
    func observed(by observer: EDIObserver)
}

extension X12TransactionSet: EDIUnit {
    var interchangeOffset: Int { interchange.offset }
    var groupOffset: Int? { group?.offset }
    func observed(by observer: EDIObserver) { observer.x12.add(self) }
}

extension EdifactMessage: EDIUnit {
    var interchangeOffset: Int { interchange.offset }
    // UNG/UNE findings are kept with the interchange's (EDIFACT groups are rare, and CONTRL
    // answers them at the interchange's level).
    var groupOffset: Int? { nil }
    func observed(by observer: EDIObserver) { observer.edifact.add(self) }
}

/// Sees an EDI input as the normaliser reads it: each transaction set or message, then what was
/// read outside them. The acknowledgments are made from what it saw, without a second reading.
public final class EDIObserver {
    var x12 = X12AcknowledgmentCollector()
    var edifact = EdifactAcknowledgmentCollector()
    var x12Result: X12ReadResult?
    var edifactResult: EdifactReadResult?

    public init() {}

    /// Whether it saw a whole input.
    public var sawInput: Bool { x12Result != nil || edifactResult != nil }
}

extension X12ReadResult: EDIReadResult {
    static func read(_ input: [UInt8], options: X12Reader.Options, each: (X12TransactionSet) -> Void) -> X12ReadResult {
        X12Reader.read(input, options: options, onSet: each)
    }

    var findingsByInterchange: [Int: [Diagnostic]] {
        var findings: [Int: [Diagnostic]] = [:]
        for interchange in interchanges {
            findings[interchange.header.offset] = interchange.diagnostics + interchange.groups.flatMap(\.diagnostics)
        }
        return findings
    }

    var interchangeFindings: [Int: [Diagnostic]] {
        Dictionary(interchanges.map { ($0.header.offset, $0.diagnostics) }, uniquingKeysWith: { $0 + $1 })
    }

    var groupFindings: [(interchange: Int, offset: Int, findings: [Diagnostic])] {
        interchanges.flatMap { interchange in interchange.groups.map { (interchange.header.offset, $0.header.offset, $0.diagnostics) } }
    }

    func observed(by observer: EDIObserver) { observer.x12Result = self }
}

extension EdifactReadResult: EDIReadResult {
    static func read(_ input: [UInt8], options _: Void, each: (EdifactMessage) -> Void) -> EdifactReadResult {
        EdifactReader.read(input, onMessage: each)
    }

    var findingsByInterchange: [Int: [Diagnostic]] {
        var findings: [Int: [Diagnostic]] = [:]
        for interchange in interchanges { findings[interchange.header.offset] = interchange.diagnostics }
        return findings
    }

    var interchangeFindings: [Int: [Diagnostic]] { findingsByInterchange }
    var groupFindings: [(interchange: Int, offset: Int, findings: [Diagnostic])] { [] }

    func observed(by observer: EDIObserver) { observer.edifactResult = self }
}
