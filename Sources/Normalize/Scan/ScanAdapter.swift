import Formats
import MasterData
import Model


/// Turns one gateway scan into a `crossdock.inventory.event.v1` event, or a rejection listing every
/// problem: partner, action code, locations and the step's location rule, barcode, item, quantity.
///
/// Decisions: a lot-, expiry- or serial-controlled item scanned without that datum is accepted
/// with a warning (`LOT_MISSING`, `EXPIRY_MISSING`, `SERIAL_MISSING`) — stock physically moved and
/// must be recorded; the ERP sees the gap. A scan older than ``lateAfterSeconds`` when processed is
/// accepted with a `SCAN_LATE` warning giving the delay; one dated more than ``futureAfterSeconds``
/// after it reached the hub with `SCAN_IN_FUTURE`.
enum ScanAdapter {
    static let lateAfterSeconds: Int64 = 15 * 60
    /// Scanner clocks drift; a scan later than this after it reached the hub is flagged.
    static let futureAfterSeconds: Int64 = 5 * 60

    /// The phases: sender and site, step, locations, barcode and item, quantity, item rules and
    /// timing, then the event or the rejection.
    static func normalize(
        _ scan: ScanInput, record: InputRecord, document: String, snapshot: MasterDataSnapshot, barcodes: GS1ReadCache, position: Int,
        batch: Bool, batchGateway: String? = nil
    ) -> Outcome {
        var findings = Findings()
        findings.add(scan.diagnostics, .parse)
        let positionLabel = batch ? "scan/\(position)" : "scan"
        let partner = sender(of: scan, record: record, snapshot: snapshot, batchGateway: batchGateway, findings: &findings)
        let sourceURN = scan.gateway.map(EventSource.gateway) ?? partner.map { EventSource.partner($0.partner) }
        func reject(site: String?) -> Outcome {
            if let partner { findings.applySeverity(partner.severity) }
            return .rejected(
                Rejections.make(
                    findings, record: record, partner: partner?.partner, site: site, sourceURN: sourceURN, document: document,
                    position: positionLabel))
        }
        guard let partner, !findings.hasErrors else { return reject(site: scan.site) }
        guard let site = partner.site ?? scan.site else {
            findings.add(.error(.locationUnknown, "the gateway's profile names no site and the scan none either", at: scan.at("site")), .map)
            return reject(site: nil)
        }
        if let claimed = scan.site, claimed != site {
            findings.add(
                .error(.locationWrongSite, "the scan says site \(claimed), but gateway \(partner.partner) scans for \(site)", at: scan.at("site")),
                .validate)
        }

        var mapping = ScanMapping(scan: scan, record: record, snapshot: snapshot, partner: partner, site: site, findings: findings)
        let step = mapping.step()
        let (location, destination) = mapping.locations(step: step)
        // A move into quarantine is a hold.
        var effectiveStep = step
        if step == .moved, destination?.role == .quarantine { effectiveStep = .held }
        let elements = mapping.barcode(barcodes)
        var codes = ScanMapping.Codes(elements, referenceYear: record.recordedAt.localDate.year)
        let itemRecord = mapping.item(&codes)
        let (quantity, base) = mapping.quantity(codes: codes, elements: elements, item: itemRecord, step: effectiveStep)
        if codes.gtin == nil, codes.sscc == nil, !elements.isEmpty {
            mapping.findings.add(
                .error(.gs1AIInvalid, "the barcode carries neither a GTIN (01/02) nor an SSCC (00)", at: scan.at("barcode")), .validate)
        }
        mapping.checkItemRules(itemRecord, codes.item)
        mapping.checkTiming()
        findings = mapping.findings

        findings.applySeverity(partner.severity)
        guard !findings.hasErrors, let effectiveStep, let location, let scannedAt = scan.scannedAt else { return reject(site: site) }
        let transition: Transition
        switch InventoryStateMachine.transition(for: effectiveStep, shipsToOwnSite: destination?.type == .site) {
        case .success(let found): transition = found
        case .failure(let diagnostic):
            findings.add(diagnostic, .validate)
            return reject(site: site)
        }
        var event = InventoryEvent(transition: transition, location: destination ?? location)
        if destination != nil {
            event.fromLocation = location
            event.toLocation = destination
        }
        event.item = codes.gtin == nil ? nil : codes.item
        event.handlingUnit = codes.sscc.map { HandlingUnit(sscc: $0) }
        if effectiveStep == .counted {
            event.countedQuantity = base ?? quantity
        } else {
            event.quantity = quantity
            event.baseQuantity = base
        }
        event.reason = scan.reason
        event.device = scan.device
        event.operator = scan.operator
        event.shipmentId = scan.shipmentId
        event.warnings = findings.warnings
        let source = sourceURN ?? EventSource.partner(partner.partner)
        return .event(
            .inventoryEvent(
                CloudEvent(
                    id: EventID.make(source: source, document: document, position: positionLabel), source: source,
                    subject: Subject.inventory(sscc: codes.sscc, gtin: codes.gtin, sku: codes.item.sku, lot: codes.item.lot, site: site),
                    time: scannedAt, partner: partner.partner, site: site, recordedtime: record.recordedAt,
                    correlationid: scan.shipmentId, sourceref: record.source.reference, data: event)))
    }

    /// Who sent the scan. One input record has one sender: a batch whose scans name two gateways
    /// is not trusted.
    static func sender(
        of scan: ScanInput, record: InputRecord, snapshot: MasterDataSnapshot, batchGateway: String?, findings: inout Findings
    ) -> PartnerProfile? {
        var partner: PartnerProfile? = nil
        // The location's closure holds the pointer alone: holding the scan copied all its fields.
        let pointer = scan.pointer
        switch PartnerResolution.resolve(
            identifiers: scan.gateway.map { [$0] } ?? [], format: "json", document: "json-scan", kind: .scan, record: record,
            snapshot: snapshot,
            location: pointer.at("gateway"))
        {
        case .success(let profile): partner = profile
        case .failure(let diagnostic): findings.add(diagnostic, .map)
        }
        if let batchGateway, let own = scan.gateway, own != batchGateway, let partner,
            snapshot.partner(identifier: batchGateway, format: "json")?.partner != partner.partner
        {
            findings.add(
                .error(.partnerMismatch, "the batch is gateway '\(batchGateway)''s, but this scan names gateway '\(own)'", at: scan.at("gateway")),
                .map)
        }
        return partner
    }
}

/// One scan from a known gateway at a known site being mapped, phase by phase.
///
/// A diagnostic's location is passed as an autoclosure over `pointer`, a local copy of the scan's
/// pointer, not over `scan.at(...)`: a closure over `self` made the call beside it (on the
/// snapshot, the partner) copy that value first, on every scan.
struct ScanMapping {
    let scan: ScanInput
    let record: InputRecord
    let snapshot: MasterDataSnapshot
    let partner: PartnerProfile
    let site: String
    var findings: Findings

    /// The step, from the gateway's own action code.
    mutating func step() -> InventoryStep? {
        guard let action = scan.action else { return nil }
        if let mapped = partner.codes(.step)[action], let known = InventoryStep(rawValue: mapped) { return known }
        findings.add(
            .error(.codeUnmapped, "action '\(action)' has no mapping in code list step of partner \(partner.partner)", at: scan.at("action")),
            .map)
        return nil
    }

    /// The scan's location and, for a step that moves stock, its destination, each checked
    /// against the step's rule.
    mutating func locations(step: InventoryStep?) -> (location: Location?, destination: Location?) {
        let pointer = scan.pointer
        guard let step, let code = scan.location else { return (nil, nil) }
        var location: Location? = nil
        var destination: Location? = nil
        let rule = InventoryStateMachine.rows[step]!.location
        let ownRule = rule.needsToLocation ? LocationRule(leafRequired: rule.leafRequired) : rule
        switch snapshot.checkLocation(code, site: site, rule: ownRule, at: pointer.at("location")) {
        case .success(let found): location = found
        case .failure(let diagnostic): findings.add(diagnostic, .validate)
        }
        guard rule.needsToLocation else { return (location, nil) }
        if let target = scan.toLocation {
            switch snapshot.checkLocation(target, site: site, rule: LocationRule(leafRequired: true), what: "toLocation", at: pointer.at("toLocation")) {
            case .success(let found): destination = found
            case .failure(let diagnostic): findings.add(diagnostic, .validate)
            }
        } else {
            findings.add(
                .error(.locationUnknown, "a \(step.rawValue) scan needs a toLocation", at: scan.pointer.description.isEmpty ? "/" : scan.pointer.description),
                .validate)
        }
        return (location, destination)
    }

    /// The barcode's GS1 element strings.
    mutating func barcode(_ barcodes: GS1ReadCache) -> [GS1Element] {
        let pointer = scan.pointer
        guard let barcode = scan.barcode else { return [] }
        var options = GS1Options()
        options.permitUnknownAIs = partner.options["permitUnknownAIs"] == "true"
        switch barcodes.read(barcode, options: options, at: pointer.at("barcode")) {
        case .success(let found): return found
        case .failure(let diagnostic):
            findings.add(diagnostic, .parse)
            return []
        }
    }

    /// What the barcode names: an SSCC, a GTIN, and the item with its lot, serial and expiry.
    struct Codes {
        var sscc: String?
        var gtin: String?
        var item: Item

        /// `referenceYear` places an expiry's two-digit year.
        init(_ elements: [GS1Element], referenceYear: Int) {
            func value(_ ai: String) -> String? { elements.first { $0.ai == ai }?.value }
            sscc = value("00")
            gtin = value("01") ?? value("02")
            item = Item(
                gtin: gtin, lot: value("10"), serial: value("21"),
                expiry: value("17").flatMap { GS1Dates.date($0, referenceYear: referenceYear) })
        }
    }

    /// The item in master data the GTIN names.
    mutating func item(_ codes: inout Codes) -> ItemRecord? {
        guard let gtin = codes.gtin else { return nil }
        let itemRecord = snapshot.item(gtin: gtin)
        if itemRecord == nil {
            findings.add(.error(.itemUnknown, "GTIN \(gtin) is not an item of master data", at: scan.at("barcode")), .validate)
        }
        codes.item.sku = itemRecord?.sku
        codes.item.description = itemRecord?.description
        return itemRecord
    }

    /// Quantity: from the barcode (30/37 count, 310n/320n weight) or the JSON; both must agree.
    /// A scan of a counted item that states none is one of it, said with a warning.
    mutating func quantity(
        codes: Codes, elements: [GS1Element], item itemRecord: ItemRecord?, step: InventoryStep?
    ) -> (quantity: Quantity?, base: Quantity?) {
        let pointer = scan.pointer
        let barcodeQuantity = barcodeQuantity(elements, item: itemRecord)
        let jsonQuantity = statedQuantity(item: itemRecord)
        guard let quantity = jsonQuantity ?? barcodeQuantity else {
            // One of the item only where the scan states no quantity (not where it states one
            // that could not be read).
            guard let itemRecord, codes.sscc == nil, scan.quantity == nil else {
                if scan.quantity == nil, let unit = scan.uom {
                    findings.add(.warning(.fieldNotUsed, "uom \(unit) is not used: the scan states no quantity", at: scan.at("uom")), .map)
                }
                return (nil, nil)
            }
            return oneUnit(of: itemRecord)
        }
        if jsonQuantity == nil, scan.quantity == nil, let unit = scan.uom {
            findings.add(.warning(.fieldNotUsed, "uom \(unit) is not used: the quantity is the barcode's, \(quantity)", at: scan.at("uom")), .map)
        }
        if let problem = QuantityRules.check(quantity.value, allowZero: step == .counted, at: pointer.at(jsonQuantity != nil ? "quantity" : "barcode")) {
            findings.add(problem, .validate)
            return (quantity, nil)
        }
        guard let itemRecord else { return (quantity, nil) }
        var base: Quantity? = nil
        switch UnitsOfMeasure.toBase(quantity, item: itemRecord, at: pointer.at(jsonQuantity != nil ? "uom" : "barcode")) {
        case .success(let converted): base = converted
        case .failure(let diagnostic): findings.add(diagnostic, .validate)
        }
        if let jsonQuantity, let barcodeQuantity, let fromJSON = base,
            case .success(let fromBarcode) = UnitsOfMeasure.toBase(barcodeQuantity, item: itemRecord), fromJSON != fromBarcode
        {
            findings.add(
                .error(
                    .quantityInvalid,
                    "quantity \(jsonQuantity) disagrees with the barcode's \(barcodeQuantity)", at: scan.at("quantity")),
                .validate)
        }
        return (quantity, base)
    }

    /// The barcode's quantity: a count (AI 30, 37) or a net weight (310n kilograms, 320n pounds).
    /// Two counts, or two weights, that disagree are a conflict. Where it gives both a count and a
    /// weight, the quantity is the weight for an item measured by mass, else the count, and the
    /// other is said not to be used. A count is of pieces: in the item's base unit where that is
    /// a count, else EA (which master data may or may not turn into the item's base unit).
    mutating func barcodeQuantity(_ elements: [GS1Element], item itemRecord: ItemRecord?) -> Quantity? {
        func at() -> String { scan.at("barcode") }
        let counts = elements.filter { $0.ai == "30" || $0.ai == "37" }.compactMap { element in
            ExactDecimal(element.value).map { (ai: element.ai, value: $0) }
        }
        if let first = counts.first, let other = counts.first(where: { $0.value != first.value }) {
            findings.add(
                .error(.valueConflict, "the barcode counts \(first.value) (AI \(first.ai)) and \(other.value) (AI \(other.ai))", at: at()),
                .validate)
        }
        let weights = elements.compactMap(NetWeight.init)
        if let first = weights.first, let other = weights.first(where: { !first.couldBe($0) }) {
            findings.add(
                .error(
                    .valueConflict,
                    "the barcode's net weights \(first.quantity.value) \(first.quantity.uom) (AI \(first.ai)) and \(other.quantity.value) \(other.quantity.uom) (AI \(other.ai)) disagree",
                    at: at()),
                .validate)
        }
        let weighed = itemRecord?.baseDimension == .mass
        let count = counts.first.map { Quantity($0.value, itemRecord?.baseDimension == .count ? itemRecord!.baseUnit : "EA") }
        let weight = weights.first
        switch (count, weight) {
        case (let count?, let weight?) where weighed:
            findings.add(
                .warning(.fieldNotUsed, "the barcode's count \(count.value) is not used: item \(itemRecord!.sku) is measured by weight, \(weight.quantity.value) \(weight.quantity.uom) (AI \(weight.ai))", at: at()),
                .map)
            return weight.quantity
        case (let count?, let weight?):
            findings.add(
                .warning(.fieldNotUsed, "the barcode's net weight \(weight.quantity.value) \(weight.quantity.uom) (AI \(weight.ai)) is not used: the quantity is its count, \(count.value)", at: at()),
                .map)
            return count
        case (let count?, nil): return count
        case (nil, let weight?): return weight.quantity
        case (nil, nil): return nil
        }
    }

    /// A net weight from a 310n (kilograms) or 320n (pounds) element, n its decimal places.
    struct NetWeight {
        var ai: String
        var quantity: Quantity
        var places: Int

        init?(_ element: GS1Element) {
            guard element.ai.hasPrefix("310") || element.ai.hasPrefix("320"), let raw = ExactDecimal(element.value),
                let places = Int(element.ai.suffix(1)),
                let scaled = raw.divided(by: ExactDecimal("1" + String(repeating: "0", count: places))!, scale: 6)?.value
            else { return nil }
            (ai, quantity, self.places) = (element.ai, Quantity(scaled, element.ai.hasPrefix("310") ? "KGM" : "LBR"), places)
        }

        /// The weights it may be, rounded as it is to its decimal places (± half of the last), in
        /// kilograms; nil when they are too large to compute exactly.
        var kilograms: (low: ExactDecimal, high: ExactDecimal)? {
            guard let half = ExactDecimal(normalizing: 5, scale: places + 1), let low = quantity.value.subtracting(half),
                let high = quantity.value.adding(half), let factor = UnitsOfMeasure.table[quantity.uom]?.factor,
                let lowKg = low.multiplied(by: factor), let highKg = high.multiplied(by: factor)
            else { return nil }
            return (lowKg, highKg)
        }

        /// Whether both can be one weight, as rounded (weights too large to compare exactly are
        /// not called a conflict).
        func couldBe(_ other: NetWeight) -> Bool {
            guard let a = kilograms, let b = other.kilograms else { return true }
            return !(a.high < b.low || b.high < a.low)
        }
    }

    /// The JSON's quantity in its unit (or, said with a warning, the item's base unit).
    mutating func statedQuantity(item itemRecord: ItemRecord?) -> Quantity? {
        let pointer = scan.pointer
        guard let text = scan.quantity else { return nil }
        guard let number = ExactDecimal(text) else {
            findings.add(.error(.quantityInvalid, "quantity \(text) is out of range", at: scan.at("quantity")), .parse)
            return nil
        }
        guard let unit = scan.uom else {
            // Without a unit, only an item's base unit can be meant; a scan of no item (an SSCC)
            // leaves the number without a unit, so it is not used.
            guard let unit = itemRecord?.baseUnit else {
                findings.add(
                    .warning(.fieldNotUsed, "quantity \(text) is not used: it has no uom and the scan names no item to read it in", at: scan.at("quantity")),
                    .map)
                return nil
            }
            findings.add(
                .warning(.valueDefaulted, "quantity \(text) has no uom: read in the item's base unit, \(unit)", at: scan.at("uom")),
                .map)
            return Quantity(number, unit)
        }
        switch UnitsOfMeasure.resolve(unit, list: .enterprise, partnerCodes: partner.codes(.uom), at: pointer.at("uom")) {
        case .success(let code): return Quantity(number, code)
        case .failure(let diagnostic):
            findings.add(diagnostic, .map)
            return nil
        }
    }

    /// A single scan of an item is one of it, when the item is counted: in the unit the scan
    /// names, else the item's base unit; said with a warning, since the scan stated no count.
    mutating func oneUnit(of itemRecord: ItemRecord) -> (quantity: Quantity?, base: Quantity?) {
        let pointer = scan.pointer
        if itemRecord.baseDimension?.isPhysical == true {
            findings.add(
                .error(.quantityInvalid, "item \(itemRecord.sku) is measured in \(itemRecord.baseUnit): the scan needs a quantity", at: scan.at("quantity")),
                .validate)
            return (nil, nil)
        }
        var unit = itemRecord.baseUnit
        if let named = scan.uom {
            switch UnitsOfMeasure.resolve(named, list: .enterprise, partnerCodes: partner.codes(.uom), at: pointer.at("uom")) {
            case .success(let code): unit = code
            case .failure(let diagnostic): findings.add(diagnostic, .map)
            }
        }
        let one = Quantity(.one, unit)
        switch UnitsOfMeasure.toBase(one, item: itemRecord, at: pointer.at("uom")) {
        case .success(let converted):
            findings.add(
                .warning(.valueDefaulted, "the scan states no quantity: read as one \(unit) (one scan of one unit)", at: scan.at("quantity")),
                .map)
            return (one, converted)
        case .failure(let diagnostic):
            findings.add(diagnostic, .validate)
            return (nil, nil)
        }
    }

    /// Item rules: missing lot, expiry or serial are warnings.
    mutating func checkItemRules(_ record: ItemRecord?, _ item: Item) {
        guard let record else { return }
        if record.lotControlled, item.lot == nil {
            findings.add(.warning(.lotMissing, "item \(record.sku) is lot-controlled; the scan has no lot (AI 10)", at: scan.at("barcode")), .validate)
        }
        if record.expiryControlled, item.expiry == nil {
            findings.add(.warning(.expiryMissing, "item \(record.sku) is expiry-controlled; the scan has no expiry (AI 17)", at: scan.at("barcode")), .validate)
        }
        if record.serialized, item.serial == nil {
            findings.add(.warning(.serialMissing, "item \(record.sku) is serialized; the scan has no serial (AI 21)", at: scan.at("barcode")), .validate)
        }
    }

    /// Late scans are accepted and flagged; so are scans dated after they reached the hub.
    mutating func checkTiming() {
        guard let scannedAt = scan.scannedAt else { return }
        let delay = record.recordedAt.epochSeconds - scannedAt.epochSeconds
        if delay > ScanAdapter.lateAfterSeconds {
            findings.add(
                .warning(.scanLate, "the scan reached the hub \(delay / 3600) h \(delay % 3600 / 60) min after it was taken", at: scan.at("scannedAt")),
                .validate)
        } else if -delay > ScanAdapter.futureAfterSeconds {
            // A clock that is wrong (or a year typed as 9999): the time is kept as sent, and said.
            findings.add(
                .warning(
                    .scanInFuture, "the scan says it was taken \(-delay / 3600) h \(-delay % 3600 / 60) min after it reached the hub",
                    at: scan.at("scannedAt")),
                .validate)
        }
    }
}
