public import Model

/// An item line of an 856 as where its data sit in the set's segments: the item level's LIN and
/// last SN1, and the members that say something about the line (PID with a description, REF*LT,
/// PRF), found in one pass when the set is read. Its fields are made when asked for, so mapping
/// the line into an event makes each string once, and nothing of the line is stored and freed.
///
/// What the fields are, as for every 856 line: the LIN's id (HL01 without one); product ids from
/// the LIN's qualifier and id pairs, but for `LT` (lot), `SN` (serial), `PO`/`ON` (order number);
/// SN1 quantity and unit; PID05 description; a REF*LT lot before the LIN's; serials from the LIN
/// and REF*SE; the order number of a PRF, the LIN's, or the order level's PRF (PRF02 is a
/// release number, not an order line); DTM*036 or *208 the expiry; the SSCC of the enclosing pack.
public struct X12ItemLine: ShipNoticeLine, Sendable {
    private let segments: [X12Segment]
    /// The set's control number, for locations.
    private let set: String
    /// Indices into `segments` of the LIN and of the level's last SN1: a line holds no copy of a
    /// segment, whose references every copy of the line would retain and release.
    private let lin: Int
    /// The LIN that names the product: `lin`, or for a lot level (a LIN with a lot and no product
    /// id, under an item: `HL*5*4*ZZ`, `LIN**LT*1-1356484`) the item's LIN above it.
    private let productLIN: Int
    private var sn1: Int?
    /// Indices into `segments`: the level's HL and members; the last PID with PID05, REF*LT with
    /// REF02, PRF with PRF01.
    private let members: Range<Int>
    private var pid: Int?
    private var lotReference: Int?
    private var orderNumberPRF: Int?
    /// The PO number of the order level's PRF.
    private let orderPO: String?
    /// The LIN's elements holding the last `LT` and `PO`/`ON` ids, and whether it has `SN` ids.
    private var linLot: Int?
    private var linOrder: Int?
    private var linSerials = false
    private var serialReferences = false
    public private(set) var expiry: SentTime?
    public let handlingUnit: String?

    /// Reads the line of the item level `members` (its HL first) whose LIN is `lin`; notes an
    /// expiry that is not a date and a line without a quantity in `diagnostics`.
    init(
        segments: [X12Segment], set: String, lin: Int, productLIN: Int? = nil, members: Range<Int>, orderPO: String?,
        packMark: String?, diagnostics: inout [Diagnostic]
    ) {
        self.segments = segments
        self.set = set
        self.lin = lin
        self.productLIN = productLIN ?? lin
        self.members = members
        self.orderPO = orderPO
        self.handlingUnit = packMark
        readLINPairs()
        readMembers(diagnostics: &diagnostics)
        checkAgreement(diagnostics: &diagnostics)
    }

    /// The LIN's lot, order and serial pairs.
    private mutating func readLINPairs() {
        let linSegment = segments[lin]
        var element = 2
        while element + 1 <= linSegment.count {
            if let qualifier = linSegment.code(element), linSegment.hasValue(element + 1) {
                switch Pair(qualifier) {
                case .lot: linLot = element + 1
                case .serial: linSerials = true
                case .order: linOrder = element + 1
                case .productID: break
                }
            }
            element += 2
        }
    }

    /// The level's SN1, PID, REF*LT and REF*SE, DTM expiry and PRF; a second LIN, SN1, lot or
    /// expiry that differs is a contradiction.
    private mutating func readMembers(diagnostics: inout [Diagnostic]) {
        for member in members {
            switch segments[member].tagCode {
            case X12Segment.tagCode("SN1"):
                // One quantity per item level: a second one that differs is a contradiction.
                if let first = sn1,
                    X12Number.decimal(segments[first].trimmed(2)) != X12Number.decimal(segments[member].trimmed(2))
                        || segments[first].trimmed(3) != segments[member].trimmed(3)
                {
                    diagnostics.append(
                        .error(
                            .valueConflict, "item level has two SN1 quantities, \(segments[first][2]) \(segments[first][3]) and \(segments[member][2]) \(segments[member][3])",
                            at: segments[member].location(set: set, element: 2)))
                }
                sn1 = sn1 ?? member
            case X12Segment.tagCode("LIN") where member != lin:
                diagnostics.append(
                    .error(.valueConflict, "item level has a second LIN: one item level names one item", at: segments[member].location(set: set)))
            case X12Segment.tagCode("PID"):
                if segments[member].hasValue(5) { pid = member }
            case X12Segment.tagCode("REF"):
                if segments[member].element(1, is: "LT") {
                    if segments[member].hasValue(2) {
                        if let earlier = lotReference, segments[earlier].trimmed(2) != segments[member].trimmed(2) {
                            diagnostics.append(
                                .error(
                                    .valueConflict, "item level names two lots, \(segments[earlier].trimmed(2)) and \(segments[member].trimmed(2))",
                                    at: segments[member].location(set: set, element: 2)))
                        }
                        lotReference = lotReference ?? member
                    }
                } else if segments[member].element(1, is: "SE"), segments[member].hasValue(2) {
                    serialReferences = true
                }
            // 036 expiration, 208 lot number expiration.
            case X12Segment.tagCode("DTM") where segments[member].element(1, is: "036") || segments[member].element(1, is: "208"):
                let segment = segments[member]
                let read = EDIDateTime.x12(date: segment[2], time: nil, code: nil, century: X12ShipNotice.century(segment))
                if let earlier = expiry, let read, !earlier.agrees(with: read) {
                    diagnostics.append(
                        .error(.valueConflict, "item level names a second expiry \(segment[2])", at: segment.location(set: set, element: 2)))
                }
                expiry = expiry ?? read
                if read == nil {
                    diagnostics.append(
                        .error(.x12Syntax, "DTM*\(segment[1]) expiry '\(segment[2])' is not a date", at: segment.location(set: set, element: 2)))
                }
            case X12Segment.tagCode("PRF"):
                if segments[member].hasValue(1) { orderNumberPRF = member }
                // PRF02 is the release number, not a line of the order: no PO line is read from it.
            default:
                break
            }
        }
    }

    /// A lot or an order number in the LIN and another in a REF*LT or PRF of the same item; a line
    /// without a quantity.
    private func checkAgreement(diagnostics: inout [Diagnostic]) {
        let linSegment = segments[lin]
        // A lot or an order number in the LIN and another in a REF*LT or PRF of the same item.
        if let lot = lotReference, let inLIN = linLot, segments[lot].trimmed(2) != linSegment.trimmed(inLIN) {
            diagnostics.append(
                .error(
                    .valueConflict, "the LIN names lot \(linSegment.trimmed(inLIN)), its REF*LT lot \(segments[lot].trimmed(2))",
                    at: segments[lot].location(set: set, element: 2)))
        }
        if let prf = orderNumberPRF, let inLIN = linOrder, segments[prf].trimmed(1) != linSegment.trimmed(inLIN) {
            diagnostics.append(
                .error(
                    .valueConflict, "the LIN names order \(linSegment.trimmed(inLIN)), its PRF order \(segments[prf].trimmed(1))",
                    at: segments[prf].location(set: set, element: 1)))
        }
        if sn1.map({ segments[$0].hasValue(2) }) != true {
            let lineId = linSegment.value(1) ?? segments[members.lowerBound][1]
            diagnostics.append(.error(.quantityInvalid, "item line \(lineId) has no SN1 quantity", at: linSegment.location(set: set)))
        }
    }

    /// LIN01, or the level's HL01 when the LIN has no id.
    public var lineId: String {
        segments.withUnsafeBufferPointer { $0[lin].value(1) ?? $0[members.lowerBound][1] }
    }

    /// What a LIN qualifier and id pair says, by the qualifier's packed code: the line's lot, one
    /// of its serials, its order number, or (any other qualifier) a product id.
    private enum Pair {
        case lot, serial, order, productID

        init(_ qualifier: UInt32) {
            switch qualifier {
            case X12Segment.tagCode("LT"): self = .lot
            case X12Segment.tagCode("SN"): self = .serial
            case X12Segment.tagCode("PO"), X12Segment.tagCode("ON"): self = .order
            default: self = .productID
            }
        }
    }
    public var location: InputLocation { place(of: lin, element: nil, known: "LIN") }
    /// The item level's MEA gross and net weights.
    public var weights: [StatedWeight] {
        members.compactMap { index in
            segments[index].tagCode == X12Segment.tagCode("MEA") ? StatedWeight.x12(segments[index], set: set) : nil
        }
    }
    public var productIDs: ProductIDs { ProductIDs(lin: segments[productLIN], set: set) }

    /// Whether a LIN names a product (a qualifier and id pair other than a lot, serial or order).
    static func namesProduct(_ lin: X12Segment) -> Bool {
        var element = 2
        while element + 1 <= lin.count {
            if let qualifier = lin.code(element), lin.hasValue(element + 1), Pair(qualifier) == .productID { return true }
            element += 2
        }
        return false
    }
    public var quantity: String? { sn1.flatMap { value(of: $0, 2) }.map(X12Number.text) }
    public var unit: String? { sn1.flatMap { value(of: $0, 3) } }
    public var quantityLocation: InputLocation { sn1.map { place(of: $0, element: 2, known: "SN1") } ?? location }
    public var unitLocation: InputLocation { sn1.map { place(of: $0, element: 3, known: "SN1") } ?? location }
    public var description: String? { pid.flatMap { value(of: $0, 5) } }
    public var lot: String? { lotReference.flatMap { value(of: $0, 2) } ?? linLot.flatMap { value(of: lin, $0) } }
    public var poNumber: String? {
        orderNumberPRF.flatMap { value(of: $0, 1) } ?? linOrder.flatMap { value(of: lin, $0) } ?? orderPO
    }
    /// An 856 names no PO line in a standard element (PRF02 is the release number).
    public var poLine: String? { nil }

    /// Element `element` of segment `index`, read where the segment is (a copy of a segment retains
    /// its storage and ranges).
    private func value(of index: Int, _ element: Int) -> String? {
        segments.withUnsafeBufferPointer { $0[index].value(element) }
    }

    private func place(of index: Int, element: Int?, known tag: String) -> InputLocation {
        segments.withUnsafeBufferPointer { $0[index].place(set: set, element: element, known: tag) }
    }

    public var serials: [String] {
        guard linSerials || serialReferences else { return [] }
        let lin = segments[lin]
        var serials: [String] = []
        var element = 2
        while element + 1 <= lin.count {
            if let qualifier = lin.code(element), Pair(qualifier) == .serial, let serial = lin.value(element + 1) {
                serials.append(serial)
            }
            element += 2
        }
        for member in members where segments[member].hasTag("REF") && segments[member].element(1, is: "SE") {
            if let serial = segments[member].value(2) { serials.append(serial) }
        }
        return serials
    }

    /// The LIN's product ids: its qualifier and id pairs with both, but for `LT`, `SN`, `PO`, `ON`.
    public struct ProductIDs: Sequence, IteratorProtocol, Sendable {
        let lin: X12Segment
        let set: String
        var element = 2

        init(lin: X12Segment, set: String) {
            self.lin = lin
            self.set = set
        }

        public mutating func next() -> ASNProductID? {
            while element + 1 <= lin.count {
                defer { element += 2 }
                guard let code = lin.code(element), Pair(code) == .productID, let value = lin.value(element + 1) else { continue }
                let location = lin.place(set: set, element: element + 1, known: "LIN")
                if let known = ASNProductID.known(code: code) {
                    return ASNProductID(qualifier: known.qualifier, kind: known.kind, value: value, location: location)
                }
                return ASNProductID(qualifier: lin.trimmed(element), value: value, location: location)
            }
            return nil
        }
    }
}
