import Formats
import MasterData
import Model

/// Turns a carrier status message into one `crossdock.carrier.status.v1` event per status
/// occurrence, in order, or rejects the message as a whole (a carrier's history is one story).
enum CarrierStatusAdapter {
    static func normalize(
        _ document: StatusDocument, record: InputRecord, snapshot: MasterDataSnapshot, links: ShipmentLinks?
    ) -> [Outcome] {
        var findings = Findings()
        findings.add(document.diagnostics, .parse)
        let format = document.format.hasPrefix("x12") ? "x12" : document.format.hasPrefix("edifact") ? "edifact" : "json"
        var partner: PartnerProfile? = nil
        switch PartnerResolution.resolve(
            identifiers: document.senderIdentifiers, format: format, record: record, snapshot: snapshot, location: document.location)
        {
        case .success(let profile): partner = profile
        case .failure(let diagnostic): findings.add(diagnostic, .map)
        }
        let sourceURN = partner.map { EventSource.partner($0.partner) }
        let scac = partner?.scac ?? document.scac
        let documentID = document.documentID.isEmpty ? EventID.digest(record.value) : document.documentID

        var mapped: [(StatusOccurrence, CarrierStatusCode)] = []
        if let partner {
            let table = format == "x12" ? CarrierStatusTable.x12 : format == "edifact" ? CarrierStatusTable.edifact : [:]
            for occurrence in document.events {
                guard let code = occurrence.statusCode else {
                    findings.add(.error(.codeUnmapped, "the status occurrence has no status code", at: occurrence.position), .map)
                    continue
                }
                if let target = partner.codes(.status)[code].flatMap(CarrierStatusCode.init(rawValue:)) ?? table[code] {
                    mapped.append((occurrence, target))
                } else {
                    findings.add(
                        .error(.codeUnmapped, "status code '\(code)' has no mapping in code list status (standard or partner \(partner.partner))", at: occurrence.position),
                        .map)
                }
                if occurrence.occurredAt == nil {
                    findings.add(.error(.x12Syntax, "the status occurrence has no date", at: occurrence.position), .parse)
                }
            }
        }
        if document.trackingNumber == nil && document.shipmentReference == nil {
            findings.add(.error(.codeUnmapped, "the message names neither a tracking number nor a shipment", at: document.location), .parse)
        }
        if let partner { findings.applySeverity(partner.severity) }
        guard let partner, !findings.hasErrors, let sourceURN else {
            return [
                .rejected(
                    Rejections.make(
                        findings, record: record, partner: partner?.partner, site: nil, sourceURN: sourceURN,
                        document: documentID, position: "0"))
            ]
        }
        // Link to an ASN through any reference it shares (tracking/PRO, shipment id, BOL).
        let candidates = [document.trackingNumber, document.shipmentReference].compactMap { $0 } + document.references.map(\.value)
        let shipmentId = candidates.lazy.compactMap { links?.shipment(for: $0) }.first
        let subject = shipmentId.map(Subject.shipment) ?? Subject.tracking(scac: scac ?? partner.partner, trackingNumber: document.trackingNumber ?? document.shipmentReference!)
        return mapped.enumerated().map { index, entry in
            let (occurrence, status) = entry
            let estimate = occurrence.estimatedDeliveryAt
                ?? (CarrierStatusTable.estimateCodes.contains(occurrence.statusCode ?? "") ? occurrence.occurredAt : nil)
            let data = CarrierStatus(
                shipmentId: shipmentId, trackingNumber: document.trackingNumber, carrier: CarrierInfo(scac: scac, name: nil),
                status: status, statusCode: occurrence.statusCode ?? "", reasonCode: occurrence.reasonCode,
                description: occurrence.description, location: occurrence.location, estimatedDeliveryAt: estimate,
                equipment: occurrence.equipment, references: document.references)
            return .event(
                .carrierStatus(
                    CloudEvent(
                        id: EventID.make(source: sourceURN, document: documentID, position: String(index)), source: sourceURN,
                        subject: subject, time: occurrence.occurredAt ?? record.recordedAt, partner: partner.partner,
                        recordedtime: record.recordedAt, correlationid: document.trackingNumber,
                        sourceref: record.source.reference, data: data)))
        }
    }
}
