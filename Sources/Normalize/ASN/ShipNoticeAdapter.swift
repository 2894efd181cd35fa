public import Formats
public import MasterData
import Model

/// Turns a ship notice read from any format into a `crossdock.shipment.notice.v1` event, or a
/// rejection that lists every problem: partner, ship-to site, items, units, quantities, keys.
public enum ShipNoticeAdapter {
    /// A GTIN as a document sent it, checked and looked up.
    struct KnownGTIN {
        var gtin: String
        var record: ItemRecord?
    }

    /// What a document's codes as sent (GTINs, unit codes) came to. A ship notice repeats a
    /// handful of them over hundreds of lines, and comparing a code with the few seen is cheaper
    /// than hashing it; codes past the first eight go to a dictionary.
    struct SeenCodes<Value> {
        private var few: [(code: String, value: Value)] = []
        private var more: [String: Value] = [:]

        subscript(code: String) -> Value? {
            for seen in few where seen.code == code { return seen.value }
            return more.isEmpty ? nil : more[code]
        }

        mutating func add(_ code: String, _ value: Value) {
            if few.count < 8 { few.append((code, value)) } else { more[code] = value }
        }
    }

    public static func normalize(
        _ document: ASNDocument, record: InputRecord, snapshot: MasterDataSnapshot, position: Int
    ) -> Outcome {
        normalize(document, lines: document.lines, record: record, snapshot: snapshot, position: position)
    }

    /// The same with the lines given apart from the document (an 856's, read from its segments).
    /// The phases: partner, ship-to, handling units, lines, times, then the event or the rejection.
    public static func normalize<Lines: Collection>(
        _ document: ASNDocument, lines documentLines: Lines, record: InputRecord, snapshot: MasterDataSnapshot, position: Int
    ) -> Outcome where Lines.Element: ShipNoticeLine {
        var findings = Findings()
        findings.add(document.diagnostics.filter { $0.code != .hashTotal }, .parse)
        findings.add(document.diagnostics.filter { $0.code == .hashTotal }, .validate)

        let identifierFormat = DocumentSyntax.family(document.format)
        let partner: PartnerProfile?
        switch PartnerResolution.resolve(
            identifiers: document.senderIdentifiers, groupIdentifiers: document.groupSenderIdentifiers, format: identifierFormat,
            document: document.format, kind: .shipNotice, record: record, snapshot: snapshot,
            location: document.location)
        {
        case .success(let profile): partner = profile
        case .failure(let diagnostic):
            partner = nil
            findings.add(diagnostic, .map)
        }
        let sourceURN = partner.map { EventSource.partner($0.partner) }
            ?? document.senderIdentifiers.first.map { EventSource.sender(format: identifierFormat, $0) }

        guard let partner, let asnNumber = document.asnNumber else {
            if document.asnNumber == nil {
                findings.add(
                    .error(DocumentSyntax.errorCode(document.format), "the ship notice has no ASN number", at: document.location), .parse)
            }
            // The partner's severity overrides hold for this rejection's findings too.
            if let partner { findings.applySeverity(partner.severity) }
            return .rejected(
                Rejections.make(
                    findings, record: record, partner: partner?.partner, site: nil, sourceURN: sourceURN,
                    document: document.documentID, position: String(position)))
        }

        var mapping = ShipNoticeMapping(document: document, record: record, snapshot: snapshot, partner: partner, findings: findings)
        let shipTo = mapping.shipTo()
        let handlingUnits = mapping.handlingUnits()
        let lines = mapping.lines(documentLines)
        let grossWeight = document.grossWeight.flatMap { mapping.weight($0.value, $0.unit, at: document.location) }
        let times = mapping.times(shipTo: shipTo)
        let netWeight = mapping.weight(document.netWeight)
        mapping.checkPassedOnGLNs()

        // The partner's severity overrides decide what still rejects (real partners get envelope
        // counts or a UPC check digit wrong).
        findings = mapping.findings
        findings.applySeverity(partner.severity)
        let site = shipTo?.site
        if shipTo == nil, !findings.hasErrors {
            findings.add(.error(.glnUnknown, "the ship notice's ship-to is not one of our sites", at: document.location), .validate)
        }
        guard !findings.hasErrors, let shipTo else {
            return .rejected(
                Rejections.make(
                    findings, record: record, partner: partner.partner, site: site, sourceURN: sourceURN,
                    document: document.documentID, position: String(position)))
        }

        let supplierParty = document.party("SU")
        let notice = ShipmentNotice(
            shipmentId: "\(partner.partner):\(asnNumber)", asnNumber: asnNumber, purpose: document.purpose ?? .original,
            supplier: Party(id: partner.partner, gln: partner.gln ?? supplierParty?.gln, name: partner.name ?? supplierParty?.name),
            shipFrom: document.party("SF").map { Party(id: $0.gln == nil ? $0.identifier : nil, gln: $0.gln, name: $0.name) },
            shipTo: shipTo, carrier: document.carrier, references: references(document),
            shippedAt: times.shipped.instant, expectedArrivalAt: times.arrival.instant,
            totals: ShipmentTotals(
                handlingUnits: document.handlingUnitCount ?? (handlingUnits.isEmpty ? nil : handlingUnits.count), grossWeight: grossWeight,
                lines: lines.count, netWeight: netWeight),
            orders: orders(document.orders, lines: lines), handlingUnits: handlingUnits, lines: lines,
            warnings: findings.warnings, shippedAtLocal: times.shipped.local, expectedArrivalAtLocal: times.arrival.local)
        let source = EventSource.partner(partner.partner)
        let event = CloudEvent(
            id: EventID.make(source: source, document: document.documentID, position: asnNumber), source: source,
            subject: Subject.shipment(notice.shipmentId), time: times.event ?? record.recordedAt,
            partner: partner.partner, site: shipTo.site, recordedtime: record.recordedAt, correlationid: asnNumber,
            sourceref: record.source.reference, data: notice)
        return .event(.shipmentNotice(event))
    }

    /// Bills of lading, PRO and tracking numbers: the first BM and CN reference are the notice's
    /// own, the rest kept as sent; tracking numbers once each, the PRO number not twice.
    static func references(_ document: ASNDocument) -> ShipmentReferences? {
        var references = ShipmentReferences()
        for reference in document.references {
            switch reference.qualifier {
            case "BM" where references.billOfLading == nil: references.billOfLading = reference.value
            case "CN" where references.proNumber == nil: references.proNumber = reference.value
            default: references.other.append(reference)
            }
        }
        var seen = Set<String>()
        let trackingNumbers = document.trackingNumbers.filter { seen.insert($0).inserted }
        references.trackingNumbers = trackingNumbers.filter { $0 != references.proNumber }
        return references == ShipmentReferences() ? nil : references
    }
}

/// One ship notice from a known partner being mapped, phase by phase, with what it has found so
/// far and the codes it has already resolved.
struct ShipNoticeMapping {
    typealias KnownGTIN = ShipNoticeAdapter.KnownGTIN
    typealias SeenCodes = ShipNoticeAdapter.SeenCodes

    let document: ASNDocument
    let record: InputRecord
    let snapshot: MasterDataSnapshot
    let partner: PartnerProfile
    var findings: Findings
    let unitList: UnitsOfMeasure.CodeList
    let unitCodes: [String: String]
    let itemCodes: [String: String]
    /// Handling units' SSCCs as sent → as checked (parents and lines refer to them as sent).
    private(set) var ssccByRaw: [String: String] = [:]
    /// Every handling unit's SSCC as sent, read or not: a line naming one is not checked again.
    private var unitsSent = Set<String>()
    // Ship notices repeat a few products and units over many cartons: each GTIN as sent is
    // checked and looked up once per document, each unit code resolved once (failures are not
    // kept, so each diagnostic names its own line).
    private var gtins = SeenCodes<KnownGTIN>()
    private var units = SeenCodes<String>()
    private var previousUnit: (raw: String?, sscc: String?) = (nil, nil)
    /// The supplier's dates (its profile's zone, when it works in one).
    let supplierTimes: TimeResolution

    init(document: ASNDocument, record: InputRecord, snapshot: MasterDataSnapshot, partner: PartnerProfile, findings: Findings) {
        self.document = document
        self.record = record
        self.snapshot = snapshot
        self.partner = partner
        self.findings = findings
        unitList = UnitsOfMeasure.CodeList(rawValue: document.unitCodeList) ?? .enterprise
        unitCodes = partner.codes(.uom)
        itemCodes = partner.codes(.item)
        supplierTimes = TimeResolution(record: record, zone: partner.timeZone, owner: "partner \(partner.partner)")
    }

    /// Ship-to: a GLN that is one of our sites, or a site id / location code (through the
    /// partner's location codes); a supplier that never names it can have `options.shipTo`.
    mutating func shipTo() -> Location? {
        guard let party = document.party("ST").flatMap({ $0.identifier == nil ? nil : $0 }), let identifier = party.identifier else {
            if let fallback = partner.options["shipTo"], let site = snapshot.location(id: fallback) {
                return snapshot.location(id: site.site)
            }
            findings.add(
                .error(.glnUnknown, "the ship notice names no ship-to party (and the partner profile sets no options.shipTo)", at: document.location),
                .validate)
            return nil
        }
        // The partner's own code for the place wins, GLN or not.
        let mappedCode = partner.codes(.location)[identifier]
        if mappedCode == nil, let gln = party.gln ?? (isGLN(identifier) ? identifier : nil) {
            // A GLN with a wrong check digit is still looked up (the finding stands, at the
            // severity the partner's profile gives it).
            let checked = GS1Keys.checkedGLN(gln, what: "ship-to GLN", at: party.location.description)
            if let problem = checked.problem { findings.add(problem, .validate) }
            guard let normalized = checked.value else { return nil }
            let site = snapshot.site(gln: normalized)
            if site == nil {
                findings.add(.error(.glnUnknown, "ship-to GLN \(normalized) is not one of our sites", at: party.location.description), .validate)
            }
            return site
        }
        if let location = snapshot.location(id: mappedCode ?? identifier) {
            // A ship-to is a site; a place inside one (a bin, a dock) sent as such names its site,
            // said so. A partner's location code maps to where its profile says, without a word.
            if mappedCode == nil, location.id != location.site {
                findings.add(
                    .warning(
                        .fieldNotUsed, "ship-to '\(identifier)' is a location inside site \(location.site), not a site: the notice is for site \(location.site)",
                        at: party.location.description), .map)
            }
            return snapshot.location(id: location.site)
        }
        findings.add(
            .error(
                .locationUnknown, "ship-to '\(identifier)' is neither a site nor mapped by the partner profile's location codes",
                at: party.location.description), .validate)
        return nil
    }

    /// Handling units: every SSCC checked, the tree they form checked, each unit listed once.
    mutating func handlingUnits() -> [HandlingUnit] {
        ssccByRaw.reserveCapacity(document.handlingUnits.count)
        for unit in document.handlingUnits {
            // A value whose only fault is its check digit is kept: whether that rejects the
            // document is the severity's decision, and a warning must not lose the value.
            let checked = GS1Keys.checkedSSCC(unit.sscc, what: "SSCC", at: unit.location.description)
            if let problem = checked.problem { findings.add(problem, .validate) }
            if let sscc = checked.value { ssccByRaw[unit.sscc] = sscc }
            unitsSent.insert(unit.sscc)
        }
        checkUnitTree(document, ssccByRaw: ssccByRaw, findings: &findings)
        // A unit listed twice alike is listed once.
        var listed = Set<String>()
        var units: [HandlingUnit] = []
        for unit in document.handlingUnits where listed.insert(unit.sscc).inserted {
            guard let sscc = ssccByRaw[unit.sscc] else { continue }
            units.append(
                HandlingUnit(
                    sscc: sscc, packaging: unit.packaging, parent: unit.parent.flatMap { ssccByRaw[$0] ?? $0 },
                    grossWeight: weight(unit.grossWeight)))
        }
        return units
    }

    /// A stated weight in an enterprise unit; a unit code that maps to none is a warning and the
    /// weight is left out (it decides nothing).
    mutating func weight(_ value: ExactDecimal, _ code: String, at location: String) -> Quantity? {
        switch UnitsOfMeasure.resolve(code, list: unitList, partnerCodes: unitCodes, at: location) {
        case .success(let unit): return Quantity(value, unit)
        case .failure(let diagnostic):
            findings.add(diagnostic.downgraded(), .map)
            return nil
        }
    }

    mutating func weight(_ stated: StatedWeight?) -> Quantity? {
        stated.flatMap { weight($0.value, $0.unit, at: $0.location.description) }
    }

    /// Every line the notice lists, mapped; a notice without lines is refused.
    mutating func lines<Lines: Collection>(_ documentLines: Lines) -> [ShipmentLine] where Lines.Element: ShipNoticeLine {
        var lines: [ShipmentLine] = []
        lines.reserveCapacity(documentLines.count)
        for line in documentLines {
            if let mapped = self.line(line) { lines.append(mapped) }
        }
        if documentLines.isEmpty {
            findings.add(
                .error(
                    .quantityInvalid, "the ship notice has no item lines" + (document.structure.map { ": \($0)" } ?? ""),
                    at: document.location), .validate)
        }
        return lines
    }

    /// One line: its item, quantity in the enterprise unit and the item's base unit, carton,
    /// expiry and weights. A line without a usable quantity is left out (its finding rejects).
    mutating func line(_ line: some ShipNoticeLine) -> ShipmentLine? {
        let item = self.item(of: line)
        guard let (quantity, base) = quantity(of: line, item: item.record) else { return nil }
        let sscc = handlingUnit(of: line)
        // Read once each; the location's text is made only for a finding.
        let weights = line.weights
        var expiry: CalendarDate? = nil
        if let sent = line.expiry {
            expiry = supplierTimes.date(sent, field: "expiry", at: line.location.description, findings: &findings)
        }
        return ShipmentLine(
            lineId: line.lineId,
            item: Item(
                gtin: item.gtin, sku: item.record?.sku, supplierItem: item.supplierItem, buyerItem: item.buyerItem,
                description: line.description, lot: line.lot,
                expiry: expiry),
            quantity: quantity, baseQuantity: base, poNumber: line.poNumber,
            poLine: line.poLine, handlingUnit: sscc, serials: line.serials,
            grossWeight: weights.isEmpty ? nil : weight(weights.first { $0.kind == .gross }),
            netWeight: weights.isEmpty ? nil : weight(weights.first { $0.kind == .net }))
    }

    /// What a line's product ids name.
    struct LineItem {
        var gtin: String? = nil
        var supplierItem: String? = nil
        var buyerItem: String? = nil
        var record: ItemRecord? = nil
    }

    /// The line's item in master data, from its GTIN, the partner's supplier item codes or the
    /// buyer's item number; ids that name two different items are a conflict.
    mutating func item(of line: some ShipNoticeLine) -> LineItem {
        var item = LineItem()
        for id in line.productIDs {
            switch id.kind {
            case .gtin:
                let known: KnownGTIN
                if let seen = gtins[id.value] {
                    known = seen
                } else {
                    let checked = GS1Keys.checkedGTIN14(id.value, what: "GTIN", at: id.location.description)
                    if let problem = checked.problem { findings.add(problem, .validate) }
                    guard let gtin = checked.value else { continue }
                    known = KnownGTIN(gtin: gtin, record: snapshot.item(gtin: gtin))
                    // A GTIN with a finding is checked again on its next line, so each line
                    // that carries it names its own location.
                    if checked.problem == nil { gtins.add(id.value, known) }
                }
                item.gtin = known.gtin
                if let earlier = item.record, let found = known.record, earlier.sku != found.sku {
                    findings.add(
                        .error(
                            .valueConflict, "line \(line.lineId): GTIN \(known.gtin) names item \(found.sku), another id of the line names \(earlier.sku)",
                            at: id.location.description), .validate)
                }
                item.record = item.record ?? known.record
            case .supplierItem:
                item.supplierItem = id.value
                guard let sku = itemCodes[id.value] else { break }
                if let record = item.record {
                    if record.sku != sku {
                        // The line's ids name two different items: which one shipped is unknown.
                        findings.add(
                            .error(
                                .valueConflict,
                                "line \(line.lineId): the GTIN names item \(record.sku), supplier item \(id.value) names \(sku)",
                                at: id.location.description), .validate)
                    }
                } else {
                    item.record = snapshot.item(sku: sku)
                }
            case .buyerItem:
                item.buyerItem = id.value
                if let record = item.record {
                    if let named = snapshot.item(sku: id.value), named.sku != record.sku {
                        findings.add(
                            .error(
                                .valueConflict, "line \(line.lineId): buyer item \(id.value) is not item \(record.sku), which its other ids name",
                                at: id.location.description), .validate)
                    }
                } else {
                    item.record = snapshot.item(sku: id.value)
                }
            case .other:
                break
            }
        }
        if let record = item.record {
            if item.gtin == nil { item.gtin = record.gtin }
        } else {
            let named = line.productIDs.map { "\($0.qualifier) \($0.value)" }.joined(separator: ", ")
            findings.add(
                .error(
                    .itemUnknown,
                    "line \(line.lineId): no item in master data for \(named.isEmpty ? "a line without product ids" : named)"
                        + (item.supplierItem != nil ? " (and the partner profile maps no such supplier item)" : ""),
                    at: line.location.description), .validate)
        }
        return item
    }

    /// The line's quantity in an enterprise unit, and in the item's base unit when the item is
    /// known; nil when the line has none or it cannot be used.
    mutating func quantity(of line: some ShipNoticeLine, item record: ItemRecord?) -> (Quantity, base: Quantity?)? {
        guard let quantityText = line.quantity else { return nil }
        guard let value = ExactDecimal(quantityText) else {
            let numeric = !quantityText.isEmpty && quantityText.utf8.allSatisfy { ($0 >= 48 && $0 <= 57) || $0 == 46 || $0 == 45 }
            findings.add(
                .error(
                    .quantityInvalid,
                    numeric ? "quantity '\(quantityText)' has more digits than can be kept exactly (18)" : "quantity '\(quantityText)' is not a number",
                    at: line.quantityLocation.description), .parse)
            return nil
        }
        if let problem = QuantityRules.check(value, at: line.quantityLocation.description) {
            findings.add(problem, .validate)
            return nil
        }
        guard let unitCode = line.unit else {
            findings.add(.error(.uomUnknown, "line \(line.lineId) has a quantity without a unit", at: line.unitLocation.description), .parse)
            return nil
        }
        let uom: String
        if let known = units[unitCode] {
            uom = known
        } else {
            switch UnitsOfMeasure.resolve(unitCode, list: unitList, partnerCodes: unitCodes, at: line.unitLocation.description) {
            case .failure(let diagnostic):
                findings.add(diagnostic, .map)
                return nil
            case .success(let code):
                units.add(unitCode, code)
                uom = code
            }
        }
        let quantity = Quantity(value, uom)
        guard let record else { return (quantity, nil) }
        switch UnitsOfMeasure.toBase(quantity, item: record, at: line.unitLocation.description) {
        case .failure(let diagnostic):
            findings.add(diagnostic, .validate)
            return (quantity, nil)
        case .success(let converted):
            return (quantity, converted)
        }
    }

    /// The SSCC of the carton a line is packed in: one of the notice's handling units, or one
    /// only the line names (checked there).
    mutating func handlingUnit(of line: some ShipNoticeLine) -> String? {
        guard let raw = line.handlingUnit else { return nil }
        if raw == previousUnit.raw { return previousUnit.sscc }  // a carton's lines follow one another
        var sscc = ssccByRaw[raw]
        if sscc == nil, !unitsSent.contains(raw) {
            let checked = GS1Keys.checkedSSCC(raw, what: "SSCC", at: line.location.description)
            if let problem = checked.problem { findings.add(problem, .validate) }
            sscc = checked.value
        }
        previousUnit = (raw, sscc)
        return sscc
    }

    /// The notice's times, and its event time: when it shipped, else its document date.
    struct Times {
        var shipped: TimeResolution.Resolved
        var arrival: TimeResolution.Resolved
        var event: Timestamp?
    }

    /// An expected arrival happens at the ship-to site, in its zone; the other dates are the
    /// supplier's.
    mutating func times(shipTo: Location?) -> Times {
        let siteZone = shipTo.flatMap { snapshot.timeZone(site: $0.site) }
        let arrivalTimes = TimeResolution(
            record: record, zone: siteZone ?? partner.timeZone,
            owner: shipTo.map { "site \($0.site)" + (siteZone == nil ? " or partner \(partner.partner)" : "") } ?? "partner \(partner.partner)")
        let shipped = supplierTimes.resolve(document.shippedAt, field: "shippedAt", at: document.location, findings: &findings)
        let arrival = arrivalTimes.resolve(
            document.expectedArrivalAt, field: "expectedArrivalAt", at: document.location, findings: &findings)
        // The document date is the event time's fallback: a date that does not exist is an error
        // all the same, its other findings matter only when it is used.
        var documentDateFindings = Findings()
        let documentDate = supplierTimes.resolve(
            document.documentDate, field: "documentDate", at: document.location, findings: &documentDateFindings)
        let time = shipped.instant ?? documentDate.instant
        let documentDateIsTime = shipped.instant == nil && documentDate.instant != nil
        for item in documentDateFindings.items where item.diagnostic.severity == .error || documentDateIsTime {
            findings.add(item.diagnostic, item.stage)
        }
        if time == nil {
            findings.add(
                .warning(
                    .timeFromRecorded,
                    "the notice gives no ship time or document date-time with a known UTC offset: its event time is its recordedtime",
                    at: document.location), .map)
        }
        return Times(shipped: shipped, arrival: arrival, event: time)
    }

    /// GLNs the notice passes on (the supplier's where its profile has none, the ship-from's) are
    /// checked as every GS1 key is.
    mutating func checkPassedOnGLNs() {
        for party in [partner.gln == nil ? document.party("SU") : nil, document.party("SF")].compactMap({ $0 }) {
            if let gln = party.gln, let problem = GS1Keys.checkedGLN(gln, what: "\(party.role) GLN", at: party.location.description).problem {
                findings.add(problem, .validate)
            }
        }
    }
}

/// A notice's handling units must form a tree: each SSCC once, no unit its own parent or its own
/// ancestor, and every parent one of the notice's units. A notice that says otherwise contradicts
/// itself about where its goods are.
func checkUnitTree(_ document: ASNDocument, ssccByRaw: [String: String], findings: inout Findings) {
    let syntax = DocumentSyntax.errorCode(document.format)
    var parentOf: [String: String?] = [:]
    var packagingOf: [String: String?] = [:]
    for unit in document.handlingUnits {
        let sscc = ssccByRaw[unit.sscc] ?? unit.sscc
        let parent = unit.parent.map { ssccByRaw[$0] ?? $0 }
        if let earlier = parentOf[sscc], earlier != parent || packagingOf[sscc] != .some(unit.packaging) {
            findings.add(.error(.valueConflict, "SSCC \(sscc) is listed as two different handling units", at: unit.location.description), .validate)
        }
        packagingOf[sscc] = .some(unit.packaging)
        parentOf[sscc] = .some(parent)
        if parent == sscc {
            findings.add(.error(.valueConflict, "handling unit \(sscc) is its own parent", at: unit.location.description), .validate)
        }
    }
    let looping = unitsInLoops(parentOf)
    for unit in document.handlingUnits {
        let sscc = ssccByRaw[unit.sscc] ?? unit.sscc
        guard let parent = unit.parent.map({ ssccByRaw[$0] ?? $0 }), parent != sscc else { continue }
        guard parentOf[parent] != nil else {
            findings.add(.error(syntax, "handling unit \(sscc) names parent \(parent), which is no handling unit of the notice", at: unit.location.description), .parse)
            continue
        }
        if looping.contains(sscc) {
            findings.add(.error(.valueConflict, "handling unit \(sscc) is packed inside itself (its parents loop)", at: unit.location.description), .validate)
        }
    }
}

/// The units that are their own ancestors through at least one other unit. Each unit is walked
/// past once: a walk up stops at a unit an earlier walk passed (what lies above it is known), and
/// one that meets its own path has found a loop. Walking up from every unit to the top instead
/// is quadratic in a long chain of cartons.
func unitsInLoops(_ parentOf: [String: String?]) -> Set<String> {
    var walkOf: [String: Int] = [:]
    var looping = Set<String>()
    for (number, start) in parentOf.keys.enumerated() {
        var path: [String] = []
        var current: String? = start
        while let at = current, walkOf[at] == nil, let parent = parentOf[at] {
            walkOf[at] = number
            path.append(at)
            current = parent
        }
        guard let met = current, walkOf[met] == number, let first = path.firstIndex(of: met) else { continue }
        // A unit that is its own parent is reported as that, not as a loop.
        if path.count - first > 1 { looping.formUnion(path[first...]) }
    }
    return looping
}

/// The PO numbers of a ship notice: those its header or order levels name, then those only its
/// lines name (a DESADV with RFF+ON at line level alone), each once, in order.
func orders(_ header: [String], lines: [ShipmentLine]) -> [String] {
    var orders = header
    var seen = Set(header)
    for line in lines {
        if let po = line.poNumber, seen.insert(po).inserted { orders.append(po) }
    }
    return orders
}

func isGLN(_ text: String) -> Bool { text.utf8.count == 13 && text.utf8.allSatisfy { $0 >= 48 && $0 <= 57 } }

extension Diagnostic {
    /// The same finding as a warning (for fields that do not decide the outcome).
    func downgraded() -> Diagnostic {
        var copy = self
        copy.severity = .warning
        return copy
    }
}
