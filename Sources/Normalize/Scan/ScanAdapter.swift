import Formats
import MasterData
public import Model


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

    static func normalize(
        _ scan: ScanInput, record: InputRecord, document: String, snapshot: MasterDataSnapshot, barcodes: GS1ReadCache, position: Int,
        batch: Bool, batchGateway: String? = nil
    ) -> Outcome {
        var findings = Findings()
        findings.add(scan.diagnostics, .parse)
        let positionLabel = batch ? "scan/\(position)" : "scan"

        // Who sent it, and for which site.
        var partner: PartnerProfile? = nil
        switch PartnerResolution.resolve(
            identifiers: scan.gateway.map { [$0] } ?? [], format: "json", document: "json-scan", kind: .scan, record: record,
            snapshot: snapshot,
            location: scan.at("gateway"))
        {
        case .success(let profile): partner = profile
        case .failure(let diagnostic): findings.add(diagnostic, .map)
        }
        // One input record has one sender: a batch whose scans name two gateways is not trusted.
        if let batchGateway, let own = scan.gateway, own != batchGateway, let partner,
            snapshot.partner(identifier: batchGateway, format: "json")?.partner != partner.partner
        {
            findings.add(
                .error(.partnerMismatch, "the batch is gateway '\(batchGateway)''s, but this scan names gateway '\(own)'", at: scan.at("gateway")),
                .map)
        }
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

        // The step, from the gateway's own action code.
        var step: InventoryStep? = nil
        if let action = scan.action {
            if let mapped = partner.codes(.step)[action], let known = InventoryStep(rawValue: mapped) {
                step = known
            } else {
                findings.add(
                    .error(.codeUnmapped, "action '\(action)' has no mapping in code list step of partner \(partner.partner)", at: scan.at("action")),
                    .map)
            }
        }

        // Locations, checked against the step's rule.
        var location: Location? = nil
        var destination: Location? = nil
        if let step, let code = scan.location {
            let rule = InventoryStateMachine.rows[step]!.location
            let ownRule = rule.needsToLocation ? LocationRule(leafRequired: rule.leafRequired) : rule
            switch snapshot.checkLocation(code, site: site, rule: ownRule, at: scan.at("location")) {
            case .success(let found): location = found
            case .failure(let diagnostic): findings.add(diagnostic, .validate)
            }
            if rule.needsToLocation {
                if let target = scan.toLocation {
                    switch snapshot.checkLocation(target, site: site, rule: LocationRule(leafRequired: true), what: "toLocation", at: scan.at("toLocation")) {
                    case .success(let found): destination = found
                    case .failure(let diagnostic): findings.add(diagnostic, .validate)
                    }
                } else {
                    findings.add(.error(.locationUnknown, "a \(step.rawValue) scan needs a toLocation", at: scan.pointer.description.isEmpty ? "/" : scan.pointer.description), .validate)
                }
            }
        }
        // A move into quarantine is a hold.
        var effectiveStep = step
        if step == .moved, destination?.role == .quarantine { effectiveStep = .held }

        // The barcode.
        var elements: [GS1Element] = []
        if let barcode = scan.barcode {
            var options = GS1Options()
            options.permitUnknownAIs = partner.options["permitUnknownAIs"] == "true"
            switch barcodes.read(barcode, options: options, at: scan.at("barcode")) {
            case .success(let found): elements = found
            case .failure(let diagnostic): findings.add(diagnostic, .parse)
            }
        }
        func value(_ ai: String) -> String? { elements.first { $0.ai == ai }?.value }
        let sscc = value("00")
        let gtin = value("01") ?? value("02")
        var item = Item(gtin: gtin, lot: value("10"), serial: value("21"), expiry: value("17").flatMap { GS1Dates.date($0, referenceYear: record.recordedAt.localDate.year) })
        var itemRecord: ItemRecord? = nil
        if let gtin {
            itemRecord = snapshot.item(gtin: gtin)
            if itemRecord == nil {
                findings.add(.error(.itemUnknown, "GTIN \(gtin) is not an item of master data", at: scan.at("barcode")), .validate)
            }
            item.sku = itemRecord?.sku
            item.description = itemRecord?.description
        }

        // Quantity: from the barcode (30/37 count, 310n/320n weight) or the JSON; both must agree.
        var barcodeQuantity: Quantity? = nil
        if let count = value("30") ?? value("37"), let number = ExactDecimal(count) {
            barcodeQuantity = Quantity(number, itemRecord?.baseUnit ?? "EA")
        } else if let weight = elements.first(where: { $0.ai.hasPrefix("310") || $0.ai.hasPrefix("320") }),
            let raw = ExactDecimal(weight.value), let places = Int(weight.ai.suffix(1)),
            let scaled = raw.divided(by: ExactDecimal("1" + String(repeating: "0", count: places))!, scale: 6)?.value
        {
            barcodeQuantity = Quantity(scaled, weight.ai.hasPrefix("310") ? "KGM" : "LBR")
        }
        var jsonQuantity: Quantity? = nil
        if let text = scan.quantity {
            if let number = ExactDecimal(text) {
                if let unit = scan.uom {
                    switch UnitsOfMeasure.resolve(unit, list: .enterprise, partnerCodes: partner.codes(.uom), at: scan.at("uom")) {
                    case .success(let code): jsonQuantity = Quantity(number, code)
                    case .failure(let diagnostic): findings.add(diagnostic, .map)
                    }
                } else {
                    let unit = itemRecord?.baseUnit ?? "EA"
                    jsonQuantity = Quantity(number, unit)
                    findings.add(
                        .warning(.valueDefaulted, "quantity \(text) has no uom: read in the item's base unit, \(unit)", at: scan.at("uom")),
                        .map)
                }
            } else {
                findings.add(.error(.quantityInvalid, "quantity \(text) is out of range", at: scan.at("quantity")), .parse)
            }
        }
        var quantity = jsonQuantity ?? barcodeQuantity
        var base: Quantity? = nil
        if let candidate = quantity {
            if let problem = QuantityRules.check(candidate.value, allowZero: effectiveStep == .counted, at: scan.at("quantity")) {
                findings.add(problem, .validate)
            } else if let itemRecord {
                switch UnitsOfMeasure.toBase(candidate, item: itemRecord, at: scan.at(jsonQuantity != nil ? "uom" : "barcode")) {
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
            }
        } else if let itemRecord, sscc == nil {
            // A single scan of an item is one of it, when the item is counted: in the unit the scan
            // names, else the item's base unit; said with a warning, since the scan stated no count.
            if itemRecord.baseDimension?.isPhysical == true {
                findings.add(
                    .error(.quantityInvalid, "item \(itemRecord.sku) is measured in \(itemRecord.baseUnit): the scan needs a quantity", at: scan.at("quantity")),
                    .validate)
            } else {
                var unit = itemRecord.baseUnit
                if let named = scan.uom {
                    switch UnitsOfMeasure.resolve(named, list: .enterprise, partnerCodes: partner.codes(.uom), at: scan.at("uom")) {
                    case .success(let code): unit = code
                    case .failure(let diagnostic): findings.add(diagnostic, .map)
                    }
                }
                let one = Quantity(.one, unit)
                switch UnitsOfMeasure.toBase(one, item: itemRecord, at: scan.at("uom")) {
                case .success(let converted):
                    quantity = one
                    base = converted
                    findings.add(
                        .warning(.valueDefaulted, "the scan states no quantity: read as one \(unit) (one scan of one unit)", at: scan.at("quantity")),
                        .map)
                case .failure(let diagnostic): findings.add(diagnostic, .validate)
                }
            }
        }
        if gtin == nil, sscc == nil, !elements.isEmpty {
            findings.add(.error(.gs1AIInvalid, "the barcode carries neither a GTIN (01/02) nor an SSCC (00)", at: scan.at("barcode")), .validate)
        }

        // Item rules: missing lot, expiry or serial are warnings.
        if let record = itemRecord {
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

        // Late scans are accepted and flagged.
        if let scannedAt = scan.scannedAt {
            let delay = record.recordedAt.epochSeconds - scannedAt.epochSeconds
            if delay > lateAfterSeconds {
                findings.add(
                    .warning(.scanLate, "the scan reached the hub \(delay / 3600) h \(delay % 3600 / 60) min after it was taken", at: scan.at("scannedAt")),
                    .validate)
            } else if -delay > futureAfterSeconds {
                // A clock that is wrong (or a year typed as 9999): the time is kept as sent, and said.
                findings.add(
                    .warning(
                        .scanInFuture, "the scan says it was taken \(-delay / 3600) h \(-delay % 3600 / 60) min after it reached the hub",
                        at: scan.at("scannedAt")),
                    .validate)
            }
        }

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
        event.item = gtin == nil ? nil : item
        event.handlingUnit = sscc.map { HandlingUnit(sscc: $0) }
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
                    subject: Subject.inventory(sscc: sscc, gtin: gtin, sku: item.sku, lot: item.lot, site: site),
                    time: scannedAt, partner: partner.partner, site: site, recordedtime: record.recordedAt,
                    correlationid: scan.shipmentId, sourceref: record.source.reference, data: event)))
    }
}
