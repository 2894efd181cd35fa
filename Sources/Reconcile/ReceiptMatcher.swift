public import MasterData
public import Model

/// What a site received of one shipment against what its supplier announced: a pure function of
/// the facts gathered (never of the order they came in), so that a replay, a restart or another
/// member of the group makes the same record.
public enum ReceiptMatcher {
    /// The shipment's reconciliation and what it adds to its supplier's scorecard.
    public static func reconcile(
        shipmentId: String, notices: [AnnouncedShipment], facts allFacts: [ReceiptFact], statuses: [StatusFact],
        tolerances: ReceivingTolerances, closeAfter: Duration, dropped: Int = 0
    ) -> (ReceiptReconciliation, ScorecardContribution?) {
        let notice = notices.max { AnnouncedShipment.supersedes($1, $0) }
        let announced = notice.flatMap { $0.purpose == .cancel ? nil : $0 }
        let facts = receiptWindow(allFacts.sorted { inOrder($0.time, $0.id, $1.time, $1.id) }, closeAfter: closeAfter)
        let receipts = facts.filter(\.isReceipt)
        let firstReceipt = receipts.first?.time
        // A site that receives by item against the shipment, scanning no unit, is reconciled by
        // lines alone: its units are neither matched nor missing.
        let byUnit = receipts.contains { $0.sscc != nil }
        let units = UnitMatching(announced: byUnit ? announced?.units ?? [] : [], facts: facts)
        var warnings: [Diagnostic] = []
        let lines = LineMatching.match(
            announced: announced?.lines ?? [], units: units, facts: facts, tolerances: tolerances, warnings: &warnings)

        var discrepancies = Set(lines.flatMap(\.discrepancies))
        if units.outcomes.contains(where: { $0.outcome == .unexpected }) { discrepancies.insert(.deliveredNotAdvised) }
        if units.outcomes.contains(where: { $0.outcome == .damaged }) { discrepancies.insert(.deliveredDamaged) }
        if units.outcomes.contains(where: { $0.outcome == .missing }) { discrepancies.insert(.shortShipped) }
        if announced == nil, !receipts.isEmpty { discrepancies.insert(.deliveredNotAdvised) }
        if let expected = announced?.expectedArrivalAt, let firstReceipt, expected < firstReceipt {
            discrepancies.insert(.deliveredLate)
        }
        var asnLate: Bool? = nil
        var asnLateMinutes: Int? = nil
        // Timely is when the first version came: a correction sent after the goods does not make
        // an announcement that was on time late.
        let announcedAt = notices.map(\.recordedAt).min()
        if let announcedAt, let firstReceipt {
            asnLate = firstReceipt < announcedAt
            asnLateMinutes = asnLate == true ? minutes(from: firstReceipt, to: announcedAt) : 0
        }
        if dropped > 0 {
            warnings.append(
                .warning(
                    .reconciliationTruncated, "scans of the shipment beyond the first \(ShipmentStore.maximumFacts) were not reconciled",
                    at: shipmentId))
        }
        // Nothing received is never complete: a notice of units without lines would otherwise be
        // complete by its (no) lines, and close before its goods came.
        let complete =
            !receipts.isEmpty
            && (announced.map { byUnit && units.allStocked && !$0.units.isEmpty || !byUnit && lines.allSatisfy(isFull) } ?? false)
        let site = announced?.site ?? notice?.site ?? facts.first?.site ?? ""
        let record = ReceiptReconciliation(
            receiptId: shipmentId, shipmentId: shipmentId, status: discrepancies.isEmpty ? .exact : .discrepant, site: site,
            supplier: notice?.supplier, asnNumber: notice?.asnNumber, orders: announced?.orders ?? [],
            asnRecordedAt: announcedAt, firstReceiptAt: firstReceipt, lastReceiptAt: receipts.last?.time, asnLate: asnLate,
            asnLateMinutes: asnLateMinutes, expectedArrivalAt: announced?.expectedArrivalAt, complete: complete,
            carrier: milestones(notice: announced ?? notice, statuses: statuses), handlingUnits: units.outcomes, lines: lines,
            discrepancies: ReceiptDiscrepancy.allCases.filter(discrepancies.contains),
            dockToStock: DockToStock(minutes: units.outcomes.compactMap(\.dockToStockMinutes)), warnings: warnings)
        return (record, contribution(record, facts: facts))
    }

    /// Scans of a unit after its receipt is long over (a move weeks later, a damage found in
    /// storage) are not part of the receipt: those later than the last receiving scan plus the
    /// closing period are left out.
    static func receiptWindow(_ facts: [ReceiptFact], closeAfter: Duration) -> [ReceiptFact] {
        guard let lastReceipt = facts.last(where: \.isReceipt)?.time else { return [] }
        let horizon = lastReceipt.adding(closeAfter)
        return facts.filter { !($0.time > horizon) }
    }

    static func isFull(_ line: ReconciledLine) -> Bool {
        guard let expected = line.expected else { return true }
        return !(line.received.value < expected.value)
    }

    static func minutes(from start: Timestamp, to end: Timestamp) -> Int {
        Int((end.epochSeconds - start.epochSeconds) / 60)
    }

    /// Tendered (else picked up), delivered and the latest status, from the carrier statuses
    /// that share a reference with the ship notice.
    static func milestones(notice: AnnouncedShipment?, statuses: [StatusFact]) -> CarrierMilestones? {
        guard notice?.scac != nil || !(notice?.trackingNumbers.isEmpty ?? true) || !statuses.isEmpty else { return nil }
        let sorted = statuses.sorted { inOrder($0.time, $0.id, $1.time, $1.id) }
        let tendered = sorted.first { $0.status == .tendered } ?? sorted.first { $0.status == .pickedUp }
        let numbers = Set((notice?.trackingNumbers ?? []) + sorted.compactMap(\.trackingNumber))
        return CarrierMilestones(
            scac: notice?.scac ?? sorted.lazy.compactMap(\.scac).first, trackingNumbers: numbers.sorted(),
            tenderedAt: tendered?.time, deliveredAt: sorted.last { $0.status == .delivered }?.time, lastStatus: sorted.last?.status)
    }

    static func contribution(_ record: ReceiptReconciliation, facts: [ReceiptFact]) -> ScorecardContribution? {
        guard let supplier = record.supplier, let shipmentId = record.shipmentId, let first = record.firstReceiptAt,
            let last = record.lastReceiptAt
        else { return nil }
        let units = record.handlingUnits
        let received = units.filter { $0.outcome != .missing }
        let unitsReceived = units.isEmpty ? record.lines.filter { !$0.received.value.isZero }.count : received.count
        let unitsDamaged = units.isEmpty ? record.lines.filter { $0.damaged != nil }.count : units.filter { $0.outcome == .damaged }.count
        return ScorecardContribution(
            shipmentId: shipmentId, supplier: supplier, site: record.site, day: first.localDate, exact: record.status == .exact,
            asnOnTime: record.asnLate == false, ssccMatched: units.filter { $0.outcome == .matched || $0.outcome == .damaged }.count,
            ssccTotal: units.count, unitsReceived: unitsReceived, unitsDamaged: unitsDamaged,
            dockToStockMinutes: units.compactMap(\.dockToStockMinutes).sorted(), lastReceiptAt: last,
            recordedAt: max(record.asnRecordedAt ?? facts[0].recordedAt, facts.map(\.recordedAt).max() ?? facts[0].recordedAt))
    }
}

/// Handling units by SSCC: announced against scanned, through the packing hierarchy (receiving
/// a pallet receives the cartons on it).
struct UnitMatching {
    var outcomes: [ReconciledUnit] = []
    /// Units received (themselves or through an ancestor), by SSCC.
    var received: Set<String> = []
    var damaged: Set<String> = []
    /// Units whose scans name their content (item and quantity): their content is what the scans say.
    var counted: Set<String> = []
    var allStocked = true

    init(announced: [AnnouncedUnit], facts: [ReceiptFact]) {
        let parents = Dictionary(announced.map { ($0.sscc, $0.parent) }, uniquingKeysWith: { first, _ in first })
        var children: [String: [String]] = [:]
        for unit in announced { if let parent = unit.parent { children[parent, default: []].append(unit.sscc) } }
        let byUnit = Dictionary(grouping: facts.filter { $0.sscc != nil }, by: { $0.sscc! })
        // Each unit's answers are made from its parent's, once: walking up from every unit costs
        // the depth of the tree per unit, and a receipt is reconciled again with each scan.
        var lineageFacts: [String: [ReceiptFact]] = [:]  // the unit's and its ancestors', in order
        /// The facts of `sscc` and every unit it is packed in, in event-time order.
        func factsOfLineage(_ sscc: String) -> [ReceiptFact] {
            if let known = lineageFacts[sscc] { return known }
            // Up to the first unit already known, the top, or a loop (a broken notice).
            var chain = [sscc]
            var seen: Set<String> = [sscc]
            while let parent = parents[chain.last!] ?? nil, lineageFacts[parent] == nil, seen.insert(parent).inserted {
                chain.append(parent)
            }
            if let parent = parents[chain.last!] ?? nil, lineageFacts[parent] == nil {
                // A loop of parent links: each unit of it is inside all the others, so its own
                // answer is the whole chain's, made without the memo.
                return chain.flatMap { byUnit[$0] ?? [] }.sorted { inOrder($0.time, $0.id, $1.time, $1.id) }
            }
            var above = (parents[chain.last!] ?? nil).flatMap { lineageFacts[$0] } ?? []
            for unit in chain.reversed() {
                let own = (byUnit[unit] ?? []).sorted { inOrder($0.time, $0.id, $1.time, $1.id) }
                above = own.isEmpty ? above : Self.merged(own, above)
                lineageFacts[unit] = above
            }
            return above
        }
        // Units with a receipt scan of their own or of a unit inside them (a pallet broken down at
        // the dock: its cartons were scanned), each marked once.
        var receivedWithin: Set<String> = []
        for (sscc, scans) in byUnit where scans.contains(where: \.isReceipt) {
            var current = parents[sscc] ?? nil
            while let unit = current, receivedWithin.insert(unit).inserted { current = parents[unit] ?? nil }
        }
        let announcedSet = Set(announced.map(\.sscc))
        var order = announced.map(\.sscc)
        order += byUnit.keys.filter { !announcedSet.contains($0) }.sorted()
        for sscc in order {
            let own = factsOfLineage(sscc)
            let receipt = own.first(where: \.isReceipt)
            let isDamaged = own.contains(where: \.isDamage)
            let stocked = receipt.flatMap { receipt in own.first { $0.isStocking && !($0.time < receipt.time) } }
            if byUnit[sscc]?.contains(where: { $0.isReceipt && $0.quantity != nil && $0.key != nil }) == true { counted.insert(sscc) }
            let outcome: HandlingUnitOutcome
            var brokenDown = false
            if !announcedSet.contains(sscc) {
                guard receipt != nil else { continue }  // a unit never received here is not this receipt's
                outcome = .unexpected
            } else if receipt != nil {
                outcome = isDamaged ? .damaged : .matched
            } else if receivedWithin.contains(sscc) {
                outcome = .matched  // broken down at the dock: its cartons were scanned
                brokenDown = true
            } else {
                outcome = .missing
            }
            if receipt != nil { received.insert(sscc) }
            if isDamaged, receipt != nil { damaged.insert(sscc) }
            // A unit broken down is stocked as its cartons are (each of them is looked at).
            if announcedSet.contains(sscc), stocked == nil, !brokenDown { allStocked = false }
            outcomes.append(
                ReconciledUnit(
                    sscc: sscc, parent: parents[sscc] ?? nil, outcome: outcome, receivedAt: receipt?.time, stockedAt: stocked?.time,
                    dockToStockMinutes: receipt.flatMap { r in stocked.map { ReceiptMatcher.minutes(from: r.time, to: $0.time) } },
                    receivedAtLocation: receipt?.location))
        }
        // The content of a unit packed in one counted item by item is in that count: marked from
        // each counted unit down through the units packed in it.
        var queue = Array(counted)
        while let unit = queue.popLast() {
            for child in children[unit] ?? [] where counted.insert(child).inserted { queue.append(child) }
        }
    }

    /// Two lists in event-time order, merged.
    static func merged(_ a: [ReceiptFact], _ b: [ReceiptFact]) -> [ReceiptFact] {
        var result: [ReceiptFact] = []
        result.reserveCapacity(a.count + b.count)
        var i = 0
        var j = 0
        while i < a.count, j < b.count {
            if inOrder(b[j].time, b[j].id, a[i].time, a[i].id) {
                result.append(b[j])
                j += 1
            } else {
                result.append(a[i])
                i += 1
            }
        }
        result += a[i...]
        result += b[j...]
        return result
    }
}

/// Lines by (item, lot) in base units: what the ship notice announced against what arrived. A
/// line packed in a unit that was received (and not counted item by item) received its announced
/// content, damaged when the unit was; item scans are pooled per item and lot and fill the lines
/// of that item in order, the last taking what is over (a scan without a lot fills the item's
/// lines that have one); what no line announced becomes a line of its own.
enum LineMatching {
    struct Tally {
        var received: ExactDecimal = .zero
        var damaged: ExactDecimal = .zero
        var uom: String
        var item: Item
    }

    static func match(
        announced: [AnnouncedLine], units: UnitMatching, facts: [ReceiptFact], tolerances: ReceivingTolerances,
        warnings: inout [Diagnostic]
    ) -> [ReconciledLine] {
        var received = announced.map { _ in ExactDecimal.zero }
        var damaged = announced.map { _ in ExactDecimal.zero }
        for (index, line) in announced.enumerated() {
            guard let sscc = line.sscc, units.received.contains(sscc), !units.counted.contains(sscc) else { continue }
            received[index] = line.quantity.value
            if units.damaged.contains(sscc) { damaged[index] = line.quantity.value }
        }
        var pooled: [ItemKey: Tally] = [:]
        var order: [ItemKey] = []
        func add(_ key: ItemKey, _ quantity: Quantity, item: Item, damage: Bool) {
            if pooled[key] == nil {
                pooled[key] = Tally(uom: quantity.uom, item: item)
                order.append(key)
            }
            guard pooled[key]!.uom == quantity.uom else {
                warnings.append(
                    .warning(
                        .uomNotConvertible,
                        "\(quantity) of \(key.item) cannot be added to \(pooled[key]!.uom): the item is not in master data", at: key.item))
                return
            }
            if damage {
                pooled[key]!.damaged = pooled[key]!.damaged.adding(quantity.value) ?? pooled[key]!.damaged
            } else {
                pooled[key]!.received = pooled[key]!.received.adding(quantity.value) ?? pooled[key]!.received
            }
        }
        for fact in facts where fact.isReceipt {
            guard let key = fact.key, let quantity = fact.quantity, let item = fact.item else { continue }
            // A unit's scans count its content only when they name it item by item.
            if let sscc = fact.sscc, !units.counted.contains(sscc) { continue }
            add(key, quantity, item: item, damage: false)
            if let sscc = fact.sscc, units.damaged.contains(sscc) { add(key, quantity, item: item, damage: true) }
        }
        // Damage found on item scans without a unit (a case broken at the dock).
        for fact in facts where fact.isDamage && fact.sscc == nil {
            guard let key = fact.key, let quantity = fact.quantity, let item = fact.item else { continue }
            add(key, quantity, item: item, damage: true)
        }

        // Each pool fills the lines of its item and lot, then (without a lot) those of its item.
        var claimed: Set<ItemKey> = []
        // Pools with a lot first; those without fill what room the item's lines have left.
        for key in order.filter({ $0.lot != nil }) + order.filter({ $0.lot == nil }) {
            var tally = pooled[key]!
            let lines = announced.indices.filter {
                announced[$0].key == key || key.lot == nil && announced[$0].key.item == key.item
            }
            let usable = lines.filter { announced[$0].quantity.uom == tally.uom }
            if usable.count < lines.count {
                warnings.append(
                    .warning(
                        .uomNotConvertible, "\(key.item) received in \(tally.uom), announced in another unit; the item is not in master data",
                        at: key.item))
            }
            guard !usable.isEmpty else { continue }
            claimed.insert(key)
            for (position, index) in usable.enumerated() {
                let isLast = position == usable.count - 1
                let room = max(.zero, announced[index].quantity.value.subtracting(received[index]) ?? .zero)
                let take = isLast ? tally.received : min(room, tally.received)
                received[index] = received[index].adding(take) ?? received[index]
                tally.received = tally.received.subtracting(take) ?? .zero
                let damageRoom = max(.zero, received[index].subtracting(damaged[index]) ?? .zero)
                let hurt = isLast ? tally.damaged : min(damageRoom, tally.damaged)
                damaged[index] = damaged[index].adding(hurt) ?? damaged[index]
                tally.damaged = tally.damaged.subtracting(hurt) ?? .zero
            }
        }
        var lines = announced.indices.map { index in
            let line = announced[index]
            return reconciled(
                lineId: line.lineId, poNumber: line.poNumber, poLine: line.poLine, item: line.item, expected: line.quantity,
                received: Quantity(received[index], line.quantity.uom), damaged: damaged[index], tolerances: tolerances)
        }
        for key in order where !claimed.contains(key) {
            let tally = pooled[key]!
            lines.append(
                reconciled(
                    lineId: nil, poNumber: nil, poLine: nil, item: tally.item, expected: nil, received: Quantity(tally.received, tally.uom),
                    damaged: tally.damaged, tolerances: tolerances))
        }
        return lines
    }

    static func reconciled(
        lineId: String?, poNumber: String?, poLine: String?, item: Item, expected: Quantity?, received: Quantity,
        damaged: ExactDecimal, tolerances: ReceivingTolerances
    ) -> ReconciledLine {
        var discrepancies: [ReceiptDiscrepancy] = []
        var variance: Quantity? = nil
        if let expected {
            let difference = received.value.subtracting(expected.value) ?? .zero
            variance = Quantity(difference, expected.uom)
            let hundred = ExactDecimal(100)
            let over = expected.value.multiplied(by: tolerances.overPercent)?.divided(by: hundred)?.value ?? .zero
            let under = expected.value.multiplied(by: tolerances.underPercent)?.divided(by: hundred)?.value ?? .zero
            if over < difference { discrepancies.append(.overShipped) }
            if under < difference.negated { discrepancies.append(.shortShipped) }
        } else {
            discrepancies.append(.deliveredNotAdvised)
        }
        if !damaged.isZero { discrepancies.append(.deliveredDamaged) }
        return ReconciledLine(
            lineId: lineId, poNumber: poNumber, poLine: poLine, item: item, expected: expected, received: received,
            damaged: damaged.isZero ? nil : Quantity(damaged, received.uom), variance: variance,
            discrepancies: discrepancies)
    }
}

/// Event-time order, then id: the same order whatever order the facts came in (two equal
/// instants written with different offsets compare by id).
func inOrder(_ a: Timestamp, _ aID: String, _ b: Timestamp, _ bID: String) -> Bool {
    if a.epochSeconds != b.epochSeconds { return a.epochSeconds < b.epochSeconds }
    if a.nanoseconds != b.nanoseconds { return a.nanoseconds < b.nanoseconds }
    return aID < bID
}

extension Timestamp {
    func adding(_ duration: Duration) -> Timestamp {
        Timestamp(epochSeconds: epochSeconds + duration.components.seconds, nanoseconds: nanoseconds, offsetMinutes: offsetMinutes)
    }
}
