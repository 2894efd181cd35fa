public import MasterData
public import Model

/// The stage's first step, without state: each canonical event becomes the facts the stores need,
/// keyed by what each store joins on.
public struct StageRouter: Sendable {
    public var snapshot: MasterDataSnapshot

    public init(snapshot: MasterDataSnapshot) { self.snapshot = snapshot }

    /// The steps a receipt is made of; other scans (moves, picks, counts) are not a receipt's.
    static let receivingSteps: Set<InventoryStep> = [.received, .putaway, .damaged, .held, .released]

    public func route(_ event: CanonicalEvent) -> [StageOutput] {
        switch event {
        case .shipmentNotice(let event): route(notice: event)
        case .inventoryEvent(let event): route(scan: event)
        case .carrierStatus(let event): route(status: event)
        }
    }

    func route(notice event: CloudEvent<ShipmentNotice>) -> [StageOutput] {
        let notice = event.data
        let units = notice.handlingUnits.map { AnnouncedUnit(sscc: $0.sscc, parent: $0.parent) }
        let lines = notice.lines.map { line in
            AnnouncedLine(
                lineId: line.lineId, item: line.item, key: key(line.item),
                quantity: line.baseQuantity ?? base(line.quantity, of: line.item), poNumber: line.poNumber, poLine: line.poLine,
                sscc: line.handlingUnit)
        }
        let references = notice.references
        let named = [notice.asnNumber, references?.billOfLading, references?.proNumber].compactMap { $0 }
            + (references?.trackingNumbers ?? [])
        let announced = AnnouncedShipment(
            id: event.id, shipmentId: notice.shipmentId, asnNumber: notice.asnNumber, purpose: notice.purpose,
            supplier: event.partner ?? notice.supplier.id ?? "", site: notice.shipTo.site, orders: notice.orders,
            recordedAt: event.recordedtime, expectedArrivalAt: notice.expectedArrivalAt, scac: notice.carrier?.scac,
            trackingNumbers: references?.trackingNumbers ?? [], references: Self.unique(named), units: units, lines: lines)
        var outputs: [StageOutput] = [.forward(.byShipment, key: notice.shipmentId, .notice(announced))]
        outputs += Self.unique(units.map { "sscc:" + $0.sscc } + announced.references.map { "ref:" + $0 }).map {
            .forward(.byReference, key: $0, .announce(shipmentId: notice.shipmentId, at: event.recordedtime))
        }
        return outputs
    }

    func route(scan event: CloudEvent<InventoryEvent>) -> [StageOutput] {
        let scan = event.data
        guard Self.receivingSteps.contains(scan.step) else { return [] }
        let quantity = scan.baseQuantity ?? scan.quantity.map { q in scan.item.map { base(q, of: $0) } ?? q }
        let fact = ReceiptFact(
            id: event.id, time: event.time, recordedAt: event.recordedtime, step: scan.step, toState: scan.stateChange?.to?.rawValue,
            site: scan.location.site, location: scan.location.id, sscc: scan.handlingUnit?.sscc, shipmentId: scan.shipmentId,
            item: scan.item, key: scan.item.map(key), quantity: quantity)
        // By SSCC first: the notice that announced the unit decides the shipment; the scan's own
        // shipment reference counts for a unit no notice announced, and for an item scan.
        if let sscc = fact.sscc { return [.forward(.byReference, key: "sscc:" + sscc, .fact(fact))] }
        if let shipmentId = scan.shipmentId { return [.forward(.byShipment, key: shipmentId, .fact(fact))] }
        return []  // neither a shipment nor a unit: nothing to reconcile it with
    }

    func route(status event: CloudEvent<CarrierStatus>) -> [StageOutput] {
        let status = event.data
        let fact = StatusFact(
            id: event.id, time: event.time, recordedAt: event.recordedtime, status: status.status, scac: status.carrier.scac,
            trackingNumber: status.trackingNumber)
        let named = [status.trackingNumber, status.shipmentReference, status.shipmentId].compactMap { $0 } + status.references.map(\.value)
        return Self.unique(named.filter { !$0.isEmpty }).map { .forward(.byReference, key: "ref:" + $0, .status(fact)) }
    }

    /// The enterprise sku where master data knows the item, else its GTIN, else the supplier's number.
    func key(_ item: Item) -> ItemKey {
        let known = item.sku.flatMap { snapshot.item(sku: $0) } ?? item.gtin.flatMap { snapshot.item(gtin: $0) }
        return ItemKey(item: known?.sku ?? item.gtin ?? item.sku ?? item.supplierItem ?? item.buyerItem ?? "unknown", lot: item.lot)
    }

    /// A quantity in the item's base unit through master data; as sent when it cannot be.
    func base(_ quantity: Quantity, of item: Item) -> Quantity {
        guard let record = item.sku.flatMap({ snapshot.item(sku: $0) }) ?? item.gtin.flatMap({ snapshot.item(gtin: $0) }),
            case .success(let converted) = UnitsOfMeasure.toBase(quantity, item: record)
        else { return quantity }
        return converted
    }

    static func unique(_ values: [String]) -> [String] {
        var seen: Set<String> = []
        return values.filter { seen.insert($0).inserted }
    }
}
