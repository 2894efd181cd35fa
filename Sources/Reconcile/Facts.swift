public import Model

// The few things of each canonical event a receipt needs. The stores keep these rather than the
// events (a scan event is 1-2 KB, its fact about 200 bytes), so a shipment's state stays small
// enough for one changelog record.

/// An item as lines are matched by: the enterprise sku where master data knows the item, else
/// the GTIN, else the supplier's number; and the lot.
public struct ItemKey: Sendable, Hashable, Comparable {
    public var item: String
    public var lot: String?

    public init(item: String, lot: String?) {
        self.item = item
        self.lot = lot
    }

    public static func < (a: ItemKey, b: ItemKey) -> Bool { (a.item, a.lot ?? "") < (b.item, b.lot ?? "") }
}

/// One receiving-relevant scan: received, put away, damaged, held or released.
public struct ReceiptFact: Sendable, Hashable, JSONEncodable, JSONDecodable {
    /// The canonical event's id: a re-delivered scan is recognised by it.
    public var id: String
    public var time: Timestamp
    public var recordedAt: Timestamp
    public var step: InventoryStep
    /// The state the stock went to (`available`, `damaged`...), when the scan says.
    public var toState: Optional<String>
    public var site: String
    public var location: String
    public var sscc: Optional<String>
    public var shipmentId: Optional<String>
    /// What the scan names: item and quantity, in the base unit where master data knows the item.
    public var item: Optional<Item>
    public var key: Optional<ItemKey>
    public var quantity: Optional<Quantity>

    public init(
        id: String, time: Timestamp, recordedAt: Timestamp, step: InventoryStep, toState: String?, site: String,
        location: String, sscc: String?, shipmentId: String?, item: Item?, key: ItemKey?, quantity: Quantity?
    ) {
        self.id = id
        self.time = time
        self.recordedAt = recordedAt
        self.step = step
        self.toState = toState
        self.site = site
        self.location = location
        self.sscc = sscc
        self.shipmentId = shipmentId
        self.item = item
        self.key = key
        self.quantity = quantity
    }

    /// The stock was received (from outside).
    public var isReceipt: Bool { step == .received }
    /// The stock went to available stock: put away, or released to available.
    public var isStocking: Bool { step == .putaway || toState == InventoryState.available.rawValue }
    public var isDamage: Bool { step == .damaged || toState == InventoryState.damaged.rawValue }

    public func write(to w: inout JSONWriter) {
        w.beginObject()
        w.field("id", id)
        w.field("time", time)
        w.field("recordedAt", recordedAt)
        w.field("step", step.rawValue)
        w.field("toState", toState)
        w.field("site", site)
        w.field("location", location)
        w.field("sscc", sscc)
        w.field("shipmentId", shipmentId)
        w.field("item", item)
        w.field("keyItem", key?.item)
        w.field("keyLot", key?.lot)
        w.field("quantity", quantity)
        w.endObject()
    }

    public init(json: JSONValue, at pointer: JSONPointer) throws(JSONShapeError) {
        let r = try JSONObjectReader(json, at: pointer)
        let keyItem = try r.optionalString("keyItem")
        self.init(
            id: try r.string("id"), time: try r.decode("time"), recordedAt: try r.decode("recordedAt"), step: try r.code("step"),
            toState: try r.optionalString("toState"), site: try r.string("site"), location: try r.string("location"),
            sscc: try r.optionalString("sscc"), shipmentId: try r.optionalString("shipmentId"), item: try r.optional("item"),
            key: keyItem.map { ItemKey(item: $0, lot: nil) }, quantity: try r.optional("quantity"))
        if keyItem != nil { key?.lot = try r.optionalString("keyLot") }
    }
}

/// One line of a ship notice.
public struct AnnouncedLine: Sendable, Hashable, JSONEncodable, JSONDecodable {
    public var lineId: String
    public var item: Item
    public var key: ItemKey
    /// In the base unit where master data knows the item, else as sent.
    public var quantity: Quantity
    public var poNumber: Optional<String>
    public var poLine: Optional<String>
    public var sscc: Optional<String>

    public init(lineId: String, item: Item, key: ItemKey, quantity: Quantity, poNumber: String?, poLine: String?, sscc: String?) {
        self.lineId = lineId
        self.item = item
        self.key = key
        self.quantity = quantity
        self.poNumber = poNumber
        self.poLine = poLine
        self.sscc = sscc
    }

    public func write(to w: inout JSONWriter) {
        w.beginObject()
        w.field("lineId", lineId)
        w.field("item", item)
        w.field("keyItem", key.item)
        w.field("keyLot", key.lot)
        w.field("quantity", quantity)
        w.field("poNumber", poNumber)
        w.field("poLine", poLine)
        w.field("sscc", sscc)
        w.endObject()
    }

    public init(json: JSONValue, at pointer: JSONPointer) throws(JSONShapeError) {
        let r = try JSONObjectReader(json, at: pointer)
        self.init(
            lineId: try r.string("lineId"), item: try r.decode("item"),
            key: ItemKey(item: try r.string("keyItem"), lot: try r.optionalString("keyLot")), quantity: try r.decode("quantity"),
            poNumber: try r.optionalString("poNumber"), poLine: try r.optionalString("poLine"), sscc: try r.optionalString("sscc"))
    }
}

/// A handling unit a ship notice announces.
public struct AnnouncedUnit: Sendable, Hashable, JSONEncodable, JSONDecodable {
    public var sscc: String
    public var parent: Optional<String>

    public init(sscc: String, parent: String?) {
        self.sscc = sscc
        self.parent = parent
    }

    public func write(to w: inout JSONWriter) {
        w.beginObject()
        w.field("sscc", sscc)
        w.field("parent", parent)
        w.endObject()
    }

    public init(json: JSONValue, at pointer: JSONPointer) throws(JSONShapeError) {
        let r = try JSONObjectReader(json, at: pointer)
        self.init(sscc: try r.string("sscc"), parent: try r.optionalString("parent"))
    }
}

/// A ship notice, as a receipt is reconciled against it.
public struct AnnouncedShipment: Sendable, Hashable, JSONEncodable, JSONDecodable {
    public var id: String
    public var shipmentId: String
    public var asnNumber: String
    public var purpose: ShipmentPurpose
    public var supplier: String
    public var site: String
    public var orders: [String]
    public var recordedAt: Timestamp
    public var expectedArrivalAt: Optional<Timestamp>
    public var scac: Optional<String>
    public var trackingNumbers: [String]
    /// Everything a carrier may name the shipment by: ASN number, bill of lading, PRO and
    /// tracking numbers.
    public var references: [String]
    public var units: [AnnouncedUnit]
    public var lines: [AnnouncedLine]

    public init(
        id: String, shipmentId: String, asnNumber: String, purpose: ShipmentPurpose, supplier: String, site: String,
        orders: [String], recordedAt: Timestamp, expectedArrivalAt: Timestamp?, scac: String?, trackingNumbers: [String],
        references: [String], units: [AnnouncedUnit], lines: [AnnouncedLine]
    ) {
        self.id = id
        self.shipmentId = shipmentId
        self.asnNumber = asnNumber
        self.purpose = purpose
        self.supplier = supplier
        self.site = site
        self.orders = orders
        self.recordedAt = recordedAt
        self.expectedArrivalAt = expectedArrivalAt
        self.scac = scac
        self.trackingNumbers = trackingNumbers
        self.references = references
        self.units = units
        self.lines = lines
    }

    public func write(to w: inout JSONWriter) {
        w.beginObject()
        w.field("id", id)
        w.field("shipmentId", shipmentId)
        w.field("asnNumber", asnNumber)
        w.field("purpose", purpose.rawValue)
        w.field("supplier", supplier)
        w.field("site", site)
        w.field("orders", strings: orders, always: true)
        w.field("recordedAt", recordedAt)
        w.field("expectedArrivalAt", expectedArrivalAt)
        w.field("scac", scac)
        w.field("trackingNumbers", strings: trackingNumbers, always: true)
        w.field("references", strings: references, always: true)
        w.field("units", units, always: true)
        w.field("lines", lines, always: true)
        w.endObject()
    }

    public init(json: JSONValue, at pointer: JSONPointer) throws(JSONShapeError) {
        let r = try JSONObjectReader(json, at: pointer)
        self.init(
            id: try r.string("id"), shipmentId: try r.string("shipmentId"), asnNumber: try r.string("asnNumber"),
            purpose: try r.code("purpose"), supplier: try r.string("supplier"), site: try r.string("site"),
            orders: try r.strings("orders"), recordedAt: try r.decode("recordedAt"),
            expectedArrivalAt: try r.optional("expectedArrivalAt"), scac: try r.optionalString("scac"),
            trackingNumbers: try r.strings("trackingNumbers"), references: try r.strings("references"),
            units: try r.array("units"), lines: try r.array("lines"))
    }

    /// Later ship notices of a shipment replace earlier ones: by the time they reached the hub,
    /// then a replacement (BSN01 05, BGM 1225 5) or cancellation over the original, then by id, so
    /// that every order of arrival picks the same one.
    public static func supersedes(_ a: AnnouncedShipment, _ b: AnnouncedShipment) -> Bool {
        func rank(_ purpose: ShipmentPurpose) -> Int { purpose == .original ? 0 : 1 }
        return (a.recordedAt.epochSeconds, a.recordedAt.nanoseconds, rank(a.purpose), a.id)
            > (b.recordedAt.epochSeconds, b.recordedAt.nanoseconds, rank(b.purpose), b.id)
    }
}

/// One carrier status, as a receipt's milestones need it.
public struct StatusFact: Sendable, Hashable, JSONEncodable, JSONDecodable {
    public var id: String
    public var time: Timestamp
    public var recordedAt: Timestamp
    public var status: CarrierStatusCode
    public var scac: Optional<String>
    public var trackingNumber: Optional<String>

    public init(id: String, time: Timestamp, recordedAt: Timestamp, status: CarrierStatusCode, scac: String?, trackingNumber: String?) {
        self.id = id
        self.time = time
        self.recordedAt = recordedAt
        self.status = status
        self.scac = scac
        self.trackingNumber = trackingNumber
    }

    public func write(to w: inout JSONWriter) {
        w.beginObject()
        w.field("id", id)
        w.field("time", time)
        w.field("recordedAt", recordedAt)
        w.field("status", status.rawValue)
        w.field("scac", scac)
        w.field("trackingNumber", trackingNumber)
        w.endObject()
    }

    public init(json: JSONValue, at pointer: JSONPointer) throws(JSONShapeError) {
        let r = try JSONObjectReader(json, at: pointer)
        self.init(
            id: try r.string("id"), time: try r.decode("time"), recordedAt: try r.decode("recordedAt"),
            status: try r.code("status"), scac: try r.optionalString("scac"), trackingNumber: try r.optionalString("trackingNumber"))
    }
}

/// What one reconciled receipt adds to its supplier's scorecard for the day of its first scan.
public struct ScorecardContribution: Sendable, Hashable, JSONEncodable, JSONDecodable {
    public var shipmentId: String
    public var supplier: String
    public var site: String
    public var day: CalendarDate
    public var exact: Bool
    public var asnOnTime: Bool
    public var ssccMatched: Int
    public var ssccTotal: Int
    public var unitsReceived: Int
    public var unitsDamaged: Int
    public var dockToStockMinutes: [Int]
    public var lastReceiptAt: Timestamp
    public var recordedAt: Timestamp
    /// The day the shipment counted for before, when its first scan moved to another day.
    public var previousDay: Optional<CalendarDate> = nil

    public init(
        shipmentId: String, supplier: String, site: String, day: CalendarDate, exact: Bool, asnOnTime: Bool, ssccMatched: Int,
        ssccTotal: Int, unitsReceived: Int, unitsDamaged: Int, dockToStockMinutes: [Int], lastReceiptAt: Timestamp,
        recordedAt: Timestamp, previousDay: CalendarDate? = nil
    ) {
        self.previousDay = previousDay
        self.shipmentId = shipmentId
        self.supplier = supplier
        self.site = site
        self.day = day
        self.exact = exact
        self.asnOnTime = asnOnTime
        self.ssccMatched = ssccMatched
        self.ssccTotal = ssccTotal
        self.unitsReceived = unitsReceived
        self.unitsDamaged = unitsDamaged
        self.dockToStockMinutes = dockToStockMinutes
        self.lastReceiptAt = lastReceiptAt
        self.recordedAt = recordedAt
    }

    public func write(to w: inout JSONWriter) {
        w.beginObject()
        w.field("shipmentId", shipmentId)
        w.field("supplier", supplier)
        w.field("site", site)
        w.field("day", day)
        w.key("exact")
        w.bool(exact)
        w.key("asnOnTime")
        w.bool(asnOnTime)
        w.field("ssccMatched", ssccMatched)
        w.field("ssccTotal", ssccTotal)
        w.field("unitsReceived", unitsReceived)
        w.field("unitsDamaged", unitsDamaged)
        w.key("dockToStockMinutes")
        w.beginArray()
        for minutes in dockToStockMinutes { w.number(minutes) }
        w.endArray()
        w.field("lastReceiptAt", lastReceiptAt)
        w.field("recordedAt", recordedAt)
        w.field("previousDay", previousDay)
        w.endObject()
    }

    public init(json: JSONValue, at pointer: JSONPointer) throws(JSONShapeError) {
        let r = try JSONObjectReader(json, at: pointer)
        self.init(
            shipmentId: try r.string("shipmentId"), supplier: try r.string("supplier"), site: try r.string("site"),
            day: try r.decode("day"), exact: try r.bool("exact"), asnOnTime: try r.bool("asnOnTime"),
            ssccMatched: try r.int("ssccMatched"), ssccTotal: try r.int("ssccTotal"), unitsReceived: try r.int("unitsReceived"),
            unitsDamaged: try r.int("unitsDamaged"), dockToStockMinutes: try r.array("dockToStockMinutes"),
            lastReceiptAt: try r.decode("lastReceiptAt"), recordedAt: try r.decode("recordedAt"), previousDay: try r.optional("previousDay"))
    }
}
