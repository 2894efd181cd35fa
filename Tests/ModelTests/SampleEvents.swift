import Model

/// One realistic event of each type, built from the reference network (examples/network).
enum SampleEvents {
    static func decimal(_ text: String) -> ExactDecimal { ExactDecimal(text)! }
    static func time(_ text: String) -> Timestamp { Timestamp(rfc3339: text)! }
    static let recorded = time("2026-11-19T15:05:00.125Z")

    static let dcAtlDock = Location(
        id: "DC-ATL/RCV/D03", site: "DC-ATL", path: ["DC-ATL", "DC-ATL/RCV", "DC-ATL/RCV/D03"], type: .dock,
        role: .receiving, name: "Dock 3")
    static let dcAtl = Location(
        id: "DC-ATL", site: "DC-ATL", path: ["DC-ATL"], type: .site, role: nil, gln: "0614141000012",
        name: "Atlanta DC")

    static var shipmentNotice: CloudEvent<ShipmentNotice> {
        let notice = ShipmentNotice(
            shipmentId: "ACME-INDUSTRIAL:ASN-20261119-001", asnNumber: "ASN-20261119-001", purpose: .original,
            supplier: Party(id: "ACME-INDUSTRIAL", gln: "0614142000011", name: "ACME Industrial Supply"),
            shipFrom: Party(name: "Acme Industrial - Dalton Plant"), shipTo: dcAtl,
            carrier: CarrierInfo(scac: "ODFL", mode: "M"),
            references: ShipmentReferences(
                billOfLading: "BOL778812", proNumber: "PRO5550123", other: [Reference(qualifier: "CN", value: "PRO5550123")]),
            shippedAt: time("2026-11-18T16:30:00-05:00"), expectedArrivalAt: time("2026-11-19T08:00:00-05:00"),
            totals: ShipmentTotals(handlingUnits: 2, grossWeight: Quantity(decimal("412.5"), "LBR"), lines: 2),
            orders: ["PO-4500012345"],
            handlingUnits: [
                HandlingUnit(sscc: "006141410000000012", packaging: "PLT"),
                HandlingUnit(sscc: "006141410000000029", packaging: "CTN", parent: "006141410000000012"),
            ],
            lines: [
                ShipmentLine(
                    lineId: "1", item: Item(gtin: "00614141000012", sku: "WID-100", supplierItem: "AC-7781", lot: "L2611A",
                        expiry: CalendarDate(iso: "2027-03-31")),
                    quantity: Quantity(ExactDecimal(4), "CS"), baseQuantity: Quantity(ExactDecimal(48), "EA"),
                    poNumber: "PO-4500012345", poLine: "10", handlingUnit: "006141410000000029"),
                ShipmentLine(
                    lineId: "2", item: Item(gtin: "00614141000067", sku: "BLT-M8"),
                    quantity: Quantity(decimal("12.5"), "KGM"), baseQuantity: Quantity(decimal("12.5"), "KGM"),
                    poNumber: "PO-4500012345", poLine: "20", handlingUnit: "006141410000000012",
                    serials: ["SN-1", "SN-2"]),
            ],
            warnings: [.warning("X12_ENVELOPE", "CTT01 says 3 lines, the transaction set has 2", at: "ST 0001 / segment 31 CTT / element 01")])
        return CloudEvent(
            id: EventID.make(source: EventSource.partner("ACME-INDUSTRIAL"), document: "000000101/0001", position: "0"),
            source: EventSource.partner("ACME-INDUSTRIAL"), subject: notice.shipmentId,
            time: time("2026-11-18T16:30:00-05:00"), partner: "ACME-INDUSTRIAL", site: "DC-ATL", recordedtime: recorded,
            correlationid: "ASN-20261119-001", sourceref: "suppliers.asn.raw/2/1187", data: notice)
    }

    static var inventoryEvent: CloudEvent<InventoryEvent> {
        let transition = try! InventoryStateMachine.transition(for: .received).get()
        var event = InventoryEvent(transition: transition, location: dcAtlDock)
        event.item = Item(gtin: "00614141000012", sku: "WID-100", lot: "L2611A", expiry: CalendarDate(iso: "2027-03-31"))
        event.handlingUnit = HandlingUnit(sscc: "006141410000000012")
        event.quantity = Quantity(ExactDecimal(4), "CS")
        event.baseQuantity = Quantity(ExactDecimal(48), "EA")
        event.device = "rf-101"
        event.operator = "op-7"
        event.shipmentId = "ACME-INDUSTRIAL:ASN-20261119-001"
        let source = EventSource.gateway("dc-atl-rf")
        return CloudEvent(
            id: EventID.make(source: source, document: "rf-101/2026-11-19T10:02:44-05:00", position: "0"),
            source: source,
            subject: Subject.inventory(sscc: "006141410000000012", gtin: nil, sku: nil, lot: nil, site: "DC-ATL"),
            time: time("2026-11-19T10:02:44-05:00"), partner: "GW-DC-ATL", site: "DC-ATL", recordedtime: recorded,
            sourceref: "scanners.events.raw/3/2", data: event)
    }

    static var carrierStatus: CloudEvent<CarrierStatus> {
        let status = CarrierStatus(
            shipmentId: "ACME-INDUSTRIAL:ASN-20261119-001", trackingNumber: "PRO5550123",
            carrier: CarrierInfo(scac: "ODFL", name: "Old Dominion Freight Line"), status: .arrived,
            statusCode: "X1", reasonCode: "NS", description: "Arrived at delivery location",
            location: StatusLocation(city: "Atlanta", region: "GA", country: "US", latitude: decimal("33.7490"), longitude: decimal("-84.3880")),
            estimatedDeliveryAt: time("2026-11-19T08:00:00-05:00"),
            references: [Reference(qualifier: "BM", value: "BOL778812")])
        let source = EventSource.partner("ODFL")
        return CloudEvent(
            id: EventID.make(source: source, document: "000000555/0001", position: "1"), source: source,
            subject: status.shipmentId!, time: time("2026-11-19T07:41:00-05:00"), partner: "ODFL",
            recordedtime: recorded, correlationid: "PRO5550123", sourceref: "carriers.status.raw/0/77", data: status)
    }

    static var rejected: CloudEvent<RejectedRecord> {
        let original = Array(#"{"gateway":"dc-atl-rf","action":"PUT","location":"BIN-99-99"}"#.utf8)
        let record = RejectedRecord(
            stage: .validate,
            diagnostics: [
                .error(.locationUnknown, "location 'BIN-99-99' is neither an enterprise id nor an alias of site DC-ATL", at: "/location"),
                .warning(.codeUnmapped, "reason code 'X' has no mapping", at: "/reason"),
            ],
            partner: "GW-DC-ATL", source: .kafka(topic: "scanners.events.raw", partition: 1, offset: 42),
            key: Array("dc-atl-rf".utf8), original: original)!
        let source = EventSource.gateway("dc-atl-rf")
        return CloudEvent(
            id: EventID.make(source: source, document: "scanners.events.raw/1/42", position: "rejected"), source: source,
            subject: "dc-atl-rf", time: recorded, partner: "GW-DC-ATL", site: "DC-ATL", recordedtime: recorded,
            sourceref: record.source.reference, data: record)
    }
}
