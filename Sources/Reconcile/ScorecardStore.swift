public import Model

/// What the scorecard store keeps under one key: a shipment's contribution to a day
/// (`<supplier>@<site>/<day>/<shipment id>`), or the day's running totals (`<supplier>@<site>/<day>`).
/// A change costs the same however many receipts the day has, and no record of the changelog
/// grows with them.
public struct ScorecardState: Sendable, Hashable, JSONEncodable, JSONDecodable {
    public var day: CalendarDate
    public var contribution: Optional<ScorecardContribution>
    public var totals: Optional<DayTotals>

    public init(contribution: ScorecardContribution) {
        day = contribution.day
        self.contribution = contribution
        totals = nil
    }

    public init(totals: DayTotals) {
        day = totals.day
        contribution = nil
        self.totals = totals
    }

    public func write(to w: inout JSONWriter) {
        w.beginObject()
        w.field("day", day)
        w.field("contribution", contribution)
        w.field("totals", totals)
        w.endObject()
    }

    public init(json: JSONValue, at pointer: JSONPointer) throws(JSONShapeError) {
        let r = try JSONObjectReader(json, at: pointer)
        day = try r.decode("day")
        contribution = try r.optional("contribution")
        totals = try r.optional("totals")
    }
}

/// A supplier's receipts at a site on one day, summed.
public struct DayTotals: Sendable, Hashable, JSONEncodable, JSONDecodable {
    public var supplier: String
    public var site: String
    public var day: CalendarDate
    public var receipts = 0
    public var asnOnTime = 0
    public var exactReceipts = 0
    public var ssccMatched = 0
    public var ssccTotal = 0
    public var unitsReceived = 0
    public var unitsDamaged = 0
    /// Dock-to-stock minutes → how many units took that long.
    public var minutes: [Int: Int] = [:]
    /// The latest receipt and record time that counted for the day (kept when a receipt leaves it).
    public var latestReceiptAt: Timestamp
    public var recordedAt: Timestamp

    init(_ first: ScorecardContribution) {
        supplier = first.supplier
        site = first.site
        day = first.day
        latestReceiptAt = first.lastReceiptAt
        recordedAt = first.recordedAt
    }

    mutating func add(_ c: ScorecardContribution, _ sign: Int) {
        receipts += sign
        asnOnTime += c.asnOnTime ? sign : 0
        exactReceipts += c.exact ? sign : 0
        ssccMatched += sign * c.ssccMatched
        ssccTotal += sign * c.ssccTotal
        unitsReceived += sign * c.unitsReceived
        unitsDamaged += sign * c.unitsDamaged
        for minute in c.dockToStockMinutes {
            let count = (minutes[minute] ?? 0) + sign
            minutes[minute] = count > 0 ? count : nil
        }
        if sign > 0 {
            if latestReceiptAt < c.lastReceiptAt { latestReceiptAt = c.lastReceiptAt }
            if recordedAt < c.recordedAt { recordedAt = c.recordedAt }
        }
    }

    var scorecard: SupplierScorecard {
        // From the histogram: a day's units are many, their distinct minutes few.
        let counts = minutes.sorted { $0.key < $1.key }.map { (minutes: $0.key, units: $0.value) }
        return SupplierScorecard(
            supplier: supplier, site: site, day: day, receipts: receipts, asnOnTime: asnOnTime, exactReceipts: exactReceipts,
            ssccMatched: ssccMatched, ssccTotal: ssccTotal, unitsReceived: unitsReceived, unitsDamaged: unitsDamaged,
            dockToStock: DockToStock(counts: counts))
    }

    public func write(to w: inout JSONWriter) {
        w.beginObject()
        w.field("supplier", supplier)
        w.field("site", site)
        w.field("day", day)
        for (name, value) in [
            ("receipts", receipts), ("asnOnTime", asnOnTime), ("exactReceipts", exactReceipts), ("ssccMatched", ssccMatched),
            ("ssccTotal", ssccTotal), ("unitsReceived", unitsReceived), ("unitsDamaged", unitsDamaged),
        ] {
            w.key(text: name)
            w.number(value)
        }
        // As [minute, count] pairs, in order.
        w.key("minutes")
        w.beginArray()
        for (minute, count) in minutes.sorted(by: { $0.key < $1.key }) {
            w.beginArray()
            w.number(minute)
            w.number(count)
            w.endArray()
        }
        w.endArray()
        w.field("latestReceiptAt", latestReceiptAt)
        w.field("recordedAt", recordedAt)
        w.endObject()
    }

    public init(json: JSONValue, at pointer: JSONPointer) throws(JSONShapeError) {
        let r = try JSONObjectReader(json, at: pointer)
        supplier = try r.string("supplier")
        site = try r.string("site")
        day = try r.decode("day")
        receipts = try r.int("receipts")
        asnOnTime = try r.int("asnOnTime")
        exactReceipts = try r.int("exactReceipts")
        ssccMatched = try r.int("ssccMatched")
        ssccTotal = try r.int("ssccTotal")
        unitsReceived = try r.int("unitsReceived")
        unitsDamaged = try r.int("unitsDamaged")
        for pair in try r.array("minutes", of: MinuteCount.self) { minutes[pair.minute] = pair.count }
        latestReceiptAt = try r.decode("latestReceiptAt")
        recordedAt = try r.decode("recordedAt")
    }
}

/// Messages keyed `<supplier>@<site>`: publishes the day's scorecard each time one of its receipts
/// is reconciled or changes (once per batch when ``batched``), and the day a receipt left when its
/// first scan moved to another day.
public struct ScorecardStore: StageStore {
    /// Days kept, counted back from the latest day seen.
    static let daysKept = 100

    public var states: [String: ScorecardState] = [:]
    public var changed: Set<String> = []

    /// Whether a day's scorecard waits for ``settle()``, to be published once per batch with every
    /// receipt the batch changed counted, rather than once per receipt: the topic is compacted and
    /// its readers want a day's latest figures, not each step towards them.
    public var batched = false
    /// Day keys changed since the last ``settle()``.
    private var unsettled: Set<String> = []

    public init() {}

    /// Publishes each day's scorecard changed since the last call, in key order (``batched``).
    public mutating func settle() -> [StageOutput] {
        let keys = unsettled.sorted()
        unsettled = []
        return keys.compactMap { key in
            guard let totals = states[key]?.totals, totals.receipts > 0 else { return nil }
            return Self.publish(totals)
        }
    }

    static func publish(_ totals: DayTotals) -> StageOutput {
        .scorecard(StageRecords.scorecard(totals.scorecard, time: totals.latestReceiptAt, recordedAt: totals.recordedAt))
    }

    public mutating func apply(key: String, _ message: StageMessage) -> [StageOutput] {
        if case .withdrawal(let shipmentId, let day) = message {
            guard let old = states[Self.shipmentKey(key, day, shipmentId)]?.contribution else { return [] }
            return change(key, day: day, removing: old, adding: nil)
        }
        guard case .contribution(var contribution) = message else { return [] }
        let previousDay = contribution.previousDay
        contribution.previousDay = nil
        var outputs: [StageOutput] = []
        if let previousDay, previousDay != contribution.day,
            let old = states[Self.shipmentKey(key, previousDay, contribution.shipmentId)]?.contribution
        {
            outputs += change(key, day: previousDay, removing: old, adding: nil)
        }
        let old = states[Self.shipmentKey(key, contribution.day, contribution.shipmentId)]?.contribution
        guard old != contribution else { return outputs }
        return outputs + change(key, day: contribution.day, removing: old, adding: contribution)
    }

    /// Takes a receipt's old contribution out of its day and puts the new one in; the day's scorecard.
    mutating func change(_ key: String, day: CalendarDate, removing old: ScorecardContribution?, adding new: ScorecardContribution?)
        -> [StageOutput]
    {
        let dayKey = "\(key)/\(day)"
        guard var totals = states[dayKey]?.totals ?? (new ?? old).map(DayTotals.init) else { return [] }
        if let old { totals.add(old, -1) }
        if let new { totals.add(new, 1) }
        let shipmentKey = Self.shipmentKey(key, day, (new ?? old)!.shipmentId)
        states[shipmentKey] = new.map(ScorecardState.init(contribution:))
        states[dayKey] = totals.receipts > 0 ? ScorecardState(totals: totals) : nil
        changed.insert(shipmentKey)
        changed.insert(dayKey)
        guard totals.receipts > 0 else { return [] }
        guard !batched else {
            unsettled.insert(dayKey)
            return []
        }
        return [Self.publish(totals)]
    }

    /// Forgets days more than ``daysKept`` before the latest one.
    public mutating func advance(now: Timestamp?, endOfInput: Bool) -> [StageOutput] {
        guard let latest = states.values.lazy.map(\.day.daysSinceEpoch).max() else { return [] }
        for (key, state) in states where latest - state.day.daysSinceEpoch > Self.daysKept {
            states[key] = nil
            changed.insert(key)
        }
        return []
    }

    public var latestActivity: Timestamp? { nil }

    static func shipmentKey(_ key: String, _ day: CalendarDate, _ shipmentId: String) -> String { "\(key)/\(day)/\(shipmentId)" }
}

/// One `[minute, count]` pair of ``DayTotals/minutes``.
struct MinuteCount: JSONDecodable {
    var minute: Int
    var count: Int

    init(json: JSONValue, at pointer: JSONPointer) throws(JSONShapeError) {
        guard case .array(let pair) = json, pair.count == 2 else { throw JSONShapeError("expected [minute, count]", at: pointer) }
        minute = try Int(json: pair[0], at: pointer.appending("0"))
        count = try Int(json: pair[1], at: pointer.appending("1"))
    }
}
