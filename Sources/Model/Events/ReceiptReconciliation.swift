// Stored optionals are spelled `Optional<T>` so that initialisers move their arguments into place
// (see `Item`).

/// Whether a receipt matched its ship notice.
public enum ReconciliationStatus: String, Sendable, Hashable, CaseIterable {
    /// Everything announced arrived, nothing else, nothing damaged, within the supplier's tolerances.
    case exact
    case discrepant
    /// A blind receipt that a late ship notice has since claimed: read the shipment's record.
    case superseded
}

/// What went wrong with a receipt, named after EANCOM RECADV's discrepancy codes (4221) where
/// RECADV has one (``recadvCode``).
public enum ReceiptDiscrepancy: String, Sendable, Hashable, CaseIterable {
    case overShipped = "over_shipped"
    /// Less arrived than announced. RECADV states it as a negative quantity variance (QVR); its
    /// 4221 codes (BP, CP) say whether a back order follows, which the receiver does not know.
    case shortShipped = "short_shipped"
    case deliveredDamaged = "delivered_damaged"
    case deliveredNotAdvised = "delivered_not_advised"
    case deliveredLate = "delivered_late"

    /// The UN/EDIFACT 4221 code (EANCOM RECADV QVR) of the same meaning.
    public var recadvCode: String? {
        switch self {
        case .overShipped: "AC"
        case .deliveredNotAdvised: "AE"
        case .deliveredDamaged: "AF"
        case .deliveredLate: "AG"
        case .shortShipped: nil
        }
    }
}

/// What became of one handling unit (SSCC).
public enum HandlingUnitOutcome: String, Sendable, Hashable, CaseIterable {
    /// Announced and received (itself, or through the unit it was packed in).
    case matched
    /// Announced, not received.
    case missing
    /// Received, announced by no ship notice of the shipment.
    case unexpected
    /// Received damaged.
    case damaged
}

/// One handling unit in a reconciliation.
public struct ReconciledUnit: Sendable, Hashable, JSONEncodable, JSONDecodable {
    public var sscc: String
    public var parent: Optional<String>
    public var outcome: HandlingUnitOutcome
    /// The first receiving scan of the unit (or of the unit it was packed in).
    public var receivedAt: Optional<Timestamp>
    /// The first putaway or release to available stock after it was received.
    public var stockedAt: Optional<Timestamp>
    /// receivedAt → stockedAt, in whole minutes.
    public var dockToStockMinutes: Optional<Int>
    /// Where it was received (enterprise location id).
    public var receivedAtLocation: Optional<String>

    public init(
        sscc: String, parent: String? = nil, outcome: HandlingUnitOutcome, receivedAt: Timestamp? = nil,
        stockedAt: Timestamp? = nil, dockToStockMinutes: Int? = nil, receivedAtLocation: String? = nil
    ) {
        self.sscc = sscc
        self.parent = parent
        self.outcome = outcome
        self.receivedAt = receivedAt
        self.stockedAt = stockedAt
        self.dockToStockMinutes = dockToStockMinutes
        self.receivedAtLocation = receivedAtLocation
    }

    public func write(to w: inout JSONWriter) {
        w.beginObject()
        w.field("sscc", sscc)
        w.field("parent", parent)
        w.field("outcome", outcome.rawValue)
        w.field("receivedAt", receivedAt)
        w.field("stockedAt", stockedAt)
        w.field("dockToStockMinutes", dockToStockMinutes)
        w.field("receivedAtLocation", receivedAtLocation)
        w.endObject()
    }

    public init(json: JSONValue, at pointer: JSONPointer) throws(JSONShapeError) {
        let r = try JSONObjectReader(json, at: pointer)
        self.init(
            sscc: try r.string("sscc"), parent: try r.optionalString("parent"), outcome: try r.code("outcome"),
            receivedAt: try r.optional("receivedAt"), stockedAt: try r.optional("stockedAt"),
            dockToStockMinutes: try r.optionalInt("dockToStockMinutes"), receivedAtLocation: try r.optionalString("receivedAtLocation"))
    }
}

/// One line of a reconciliation: what was announced of an item (and lot) against what arrived.
public struct ReconciledLine: Sendable, Hashable, JSONEncodable, JSONDecodable {
    /// The ship notice's line id; absent for what arrived without being announced.
    public var lineId: Optional<String>
    public var poNumber: Optional<String>
    public var poLine: Optional<String>
    /// GTIN, sku and lot (what identifies the line).
    public var item: Item
    /// Announced, in the item's base unit where master data knows the item.
    public var expected: Optional<Quantity>
    public var received: Quantity
    /// Of the received quantity, what arrived damaged.
    public var damaged: Optional<Quantity>
    /// received − expected.
    public var variance: Optional<Quantity>
    public var discrepancies: [ReceiptDiscrepancy]

    public init(
        lineId: String? = nil, poNumber: String? = nil, poLine: String? = nil, item: Item, expected: Quantity? = nil,
        received: Quantity, damaged: Quantity? = nil, variance: Quantity? = nil, discrepancies: [ReceiptDiscrepancy] = []
    ) {
        self.lineId = lineId
        self.poNumber = poNumber
        self.poLine = poLine
        self.item = item
        self.expected = expected
        self.received = received
        self.damaged = damaged
        self.variance = variance
        self.discrepancies = discrepancies
    }

    public func write(to w: inout JSONWriter) {
        w.beginObject()
        w.field("lineId", lineId)
        w.field("poNumber", poNumber)
        w.field("poLine", poLine)
        w.field("item", item)
        w.field("expected", expected)
        w.field("received", received)
        w.field("damaged", damaged)
        w.field("variance", variance)
        w.field("discrepancies", strings: discrepancies.map(\.rawValue), always: true)
        w.endObject()
    }

    public init(json: JSONValue, at pointer: JSONPointer) throws(JSONShapeError) {
        let r = try JSONObjectReader(json, at: pointer)
        self.init(
            lineId: try r.optionalString("lineId"), poNumber: try r.optionalString("poNumber"),
            poLine: try r.optionalString("poLine"), item: try r.decode("item"), expected: try r.optional("expected"),
            received: try r.decode("received"), damaged: try r.optional("damaged"), variance: try r.optional("variance"),
            discrepancies: try r.codes("discrepancies"))
    }
}

/// The carrier's milestones for a shipment, from the carrier statuses that share a reference
/// with its ship notice.
public struct CarrierMilestones: Sendable, Hashable, JSONEncodable, JSONDecodable {
    public var scac: Optional<String>
    public var trackingNumbers: [String]
    /// The first `tendered` (or else `picked_up`) status.
    public var tenderedAt: Optional<Timestamp>
    /// The last `delivered` status.
    public var deliveredAt: Optional<Timestamp>
    /// The latest status of all.
    public var lastStatus: Optional<CarrierStatusCode>

    public init(
        scac: String? = nil, trackingNumbers: [String] = [], tenderedAt: Timestamp? = nil, deliveredAt: Timestamp? = nil,
        lastStatus: CarrierStatusCode? = nil
    ) {
        self.scac = scac
        self.trackingNumbers = trackingNumbers
        self.tenderedAt = tenderedAt
        self.deliveredAt = deliveredAt
        self.lastStatus = lastStatus
    }

    public func write(to w: inout JSONWriter) {
        w.beginObject()
        w.field("scac", scac)
        w.field("trackingNumbers", strings: trackingNumbers, always: true)
        w.field("tenderedAt", tenderedAt)
        w.field("deliveredAt", deliveredAt)
        w.field("lastStatus", lastStatus?.rawValue)
        w.endObject()
    }

    public init(json: JSONValue, at pointer: JSONPointer) throws(JSONShapeError) {
        let r = try JSONObjectReader(json, at: pointer)
        self.init(
            scac: try r.optionalString("scac"), trackingNumbers: try r.strings("trackingNumbers"),
            tenderedAt: try r.optional("tenderedAt"), deliveredAt: try r.optional("deliveredAt"),
            lastStatus: try r.optionalCode("lastStatus"))
    }
}

/// Dock-to-stock over the units of a receipt (or a day), in whole minutes.
public struct DockToStock: Sendable, Hashable, JSONEncodable, JSONDecodable {
    /// Units that were both received and stocked.
    public var units: Int
    public var medianMinutes: Optional<Int>
    public var p90Minutes: Optional<Int>

    public init(units: Int, medianMinutes: Int? = nil, p90Minutes: Int? = nil) {
        self.units = units
        self.medianMinutes = medianMinutes
        self.p90Minutes = p90Minutes
    }

    /// Nearest-rank median and 90th percentile.
    public init(minutes: [Int]) {
        self.init(counts: minutes.sorted().map { (minutes: $0, units: 1) })
    }

    /// The same from how many units took each number of minutes, in ascending order of minutes.
    public init(counts: [(minutes: Int, units: Int)]) {
        let total = counts.reduce(0) { $0 + $1.units }
        func rank(_ percent: Int) -> Int? {
            guard total > 0 else { return nil }
            var index = max(0, (percent * total + 99) / 100 - 1)
            for count in counts {
                if index < count.units { return count.minutes }
                index -= count.units
            }
            return nil
        }
        self.init(units: total, medianMinutes: rank(50), p90Minutes: rank(90))
    }

    public func write(to w: inout JSONWriter) {
        w.beginObject()
        w.field("units", units)
        w.field("medianMinutes", medianMinutes)
        w.field("p90Minutes", p90Minutes)
        w.endObject()
    }

    public init(json: JSONValue, at pointer: JSONPointer) throws(JSONShapeError) {
        let r = try JSONObjectReader(json, at: pointer)
        self.init(units: try r.int("units"), medianMinutes: try r.optionalInt("medianMinutes"), p90Minutes: try r.optionalInt("p90Minutes"))
    }
}

/// `crossdock.receipt.reconciliation.v1`: what a supplier announced against what a site
/// received, made when the receipt closes and again whenever a late ship notice or scan changes it.
public struct ReceiptReconciliation: EventPayload, JSONDecodable {
    public static var eventType: EventType { .receiptReconciliation }

    /// The record's key: the shipment id, or `unadvised:<site>:<sscc>` for a blind receipt.
    public var receiptId: String
    /// The ship notice's shipment id; absent for a blind receipt.
    public var shipmentId: Optional<String>
    public var status: ReconciliationStatus
    /// For a superseded blind receipt: the shipment that claimed it.
    public var supersededBy: Optional<String>
    public var site: String
    /// The supplier's partner id.
    public var supplier: Optional<String>
    public var asnNumber: Optional<String>
    public var orders: [String]
    /// When the ship notice reached the hub (its record's time).
    public var asnRecordedAt: Optional<Timestamp>
    public var firstReceiptAt: Optional<Timestamp>
    public var lastReceiptAt: Optional<Timestamp>
    /// The ship notice reached the hub after the first receipt.
    public var asnLate: Optional<Bool>
    /// By how many whole minutes (0 when on time).
    public var asnLateMinutes: Optional<Int>
    public var expectedArrivalAt: Optional<Timestamp>
    /// Every announced unit was received and stocked.
    public var complete: Bool
    public var carrier: Optional<CarrierMilestones>
    public var handlingUnits: [ReconciledUnit]
    public var lines: [ReconciledLine]
    /// The receipt's discrepancies: every line's, and `delivered_late`.
    public var discrepancies: [ReceiptDiscrepancy]
    public var dockToStock: DockToStock
    public var warnings: [Diagnostic]

    public init(
        receiptId: String, shipmentId: String? = nil, status: ReconciliationStatus, supersededBy: String? = nil, site: String,
        supplier: String? = nil, asnNumber: String? = nil, orders: [String] = [], asnRecordedAt: Timestamp? = nil,
        firstReceiptAt: Timestamp? = nil, lastReceiptAt: Timestamp? = nil, asnLate: Bool? = nil, asnLateMinutes: Int? = nil,
        expectedArrivalAt: Timestamp? = nil, complete: Bool = false, carrier: CarrierMilestones? = nil,
        handlingUnits: [ReconciledUnit] = [], lines: [ReconciledLine] = [], discrepancies: [ReceiptDiscrepancy] = [],
        dockToStock: DockToStock = DockToStock(units: 0), warnings: [Diagnostic] = []
    ) {
        self.receiptId = receiptId
        self.shipmentId = shipmentId
        self.status = status
        self.supersededBy = supersededBy
        self.site = site
        self.supplier = supplier
        self.asnNumber = asnNumber
        self.orders = orders
        self.asnRecordedAt = asnRecordedAt
        self.firstReceiptAt = firstReceiptAt
        self.lastReceiptAt = lastReceiptAt
        self.asnLate = asnLate
        self.asnLateMinutes = asnLateMinutes
        self.expectedArrivalAt = expectedArrivalAt
        self.complete = complete
        self.carrier = carrier
        self.handlingUnits = handlingUnits
        self.lines = lines
        self.discrepancies = discrepancies
        self.dockToStock = dockToStock
        self.warnings = warnings
    }

    public func write(to w: inout JSONWriter) {
        w.beginObject()
        w.field("receiptId", receiptId)
        w.field("shipmentId", shipmentId)
        w.field("status", status.rawValue)
        w.field("supersededBy", supersededBy)
        w.field("site", site)
        w.field("supplier", supplier)
        w.field("asnNumber", asnNumber)
        w.field("orders", strings: orders, always: true)
        w.field("asnRecordedAt", asnRecordedAt)
        w.field("firstReceiptAt", firstReceiptAt)
        w.field("lastReceiptAt", lastReceiptAt)
        if let asnLate {
            w.key("asnLate")
            w.bool(asnLate)
        }
        w.field("asnLateMinutes", asnLateMinutes)
        w.field("expectedArrivalAt", expectedArrivalAt)
        w.key("complete")
        w.bool(complete)
        w.field("carrier", carrier)
        w.field("handlingUnits", handlingUnits, always: true)
        w.field("lines", lines, always: true)
        w.field("discrepancies", strings: discrepancies.map(\.rawValue), always: true)
        w.field("dockToStock", dockToStock)
        w.field("warnings", warnings, always: true)
        w.endObject()
    }

    public init(json: JSONValue, at pointer: JSONPointer) throws(JSONShapeError) {
        let r = try JSONObjectReader(json, at: pointer)
        self.init(
            receiptId: try r.string("receiptId"), shipmentId: try r.optionalString("shipmentId"), status: try r.code("status"),
            supersededBy: try r.optionalString("supersededBy"), site: try r.string("site"),
            supplier: try r.optionalString("supplier"), asnNumber: try r.optionalString("asnNumber"),
            orders: try r.strings("orders"), asnRecordedAt: try r.optional("asnRecordedAt"),
            firstReceiptAt: try r.optional("firstReceiptAt"), lastReceiptAt: try r.optional("lastReceiptAt"),
            asnLate: try r.optionalBool("asnLate"), asnLateMinutes: try r.optionalInt("asnLateMinutes"),
            expectedArrivalAt: try r.optional("expectedArrivalAt"), complete: try r.bool("complete"),
            carrier: try r.optional("carrier"), handlingUnits: try r.array("handlingUnits"), lines: try r.array("lines"),
            discrepancies: try r.codes("discrepancies"), dockToStock: try r.decode("dockToStock"),
            warnings: try r.array("warnings"))
    }
}

/// `crossdock.supplier.scorecard.v1`: how well a supplier announced what it delivered to a site,
/// over the receipts whose first scan fell on one day (in the scan's own UTC offset).
public struct SupplierScorecard: EventPayload, JSONDecodable {
    public static var eventType: EventType { .supplierScorecard }

    public var supplier: String
    public var site: String
    public var day: CalendarDate
    public var receipts: Int
    /// Receipts whose ship notice reached the hub before their first scan.
    public var asnOnTime: Int
    /// Receipts reconciled `exact`.
    public var exactReceipts: Int
    /// Received handling units that a ship notice announced, and all received or announced units.
    public var ssccMatched: Int
    public var ssccTotal: Int
    /// Received units (handling units, else lines) and of them damaged.
    public var unitsReceived: Int
    public var unitsDamaged: Int
    /// asnOnTime / receipts.
    public var asnOnTimeRate: Optional<ExactDecimal>
    /// exactReceipts / receipts.
    public var asnAccuracy: Optional<ExactDecimal>
    /// ssccMatched / ssccTotal.
    public var ssccMatchRate: Optional<ExactDecimal>
    /// unitsDamaged / unitsReceived.
    public var damageRate: Optional<ExactDecimal>
    public var dockToStock: DockToStock

    public init(
        supplier: String, site: String, day: CalendarDate, receipts: Int, asnOnTime: Int, exactReceipts: Int,
        ssccMatched: Int, ssccTotal: Int, unitsReceived: Int, unitsDamaged: Int, dockToStock: DockToStock
    ) {
        self.supplier = supplier
        self.site = site
        self.day = day
        self.receipts = receipts
        self.asnOnTime = asnOnTime
        self.exactReceipts = exactReceipts
        self.ssccMatched = ssccMatched
        self.ssccTotal = ssccTotal
        self.unitsReceived = unitsReceived
        self.unitsDamaged = unitsDamaged
        self.dockToStock = dockToStock
        func rate(_ part: Int, _ whole: Int) -> ExactDecimal? {
            whole == 0 ? nil : ExactDecimal(part).divided(by: ExactDecimal(whole), scale: 4)?.value
        }
        asnOnTimeRate = rate(asnOnTime, receipts)
        asnAccuracy = rate(exactReceipts, receipts)
        ssccMatchRate = rate(ssccMatched, ssccTotal)
        damageRate = rate(unitsDamaged, unitsReceived)
    }

    public func write(to w: inout JSONWriter) {
        w.beginObject()
        w.field("supplier", supplier)
        w.field("site", site)
        w.field("day", day)
        w.field("receipts", receipts)
        w.field("asnOnTime", asnOnTime)
        w.field("exactReceipts", exactReceipts)
        w.field("ssccMatched", ssccMatched)
        w.field("ssccTotal", ssccTotal)
        w.field("unitsReceived", unitsReceived)
        w.field("unitsDamaged", unitsDamaged)
        w.field("asnOnTimeRate", asnOnTimeRate)
        w.field("asnAccuracy", asnAccuracy)
        w.field("ssccMatchRate", ssccMatchRate)
        w.field("damageRate", damageRate)
        w.field("dockToStock", dockToStock)
        w.endObject()
    }

    public init(json: JSONValue, at pointer: JSONPointer) throws(JSONShapeError) {
        let r = try JSONObjectReader(json, at: pointer)
        self.init(
            supplier: try r.string("supplier"), site: try r.string("site"), day: try r.decode("day"), receipts: try r.int("receipts"),
            asnOnTime: try r.int("asnOnTime"), exactReceipts: try r.int("exactReceipts"), ssccMatched: try r.int("ssccMatched"),
            ssccTotal: try r.int("ssccTotal"), unitsReceived: try r.int("unitsReceived"), unitsDamaged: try r.int("unitsDamaged"),
            dockToStock: try r.decode("dockToStock"))
    }
}

extension JSONObjectReader {
    /// An optional `true`/`false` member.
    public func optionalBool(_ key: String) throws(JSONShapeError) -> Bool? {
        guard let value = object[key], !value.isNull else { return nil }
        return try bool(key)
    }

    /// An array of codes (strings naming cases of `T`).
    public func codes<T: RawRepresentable<String>>(_ key: String, as type: T.Type = T.self) throws(JSONShapeError) -> [T] {
        var codes: [T] = []
        for (index, text) in try strings(key).enumerated() {
            guard let code = T(rawValue: text) else {
                throw JSONShapeError("\"\(text)\" is not a known code", at: pointer.appending(key).appending(String(index)))
            }
            codes.append(code)
        }
        return codes
    }
}

extension Int: JSONDecodable, JSONEncodable {
    public init(json: JSONValue, at pointer: JSONPointer) throws(JSONShapeError) {
        guard case .number(let text) = json, let value = Int(text) else {
            throw JSONShapeError("expected an integer, found \(json.typeName)", at: pointer)
        }
        self = value
    }

    public func write(to writer: inout JSONWriter) { writer.number(self) }
}
