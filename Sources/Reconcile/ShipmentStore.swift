public import MasterData
public import Model

/// One shipment's receipt as the shipment store keeps it.
public struct ShipmentState: Sendable, Hashable, JSONEncodable, JSONDecodable {
    public var notices: [AnnouncedShipment] = []
    public private(set) var facts: [ReceiptFact] = []
    public var statuses: [StatusFact] = []
    /// The receipt was closed (complete, or no scan for the closing period): from then on every
    /// change is published at once.
    public var closed = false
    /// The id of the reconciliation last published, so an unchanged one is not published again.
    public var published: Optional<String> = nil
    /// Scans beyond ``ShipmentStore/maximumFacts`` (counted, not kept).
    public var dropped = 0
    /// The day of the scorecard the shipment last counted for.
    public var scorecardDay: Optional<CalendarDate> = nil
    /// The ids of `facts` and whether one stocks a unit, to tell a re-delivered scan and what a
    /// scan can complete without a search of all (not in the changelog: made from `facts` when a
    /// state is read back).
    private(set) var factIDs: Set<String> = []
    private(set) var hasStocking = false

    /// Keeps a scan.
    mutating func add(_ fact: ReceiptFact) {
        facts.append(fact)
        factIDs.insert(fact.id)
        if fact.isStocking { hasStocking = true }
    }
    /// That scorecard's key, `<supplier>@<site>`.
    public var scorecardKey: Optional<String> = nil

    public init() {}

    /// The latest scan, in event time.
    var lastActivity: Timestamp? { facts.lazy.map(\.time).max() }

    public func write(to w: inout JSONWriter) {
        w.beginObject()
        w.field("notices", notices, always: true)
        w.field("facts", facts, always: true)
        w.field("statuses", statuses, always: true)
        w.key("closed")
        w.bool(closed)
        w.field("published", published)
        w.field("dropped", dropped)
        w.field("scorecardDay", scorecardDay)
        w.field("scorecardKey", scorecardKey)
        w.endObject()
    }

    public init(json: JSONValue, at pointer: JSONPointer) throws(JSONShapeError) {
        let r = try JSONObjectReader(json, at: pointer)
        notices = try r.array("notices")
        facts = try r.array("facts")
        statuses = try r.array("statuses")
        closed = try r.bool("closed")
        published = try r.optionalString("published")
        dropped = try r.int("dropped")
        scorecardDay = try r.optional("scorecardDay")
        factIDs = Set(facts.map(\.id))
        hasStocking = facts.contains(where: \.isStocking)
        scorecardKey = try r.optionalString("scorecardKey")
    }
}

/// Ship notices, the scans of their units and the carrier statuses that name them, by shipment id;
/// publishes a shipment's reconciliation when its receipt closes, and again when it changes.
public struct ShipmentStore: StageStore {
    /// Scans one shipment keeps (a 40-pallet trailer of cartons is a few thousand).
    public static let maximumFacts = 10_000
    static let maximumStatuses = 500

    public var states: [String: ShipmentState] = [:]
    public var changed: Set<String> = []
    /// Master data: a supplier's receiving tolerances (the service hands on updates).
    public var snapshot: MasterDataSnapshot
    public let settings: ReconcileSettings

    /// Whether a change that can complete or change a receipt waits for ``settle()`` rather than
    /// being reconciled at once: reconciling a receipt of thousands of units after each of its
    /// scans costs its size per scan. The service and `crossdock reconcile` settle once per batch
    /// of records.
    public var batched = false
    private var unsettled: Set<String> = []

    public init(snapshot: MasterDataSnapshot, settings: ReconcileSettings) {
        self.snapshot = snapshot
        self.settings = settings
    }

    public mutating func apply(key: String, _ message: StageMessage) -> [StageOutput] {
        var state = states[key] ?? ShipmentState()
        switch message {
        case .notice(let notice):
            guard !state.notices.contains(where: { $0.id == notice.id }) else { return [] }
            state.notices.append(notice)
            if state.notices.count > 10 {
                // The ten latest versions, and the first one (when the ship notice first came).
                let first = state.notices.min { inOrder($0.recordedAt, $0.id, $1.recordedAt, $1.id) }!
                state.notices.sort { AnnouncedShipment.supersedes($0, $1) }
                state.notices = Array(state.notices.prefix(9)) + (state.notices.prefix(9).contains(first) ? [state.notices[9]] : [first])
            }
        case .fact(let fact):
            guard !state.factIDs.contains(fact.id) else { return [] }
            if state.facts.count >= Self.maximumFacts {
                state.dropped = 1  // a flag: a re-delivered scan must not change the record
            } else {
                state.add(fact)
            }
        case .status(let status):
            guard !state.statuses.contains(where: { $0.id == status.id }), state.statuses.count < Self.maximumStatuses else { return [] }
            state.statuses.append(status)
        case .announce, .contribution, .withdrawal:
            return []
        }
        changed.insert(key)
        // An open receipt is reconciled only when the change can complete it: a notice, a unit
        // stocked, an item received without a unit (a receipt by lines), or a unit received
        // after a stocking scan came (scans of one unit from two gateways, or two partitions of
        // one, arrive in any order). A large receipt is otherwise reconciled once per scan.
        let canComplete: Bool
        switch message {
        case .fact(let fact):
            canComplete = fact.isStocking || fact.isReceipt && (fact.sscc == nil || state.hasStocking)
        // A notice can complete only what was received (nothing received is never complete).
        case .notice: canComplete = state.facts.contains(where: \.isReceipt)
        default: canComplete = false
        }
        states[key] = state
        guard state.closed || canComplete else { return [] }
        guard !batched else {
            unsettled.insert(key)
            return []
        }
        return settle(key)
    }

    /// Reconciles each receipt changed since the last call, in key order (``batched``).
    public mutating func settle() -> [StageOutput] {
        let keys = unsettled.sorted()
        unsettled = []
        return keys.flatMap { settle($0) }
    }

    /// Reconciles a receipt: closed when it is complete, published when closed.
    mutating func settle(_ key: String) -> [StageOutput] {
        // Taken out while it changes: a copy still in the dictionary would make its scans copied.
        guard var state = states.removeValue(forKey: key) else { return [] }
        var outputs: [StageOutput] = []
        let (record, contribution) = reconcile(key, state)
        if !state.closed, record.complete { state.closed = true }
        if state.closed { outputs = publish(record, contribution, state: &state) }
        states[key] = state
        changed.insert(key)
        return outputs
    }

    public mutating func advance(now: Timestamp?, endOfInput: Bool) -> [StageOutput] {
        guard let now else { return endOfInput ? closeAll() : [] }
        var outputs: [StageOutput] = []
        // Expired keys are forgotten at once; only those that close are sorted (outputs in a stable order).
        var due: [String] = []
        for (key, state) in states {
            let last = state.lastActivity ?? (state.notices.map(\.recordedAt) + state.statuses.map(\.time)).max()
            if let last, last.adding(settings.retention) < now {
                states[key] = nil  // forgotten: its receipt long over, its record published
                changed.insert(key)
            } else if !state.closed, let activity = state.lastActivity,
                endOfInput || !(now < activity.adding(settings.closeAfter))
            {
                due.append(key)
            }
        }
        for key in due.sorted() {
            var state = states[key]!
            state.closed = true
            let (record, contribution) = reconcile(key, state)
            outputs += publish(record, contribution, state: &state)
            states[key] = state
            changed.insert(key)
        }
        return outputs
    }

    mutating func closeAll() -> [StageOutput] {
        var outputs: [StageOutput] = []
        for key in states.keys.sorted() where !(states[key]!.closed) && !states[key]!.facts.isEmpty {
            var state = states[key]!
            state.closed = true
            let (record, contribution) = reconcile(key, state)
            outputs += publish(record, contribution, state: &state)
            states[key] = state
            changed.insert(key)
        }
        return outputs
    }

    public var latestActivity: Timestamp? { states.values.compactMap(\.lastActivity).max() }

    func reconcile(_ key: String, _ state: ShipmentState) -> (ReceiptReconciliation, ScorecardContribution?) {
        let supplier = state.notices.first.flatMap { snapshot.partner(id: $0.supplier) }
        return ReceiptMatcher.reconcile(
            shipmentId: key, notices: state.notices, facts: state.facts, statuses: state.statuses,
            tolerances: supplier?.tolerances ?? ReceivingTolerances(), closeAfter: settings.closeAfter, dropped: state.dropped)
    }

    /// The record and its scorecard contribution, unless the same record was published last.
    func publish(_ record: ReceiptReconciliation, _ contribution: ScorecardContribution?, state: inout ShipmentState) -> [StageOutput] {
        // Nothing received, nothing to reconcile (a damage scan of a receipt long forgotten).
        guard let lastReceipt = record.lastReceiptAt else { return [] }
        let horizon = lastReceipt.adding(settings.closeAfter)
        let window = state.facts.filter { !(horizon < $0.time) }.map(\.recordedAt)
        let recordedAt = (window + state.notices.map(\.recordedAt) + state.statuses.map(\.recordedAt)).max()!
        let event = StageRecords.reconciliation(record, recordedAt: recordedAt)
        guard event.id != state.published else { return [] }
        state.published = event.id
        var outputs = [StageOutput.reconciliation(event)]
        let key = contribution.map { "\($0.supplier)@\($0.site)" }
        // A replacement notice that names another site (or supplier) moves the receipt to that
        // key's scorecard: the one it counted for takes it out.
        if let oldKey = state.scorecardKey, oldKey != key, let day = state.scorecardDay, let shipmentId = record.shipmentId {
            outputs.append(.forward(.bySupplier, key: oldKey, .withdrawal(shipmentId: shipmentId, day: day)))
            state.scorecardDay = nil
            state.scorecardKey = nil
        }
        if var contribution, let key {
            if let day = state.scorecardDay, day != contribution.day { contribution.previousDay = day }
            state.scorecardDay = contribution.day
            state.scorecardKey = key
            outputs.append(.forward(.bySupplier, key: key, .contribution(contribution)))
        }
        return outputs
    }
}
