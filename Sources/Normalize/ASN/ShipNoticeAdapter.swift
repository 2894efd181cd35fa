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

        // Ship-to: a GLN that is one of our sites, or a site id / location code (through the
        // partner's location codes); a supplier that never names it can have `options.shipTo`.
        var shipTo: Location? = nil
        let party = document.party("ST").flatMap { $0.identifier == nil ? nil : $0 }
        if let party, let identifier = party.identifier {
            // The partner's own code for the place wins, GLN or not.
            let mappedCode = partner.codes(.location)[identifier]
            if mappedCode == nil, let gln = party.gln ?? (isGLN(identifier) ? identifier : nil) {
                // A GLN with a wrong check digit is still looked up (the finding stands, at the
                // severity the partner's profile gives it).
                let checked = GS1Keys.checkedGLN(gln, what: "ship-to GLN", at: party.location.description)
                if let problem = checked.problem { findings.add(problem, .validate) }
                if let normalized = checked.value {
                    shipTo = snapshot.site(gln: normalized)
                    if shipTo == nil {
                        findings.add(.error(.glnUnknown, "ship-to GLN \(normalized) is not one of our sites", at: party.location.description), .validate)
                    }
                }
            } else {
                let mapped = partner.codes(.location)[identifier] ?? identifier
                if let location = snapshot.location(id: mapped) {
                    shipTo = snapshot.location(id: location.site)
                } else {
                    findings.add(
                        .error(
                            .locationUnknown, "ship-to '\(identifier)' is neither a site nor mapped by the partner profile's location codes",
                            at: party.location.description), .validate)
                }
            }
        } else if let fallback = partner.options["shipTo"], let site = snapshot.location(id: fallback) {
            shipTo = snapshot.location(id: site.site)
        } else {
            findings.add(
                .error(.glnUnknown, "the ship notice names no ship-to party (and the partner profile sets no options.shipTo)", at: document.location),
                .validate)
        }

        // Handling units: every SSCC checked; parents refer to them by the same SSCC.
        var ssccByRaw: [String: String] = [:]
        ssccByRaw.reserveCapacity(document.handlingUnits.count)
        for unit in document.handlingUnits {
            // A value whose only fault is its check digit is kept: whether that rejects the
            // document is the severity's decision, and a warning must not lose the value.
            let checked = GS1Keys.checkedSSCC(unit.sscc, what: "SSCC", at: unit.location.description)
            if let problem = checked.problem { findings.add(problem, .validate) }
            if let sscc = checked.value { ssccByRaw[unit.sscc] = sscc }
        }
        let unitList: UnitsOfMeasure.CodeList = UnitsOfMeasure.CodeList(rawValue: document.unitCodeList) ?? .enterprise
        let unitCodes = partner.codes(.uom)
        /// A stated weight in an enterprise unit; a unit code that maps to none is a warning and
        /// the weight is left out (it decides nothing).
        func weight(_ value: ExactDecimal, _ code: String, at location: String) -> Quantity? {
            switch UnitsOfMeasure.resolve(code, list: unitList, partnerCodes: unitCodes, at: location) {
            case .success(let unit): return Quantity(value, unit)
            case .failure(let diagnostic):
                findings.add(diagnostic.downgraded(), .map)
                return nil
            }
        }
        func weight(_ stated: StatedWeight?) -> Quantity? {
            stated.flatMap { weight($0.value, $0.unit, at: $0.location.description) }
        }
        checkUnitTree(document, ssccByRaw: ssccByRaw, findings: &findings)
        // A unit listed twice alike is listed once.
        var listed = Set<String>()
        let handlingUnits = document.handlingUnits.filter { listed.insert($0.sscc).inserted }.compactMap { unit in
            ssccByRaw[unit.sscc].map {
                HandlingUnit(
                    sscc: $0, packaging: unit.packaging, parent: unit.parent.flatMap { ssccByRaw[$0] ?? $0 },
                    grossWeight: weight(unit.grossWeight))
            }
        }

        // Times: an expected arrival happens at the ship-to site, in its zone; the other dates are
        // the supplier's (its profile's zone, when it works in one).
        let supplierTimes = TimeResolution(record: record, zone: partner.timeZone, owner: "partner \(partner.partner)")
        let siteZone = shipTo.flatMap { snapshot.timeZone(site: $0.site) }
        let arrivalTimes = TimeResolution(
            record: record, zone: siteZone ?? partner.timeZone,
            owner: shipTo.map { "site \($0.site)" + (siteZone == nil ? " or partner \(partner.partner)" : "") } ?? "partner \(partner.partner)")

        // Lines.
        let itemCodes = partner.codes(.item)
        var lines: [ShipmentLine] = []
        lines.reserveCapacity(documentLines.count)
        // Ship notices repeat a few products and units over many cartons: each GTIN as sent is
        // checked and looked up once per document, each unit code resolved once (failures are
        // not kept, so each diagnostic names its own line).
        var gtins = SeenCodes<KnownGTIN>()
        var units = SeenCodes<String>()
        var previousUnit: (raw: String?, sscc: String?) = (nil, nil)
        for line in documentLines {
            // The item is made in the line's initialiser from these (an item built up first was
            // copied into the line, each of its strings retained and released once more).
            var gtin: String? = nil
            var supplierItem: String? = nil
            var buyerItem: String? = nil
            var record: ItemRecord? = nil
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
                    gtin = known.gtin
                    if let earlier = record, let found = known.record, earlier.sku != found.sku {
                        findings.add(
                            .error(
                                .valueConflict, "line \(line.lineId): GTIN \(known.gtin) names item \(found.sku), another id of the line names \(earlier.sku)",
                                at: id.location.description), .validate)
                    }
                    record = record ?? known.record
                case .supplierItem:
                    supplierItem = id.value
                    if let sku = itemCodes[id.value] {
                        if record == nil {
                            record = snapshot.item(sku: sku)
                        } else if let record, record.sku != sku {
                            // The line's ids name two different items: which one shipped is unknown.
                            findings.add(
                                .error(
                                    .valueConflict,
                                    "line \(line.lineId): the GTIN names item \(record.sku), supplier item \(id.value) names \(sku)",
                                    at: id.location.description), .validate)
                        }
                    }
                case .buyerItem:
                    buyerItem = id.value
                    if record == nil {
                        record = snapshot.item(sku: id.value)
                    } else if let named = snapshot.item(sku: id.value), let record, named.sku != record.sku {
                        findings.add(
                            .error(
                                .valueConflict, "line \(line.lineId): buyer item \(id.value) is not item \(record.sku), which its other ids name",
                                at: id.location.description), .validate)
                    }
                case .other:
                    break
                }
            }
            if let record {
                if gtin == nil { gtin = record.gtin }
            } else {
                let named = line.productIDs.map { "\($0.qualifier) \($0.value)" }.joined(separator: ", ")
                findings.add(
                    .error(
                        .itemUnknown,
                        "line \(line.lineId): no item in master data for \(named.isEmpty ? "a line without product ids" : named)"
                            + (supplierItem != nil ? " (and the partner profile maps no such supplier item)" : ""),
                        at: line.location.description), .validate)
            }

            // Quantity and unit.
            guard let quantityText = line.quantity else { continue }
            guard let value = ExactDecimal(quantityText) else {
                let numeric = !quantityText.isEmpty && quantityText.utf8.allSatisfy { ($0 >= 48 && $0 <= 57) || $0 == 46 || $0 == 45 }
                findings.add(
                    .error(
                        .quantityInvalid,
                        numeric ? "quantity '\(quantityText)' has more digits than can be kept exactly (18)" : "quantity '\(quantityText)' is not a number",
                        at: line.quantityLocation.description), .parse)
                continue
            }
            if let problem = QuantityRules.check(value, at: line.quantityLocation.description) {
                findings.add(problem, .validate)
                continue
            }
            guard let unitCode = line.unit else {
                findings.add(.error(.uomUnknown, "line \(line.lineId) has a quantity without a unit", at: line.unitLocation.description), .parse)
                continue
            }
            let uom: String
            if let known = units[unitCode] {
                uom = known
            } else {
                switch UnitsOfMeasure.resolve(unitCode, list: unitList, partnerCodes: unitCodes, at: line.unitLocation.description) {
                case .failure(let diagnostic):
                    findings.add(diagnostic, .map)
                    continue
                case .success(let code):
                    units.add(unitCode, code)
                    uom = code
                }
            }
            let quantity = Quantity(value, uom)
            var base: Quantity? = nil
            if let record {
                switch UnitsOfMeasure.toBase(quantity, item: record, at: line.unitLocation.description) {
                case .failure(let diagnostic): findings.add(diagnostic, .validate)
                case .success(let converted): base = converted
                }
            }
            var sscc: String? = nil
            if let raw = line.handlingUnit {
                if raw == previousUnit.raw {
                    sscc = previousUnit.sscc  // a carton's lines follow one another
                } else {
                    sscc = ssccByRaw[raw]
                    if sscc == nil, !document.handlingUnits.contains(where: { $0.sscc == raw }) {
                        let checked = GS1Keys.checkedSSCC(raw, what: "SSCC", at: line.location.description)
                        if let problem = checked.problem { findings.add(problem, .validate) }
                        sscc = checked.value
                    }
                    previousUnit = (raw, sscc)
                }
            }
            // Read once each; the location's text is made only for a finding.
            let weights = line.weights
            var expiry: CalendarDate? = nil
            if let sent = line.expiry {
                expiry = supplierTimes.date(sent, field: "expiry", at: line.location.description, findings: &findings)
            }
            lines.append(
                ShipmentLine(
                    lineId: line.lineId,
                    item: Item(
                        gtin: gtin, sku: record?.sku, supplierItem: supplierItem, buyerItem: buyerItem,
                        description: line.description, lot: line.lot,
                        expiry: expiry),
                    quantity: quantity, baseQuantity: base, poNumber: line.poNumber,
                    poLine: line.poLine, handlingUnit: sscc, serials: line.serials,
                    grossWeight: weights.isEmpty ? nil : weight(weights.first { $0.kind == .gross }),
                    netWeight: weights.isEmpty ? nil : weight(weights.first { $0.kind == .net })))
        }
        if documentLines.isEmpty {
            findings.add(
                .error(
                    .quantityInvalid, "the ship notice has no item lines" + (document.structure.map { ": \($0)" } ?? ""),
                    at: document.location), .validate)
        }

        // Gross weight in an enterprise unit.
        let grossWeight = document.grossWeight.flatMap { weight($0.value, $0.unit, at: document.location) }

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

        let netWeight = weight(document.netWeight)
        // GLNs the notice passes on (the supplier's where its profile has none, the ship-from's)
        // are checked as every GS1 key is.
        for party in [partner.gln == nil ? document.party("SU") : nil, document.party("SF")].compactMap({ $0 }) {
            if let gln = party.gln, let problem = GS1Keys.checkedGLN(gln, what: "\(party.role) GLN", at: party.location.description).problem {
                findings.add(problem, .validate)
            }
        }

        // The partner's severity overrides decide what still rejects (real partners get envelope
        // counts or a UPC check digit wrong).
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

        var references = ShipmentReferences()
        var trackingNumbers = document.trackingNumbers
        for reference in document.references {
            switch reference.qualifier {
            case "BM" where references.billOfLading == nil: references.billOfLading = reference.value
            case "CN" where references.proNumber == nil: references.proNumber = reference.value
            default: references.other.append(reference)
            }
        }
        trackingNumbers = trackingNumbers.reduce(into: []) { if !$0.contains($1) { $0.append($1) } }
        references.trackingNumbers = trackingNumbers.filter { $0 != references.proNumber }

        let supplierParty = document.party("SU")
        let notice = ShipmentNotice(
            shipmentId: "\(partner.partner):\(asnNumber)", asnNumber: asnNumber, purpose: document.purpose ?? .original,
            supplier: Party(id: partner.partner, gln: partner.gln ?? supplierParty?.gln, name: partner.name ?? supplierParty?.name),
            shipFrom: document.party("SF").map { Party(id: $0.gln == nil ? $0.identifier : nil, gln: $0.gln, name: $0.name) },
            shipTo: shipTo, carrier: document.carrier, references: references == ShipmentReferences() ? nil : references,
            shippedAt: shipped.instant, expectedArrivalAt: arrival.instant,
            totals: ShipmentTotals(
                handlingUnits: document.handlingUnitCount ?? (handlingUnits.isEmpty ? nil : handlingUnits.count), grossWeight: grossWeight,
                lines: lines.count, netWeight: netWeight),
            orders: orders(document.orders, lines: lines), handlingUnits: handlingUnits, lines: lines,
            warnings: findings.warnings, shippedAtLocal: shipped.local, expectedArrivalAtLocal: arrival.local)
        let source = EventSource.partner(partner.partner)
        let event = CloudEvent(
            id: EventID.make(source: source, document: document.documentID, position: asnNumber), source: source,
            subject: Subject.shipment(notice.shipmentId), time: time ?? record.recordedAt,
            partner: partner.partner, site: shipTo.site, recordedtime: record.recordedAt, correlationid: asnNumber,
            sourceref: record.source.reference, data: notice)
        return .event(.shipmentNotice(event))
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
    for unit in document.handlingUnits {
        let sscc = ssccByRaw[unit.sscc] ?? unit.sscc
        guard let parent = unit.parent.map({ ssccByRaw[$0] ?? $0 }), parent != sscc else { continue }
        guard parentOf[parent] != nil else {
            findings.add(.error(syntax, "handling unit \(sscc) names parent \(parent), which is no handling unit of the notice", at: unit.location.description), .parse)
            continue
        }
        // Walk up: a unit reached again is inside itself.
        var current: String? = parent
        var steps = 0
        while let at = current, steps <= parentOf.count {
            if at == sscc {
                findings.add(.error(.valueConflict, "handling unit \(sscc) is packed inside itself (its parents loop)", at: unit.location.description), .validate)
                break
            }
            current = parentOf[at] ?? nil
            steps += 1
        }
    }
}

/// The PO numbers of a ship notice: those its header or order levels name, then those only its
/// lines name (a DESADV with RFF+ON at line level alone), each once, in order.
func orders(_ header: [String], lines: [ShipmentLine]) -> [String] {
    var orders = header
    for line in lines {
        if let po = line.poNumber, !orders.contains(po) { orders.append(po) }
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
