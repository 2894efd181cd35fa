public import Model

/// A supplier's receipts at a site, by shipment: what each adds to the scorecard of its day.
public struct ScorecardState: Sendable, Hashable, JSONEncodable, JSONDecodable {
    public var contributions: [ScorecardContribution] = []

    public init() {}

    public func write(to w: inout JSONWriter) {
        w.beginObject()
        w.field("contributions", contributions, always: true)
        w.endObject()
    }

    public init(json: JSONValue, at pointer: JSONPointer) throws(JSONShapeError) {
        contributions = try JSONObjectReader(json, at: pointer).array("contributions")
    }
}

/// Keyed `<supplier>@<site>`: publishes the supplier's scorecard for a day each time a receipt of
/// that day is reconciled or changes (a receipt whose first scan moves to another day moves with it).
public struct ScorecardStore: StageStore {
    /// Days kept, counted back from the latest day seen.
    static let daysKept = 100

    public var states: [String: ScorecardState] = [:]
    public var changed: Set<String> = []

    public init() {}

    public mutating func apply(key: String, _ message: StageMessage) -> [StageOutput] {
        guard case .contribution(let contribution) = message else { return [] }
        var state = states[key] ?? ScorecardState()
        let previous = state.contributions.first { $0.shipmentId == contribution.shipmentId }
        guard previous != contribution else { return [] }
        state.contributions.removeAll { $0.shipmentId == contribution.shipmentId }
        state.contributions.append(contribution)
        state.contributions.sort { ($0.day, $0.shipmentId) < ($1.day, $1.shipmentId) }
        if let latest = state.contributions.last?.day {
            state.contributions.removeAll { latest.daysSinceEpoch - $0.day.daysSinceEpoch > Self.daysKept }
        }
        states[key] = state
        changed.insert(key)
        var days = [contribution.day]
        if let previous, previous.day != contribution.day { days.insert(previous.day, at: 0) }
        return days.compactMap { day in Self.scorecard(state.contributions.filter { $0.day == day }).map(StageOutput.scorecard) }
    }

    public mutating func advance(now: Timestamp?, endOfInput: Bool) -> [StageOutput] { [] }
    public var latestActivity: Timestamp? { nil }

    /// The day's scorecard from its receipts (nil when a late change left the day without any).
    static func scorecard(_ receipts: [ScorecardContribution]) -> CloudEvent<SupplierScorecard>? {
        guard let first = receipts.first else { return nil }
        let data = SupplierScorecard(
            supplier: first.supplier, site: first.site, day: first.day, receipts: receipts.count,
            asnOnTime: receipts.filter(\.asnOnTime).count, exactReceipts: receipts.filter(\.exact).count,
            ssccMatched: receipts.map(\.ssccMatched).reduce(0, +), ssccTotal: receipts.map(\.ssccTotal).reduce(0, +),
            unitsReceived: receipts.map(\.unitsReceived).reduce(0, +), unitsDamaged: receipts.map(\.unitsDamaged).reduce(0, +),
            dockToStock: DockToStock(minutes: receipts.flatMap(\.dockToStockMinutes)))
        let latest = receipts.map(\.lastReceiptAt).max { inOrder($0, "", $1, "") }!
        let recorded = receipts.map(\.recordedAt).max { inOrder($0, "", $1, "") }!
        return StageRecords.scorecard(data, time: latest, recordedAt: recorded)
    }
}
