import Formats
public import MasterData
import Model

/// The pipeline stage as a pure function: (record bytes, headers, master data) → canonical
/// events or rejections. `crossdock normalize` and `crossdock run` call the same function, so the
/// two agree byte for byte.
public struct Normalizer: Sendable {
    public var snapshot: MasterDataSnapshot
    /// Records larger than this are rejected with `MESSAGE_TOO_LARGE` before parsing.
    public var maximumRecordSize: Int
    /// References of the ship notices seen so far, for linking carrier status to them.
    public var links: ShipmentLinks?

    public init(snapshot: MasterDataSnapshot, maximumRecordSize: Int = 10 * 1024 * 1024, links: ShipmentLinks? = nil) {
        self.snapshot = snapshot
        self.maximumRecordSize = maximumRecordSize
        self.links = links
    }

    /// Every outcome of one input record, in document order. Each document in it (transaction
    /// set, message, JSON document) is one event or one rejection; nothing is dropped.
    public func normalize(_ record: InputRecord, source: Source) -> [Outcome] {
        let outcomes = route(record, source: source)
        if let links {
            for case .event(.shipmentNotice(let event)) in outcomes {
                let notice = event.data
                links.remember(
                    [notice.asnNumber, notice.references?.billOfLading, notice.references?.proNumber].compactMap { $0 }
                        + (notice.references?.trackingNumbers ?? []), shipmentId: notice.shipmentId)
            }
        }
        return outcomes
    }

    func route(_ record: InputRecord, source: Source) -> [Outcome] {
        guard record.value.count <= maximumRecordSize else {
            return [reject(.error(.messageTooLarge, "the record is \(record.value.count) bytes, more than the limit of \(maximumRecordSize)", at: "byte 0"), stage: .decode, record)]
        }
        guard let format = InputFormat.sniff(record.value) else {
            let code: DiagnosticCode = source == .scan ? .jsonInvalid : .x12Syntax
            return [reject(.error(code, "the record is neither X12 (ISA), EDIFACT (UNA/UNB) nor JSON", at: "byte 0"), stage: .decode, record)]
        }
        switch (source, format) {
        case (.asn, .x12): return x12ShipNotices(record)
        case (.asn, .edifact): return edifactDespatchAdvices(record)
        case (.carrier, .x12): return x12Statuses(record)
        case (.carrier, .edifact):
            var outcomes: [Outcome] = []
            let result = EdifactReader.read(record.value) { message in
                if message.type == "IFTSTA" {
                    outcomes += CarrierStatusAdapter.normalize(
                        EdifactStatusReport.read(message), record: record, snapshot: snapshot, links: links)
                } else {
                    var findings = Findings()
                    findings.add(message.diagnostics + [.error(.edifactEnvelope, "message \(message.type) is not a status report (IFTSTA)", at: "UNH \(message.reference)")], .parse)
                    outcomes.append(.rejected(Rejections.make(findings, record: record, partner: record.transportPartner, site: nil, sourceURN: nil, document: message.documentID, position: String(message.index))))
                }
            }
            if outcomes.isEmpty || !result.envelopeDiagnostics.filter({ $0.severity == .error }).isEmpty {
                var findings = Findings()
                findings.add(result.envelopeDiagnostics, .parse)
                if !findings.hasErrors { findings.add(.error(.edifactSyntax, "the interchange holds no message", at: "byte 0"), .parse) }
                return [.rejected(Rejections.make(findings, record: record, partner: record.transportPartner, site: nil, sourceURN: nil, document: record.source.reference, position: "0"))]
            }
            return outcomes
        case (.carrier, .json):
            switch parseJSONInput(record.value) {
            case .failure(let diagnostic): return [reject(diagnostic, stage: .parse, record)]
            case .success(let value):
                return CarrierStatusAdapter.normalize(JSONTracking.read(value), record: record, snapshot: snapshot, links: links)
            }
        case (.scan, .json):
            switch parseJSONInput(record.value).flatMap(JSONScan.read) {
            case .failure(let diagnostic): return [reject(diagnostic, stage: .parse, record)]
            case .success(let scans):
                let batch = scans.count > 1 || scans.first?.pointer != .root
                return scans.enumerated().map {
                    ScanAdapter.normalize($0.element, record: record, snapshot: snapshot, position: $0.offset, batch: batch)
                }
            }
        case (.asn, .json):
            switch parseJSONInput(record.value) {
            case .failure(let diagnostic): return [reject(diagnostic, stage: .parse, record)]
            case .success(let value):
                var document = JSONShipNotice.read(value)
                document.documentID = "\(document.asnNumber ?? "")/\(EventID.digest(record.value))"
                return [ShipNoticeAdapter.normalize(document, record: record, snapshot: snapshot, position: 0)]
            }
        default:
            return [
                reject(
                    .error(
                        .codeUnmapped, "\(format.rawValue.uppercased()) input is not accepted for source '\(source.rawValue)'",
                        at: "byte 0"), stage: .decode, record)
            ]
        }
    }

    func reject(_ diagnostic: Diagnostic, stage: RejectionStage, _ record: InputRecord) -> Outcome {
        var findings = Findings()
        findings.add(diagnostic, stage)
        return .rejected(
            Rejections.make(
                findings, record: record, partner: record.transportPartner, site: nil, sourceURN: nil,
                document: record.source.reference, position: "0"))
    }

    // MARK: X12 ship notices

    func x12ShipNotices(_ record: InputRecord) -> [Outcome] {
        var documents: [(document: ASNDocument, interchange: Int)] = []
        var unexpected: [(X12TransactionSet, Diagnostic)] = []
        // A partner's reading options (mixed terminators) apply from the first segment on.
        var options = X12Reader.Options()
        let senders = X12Reader.senders(record.value)
        if let profile = senders.lazy.compactMap({ self.snapshot.partner(identifier: $0, format: "x12") }).first,
            let alternates = profile.options["x12AlternateTerminators"]
        {
            options.alternateTerminators = Array(alternates.utf8)
        }
        let result = X12Reader.read(record.value, options: options) { set in
            if set.type == "856" {
                documents.append((X12ShipNotice.read(set), set.interchange.offset))
            } else {
                unexpected.append(
                    (set, .error(.x12Envelope, "transaction set \(set.type) is not a ship notice (856)", at: "ST \(set.controlNumber)")))
            }
        }
        if documents.isEmpty && unexpected.isEmpty {
            // Nothing to map: the record still ends as one rejection that says why.
            var findings = Findings()
            findings.add(result.envelopeDiagnostics, .parse)
            if !findings.hasErrors {
                findings.add(.error(.x12Envelope, "the interchange holds no transaction set", at: "byte 0"), .parse)
            }
            return [
                .rejected(
                    Rejections.make(
                        findings, record: record, partner: record.transportPartner, site: nil, sourceURN: nil,
                        document: record.source.reference, position: "0"))
            ]
        }
        // Interchange and group findings (IEA, GE) belong to every set they enclose.
        var envelope: [Int: [Diagnostic]] = [:]
        for interchange in result.interchanges {
            envelope[interchange.header.offset] = interchange.diagnostics + interchange.groups.flatMap(\.diagnostics)
        }
        var outcomes: [Outcome] = []
        for (index, entry) in documents.enumerated() {
            var document = entry.document
            document.diagnostics += envelope[entry.interchange] ?? []
            document.diagnostics += result.diagnostics
            outcomes.append(ShipNoticeAdapter.normalize(document, record: record, snapshot: snapshot, position: index))
        }
        for (set, diagnostic) in unexpected {
            var findings = Findings()
            findings.add(set.diagnostics + [diagnostic], .parse)
            outcomes.append(
                .rejected(
                    Rejections.make(
                        findings, record: record, partner: record.transportPartner, site: nil, sourceURN: nil,
                        document: set.documentID, position: String(set.index))))
        }
        return outcomes
    }

    // MARK: EDIFACT despatch advices

    func edifactDespatchAdvices(_ record: InputRecord) -> [Outcome] {
        var documents: [(document: ASNDocument, interchange: Int)] = []
        var unexpected: [EdifactMessage] = []
        let result = EdifactReader.read(record.value) { message in
            if message.type == "DESADV" {
                documents.append((EdifactDespatchAdvice.read(message), message.interchange.offset))
            } else {
                unexpected.append(message)
            }
        }
        if documents.isEmpty && unexpected.isEmpty {
            var findings = Findings()
            findings.add(result.envelopeDiagnostics, .parse)
            if !findings.hasErrors {
                findings.add(.error(.edifactSyntax, "the interchange holds no message", at: "byte 0"), .parse)
            }
            return [
                .rejected(
                    Rejections.make(
                        findings, record: record, partner: record.transportPartner, site: nil, sourceURN: nil,
                        document: record.source.reference, position: "0"))
            ]
        }
        var envelope: [Int: [Diagnostic]] = [:]
        for interchange in result.interchanges { envelope[interchange.header.offset] = interchange.diagnostics }
        var outcomes: [Outcome] = []
        for (index, entry) in documents.enumerated() {
            var document = entry.document
            document.diagnostics += (envelope[entry.interchange] ?? []) + result.diagnostics
            outcomes.append(ShipNoticeAdapter.normalize(document, record: record, snapshot: snapshot, position: index))
        }
        for message in unexpected {
            var findings = Findings()
            findings.add(
                message.diagnostics + [
                    .error(.edifactEnvelope, "message \(message.type) is not a despatch advice (DESADV)", at: "UNH \(message.reference)")
                ], .parse)
            outcomes.append(
                .rejected(
                    Rejections.make(
                        findings, record: record, partner: record.transportPartner, site: nil, sourceURN: nil,
                        document: message.documentID, position: String(message.index))))
        }
        return outcomes
    }

    // MARK: X12 214

    func x12Statuses(_ record: InputRecord) -> [Outcome] {
        var outcomes: [Outcome] = []
        var envelope: [Int: [Diagnostic]] = [:]
        var documents: [(StatusDocument, Int)] = []
        let result = X12Reader.read(record.value) { set in
            if set.type == "214" {
                documents.append((X12ShipmentStatus.read(set), set.interchange.offset))
            } else {
                var findings = Findings()
                findings.add(set.diagnostics + [.error(.x12Envelope, "transaction set \(set.type) is not a shipment status (214)", at: "ST \(set.controlNumber)")], .parse)
                outcomes.append(.rejected(Rejections.make(findings, record: record, partner: record.transportPartner, site: nil, sourceURN: nil, document: set.documentID, position: String(set.index))))
            }
        }
        for interchange in result.interchanges {
            envelope[interchange.header.offset] = interchange.diagnostics + interchange.groups.flatMap(\.diagnostics)
        }
        if documents.isEmpty && outcomes.isEmpty {
            var findings = Findings()
            findings.add(result.envelopeDiagnostics, .parse)
            if !findings.hasErrors { findings.add(.error(.x12Envelope, "the interchange holds no transaction set", at: "byte 0"), .parse) }
            return [.rejected(Rejections.make(findings, record: record, partner: record.transportPartner, site: nil, sourceURN: nil, document: record.source.reference, position: "0"))]
        }
        for (document, interchange) in documents {
            var document = document
            document.diagnostics += (envelope[interchange] ?? []) + result.diagnostics
            outcomes += CarrierStatusAdapter.normalize(document, record: record, snapshot: snapshot, links: links)
        }
        return outcomes
    }
}
