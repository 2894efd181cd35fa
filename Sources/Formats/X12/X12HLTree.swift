import Model

/// The HL levels of an 856 as a tree: each HL owns the segments after it up to the next HL,
/// names its parent in HL02, and is looked up for a few of its members (its first LIN, SSCC mark,
/// PRF and TD1), all found in one pass over the set.
struct X12HLTree {
    /// HL03, the level's kind: `S` shipment, `O` order, `T` tare (pallet), `P` pack (carton),
    /// `I` item; others are kept but not read.
    enum Code {
        case shipment, order, tare, pack, item, other

        init(_ hl: X12Segment) {
            switch X12Segment.tagCode(hl.bytes(3)) {
            case X12Segment.tagCode("S"): self = .shipment
            case X12Segment.tagCode("O"): self = .order
            case X12Segment.tagCode("T"): self = .tare
            case X12Segment.tagCode("P"): self = .pack
            case X12Segment.tagCode("I"): self = .item
            default: self = .other
            }
        }
    }

    struct Level {
        var code: Code
        /// The HL and the segments after it, up to the next HL.
        var range: Range<Int>
        /// Indices of the first LIN, `MAN*GM` (the unit's SSCC), `MAN*GM` or `MAN*SM`, PRF and TD1
        /// among its members.
        var lin: Int?
        var grossMark: Int?
        var unitMark: Int?
        var prf: Int?
        var td1: Int?

        var isUnit: Bool { code == .tare || code == .pack }
    }

    let segments: [X12Segment]
    /// ST02, for locations.
    let set: String
    private(set) var levels: [Level] = []
    /// Each level's parent, by index; nil for a level without one (or whose HL02 names none
    /// before it). Filled by ``link(diagnostics:)``.
    private(set) var parents: [Int?] = []
    /// The end of the header: the segments before the first HL.
    private(set) var headerEnd: Int
    private(set) var hasBSN = false
    /// The first CTT.
    private(set) var ctt: Int?
    private(set) var itemLevels = 0
    // A carton's lines share its SSCC, an order's lines its number: each is made once per level.
    private var marks: [String?] = []
    private var orderNumbers: [String?] = []

    /// Splits the set into levels; a level that marks two SSCCs is a conflict.
    init(_ transactionSet: X12TransactionSet, diagnostics: inout [Diagnostic]) {
        segments = transactionSet.segments
        set = transactionSet.controlNumber
        headerEnd = segments.count
        for index in segments.indices.dropFirst() {
            let tag = segments[index].tagCode
            switch tag {
            case X12Segment.tagCode("HL"):
                if levels.isEmpty {
                    headerEnd = index
                } else {
                    levels[levels.count - 1].range = levels[levels.count - 1].range.lowerBound..<index
                }
                let code = Code(segments[index])
                if code == .item { itemLevels += 1 }
                levels.append(Level(code: code, range: index..<segments.count))
            case X12Segment.tagCode("BSN"):
                hasBSN = true
            case X12Segment.tagCode("CTT"):
                if ctt == nil { ctt = index }
            default:
                if !levels.isEmpty { note(member: index, tag: tag, diagnostics: &diagnostics) }
            }
        }
        marks = Array(repeating: nil, count: levels.count)
        orderNumbers = Array(repeating: nil, count: levels.count)
    }

    /// Records a member of the last level that the level is looked up for.
    private mutating func note(member index: Int, tag: UInt32, diagnostics: inout [Diagnostic]) {
        let last = levels.count - 1
        switch tag {
        case X12Segment.tagCode("LIN"):
            if levels[last].lin == nil { levels[last].lin = index }
        case X12Segment.tagCode("MAN"):
            let man = segments[index]
            // MAN*SM marks the unit with its SSCC when its value is one (else it is the shipper's
            // own mark, kept as a reference).
            let gross = man.element(1, is: "GM") || (man.element(1, is: "SM") && X12ShipNotice.isSSCC(man.trimmed(2)))
            if gross, let first = levels[last].grossMark, segments[first].trimmed(2) != man.trimmed(2) {
                // One unit, one SSCC: a second mark on the level would hide a unit.
                diagnostics.append(
                    .error(
                        .valueConflict, "the level marks two SSCCs, \(segments[first].trimmed(2)) and \(man.trimmed(2))",
                        at: man.location(set: set, element: 2)))
            }
            if gross, levels[last].grossMark == nil { levels[last].grossMark = index }
            if gross || man.element(1, is: "SM"), levels[last].unitMark == nil { levels[last].unitMark = index }
        case X12Segment.tagCode("PRF"):
            if levels[last].prf == nil { levels[last].prf = index }
        case X12Segment.tagCode("TD1"):
            if levels[last].td1 == nil { levels[last].td1 = index }
        default:
            break
        }
    }

    /// Finds each level's parent; a parent must come before its children. HL01 is most often the
    /// level's position (1, 2, 3, ...), and a parent is then found by its number; from the first
    /// level numbered otherwise on, by a dictionary of every id.
    mutating func link(diagnostics: inout [Diagnostic]) {
        var byID: [String: Int]? = nil  // nil while every HL01 so far is its position
        parents.reserveCapacity(levels.count)
        for index in levels.indices {
            let hl = segments[levels[index].range.lowerBound]
            if byID == nil, hl.plainNumber(1) != index + 1 {
                byID = Dictionary(uniqueKeysWithValues: levels.indices[..<index].map { (id($0), $0) })
            }
            if byID?.updateValue(index, forKey: id(index)) != nil {
                diagnostics.append(.error(.x12Syntax, "HL01 \(id(index)) is used twice", at: hl.place(set: set, element: 1).description))
            }
            guard hl.hasValue(2) else {
                parents.append(nil)
                continue
            }
            let found: Int?
            if let byID {
                found = parentID(index).flatMap { byID[$0] }
            } else {
                found = hl.plainNumber(2, trimmed: true).flatMap { $0 >= 1 && $0 <= index + 1 ? $0 - 1 : nil }
            }
            // A level naming itself, or one after it, has no parent to walk to.
            parents.append(found == index ? nil : found)
            if found == nil || found == index {
                diagnostics.append(
                    .error(
                        .x12Syntax, "HL \(id(index)) names parent \(parentID(index) ?? ""), which does not come before it",
                        at: hl.place(set: set, element: 2).description))
            }
        }
    }

    /// The level's HL segment.
    func hl(_ index: Int) -> X12Segment { segments[levels[index].range.lowerBound] }
    /// HL01, trimmed.
    func id(_ index: Int) -> String { hl(index)[1] }
    /// HL02, trimmed.
    func parentID(_ index: Int) -> String? { hl(index).value(2) }

    /// For every level, the nearest level above it that satisfies `test` (by index), found in one
    /// pass: a parent always comes before its children (``link(diagnostics:)``), so its answer is
    /// known first. Walking up from each level instead costs the depth of the tree per level, and
    /// a hostile notice nests tens of thousands of levels.
    func nearestAncestors(where test: (Int) -> Bool) -> [Int?] {
        var nearest = [Int?](repeating: nil, count: levels.count)
        for index in levels.indices {
            guard let parent = parents[index], parent < index else { continue }
            nearest[index] = test(parent) ? parent : nearest[parent]
        }
        return nearest
    }

    /// The SSCC of a level's first `MAN*GM`.
    mutating func grossMark(_ index: Int) -> String? {
        if let known = marks[index] { return known }
        marks[index] = levels[index].grossMark.flatMap { segments[$0].value(2) }
        return marks[index]
    }

    /// The PO number of a level's first PRF.
    mutating func orderNumber(_ index: Int) -> String? {
        if let known = orderNumbers[index] { return known }
        orderNumbers[index] = levels[index].prf.flatMap { segments[$0].value(1) }
        return orderNumbers[index]
    }

    /// The quantity of a level's last SN1.
    func quantity(of index: Int) -> (value: ExactDecimal, unit: String)? {
        guard let sn1 = levels[index].range.last(where: { segments[$0].tagCode == X12Segment.tagCode("SN1") }),
            let value = X12Number.decimal(segments[sn1].trimmed(2))
        else { return nil }
        return (value, segments[sn1].trimmed(3))
    }

    /// Whether a level has a LIN that names a product.
    func namesProduct(_ level: Level) -> Bool { level.lin.map { X12ItemLine.namesProduct(segments[$0]) } ?? false }

    /// The levels' codes and LINs, for a notice in which no item line was found; the first
    /// ``shapeCodesListed`` codes are named, the others counted.
    var shape: String {
        var counts: [String: Int] = [:]
        var codes: [String] = []  // in the order first seen
        for index in levels.indices {
            let code = hl(index)[3]
            counts[code, default: 0] += 1
            if counts[code] == 1 { codes.append(code) }
        }
        var shape = codes.prefix(Self.shapeCodesListed).map { "\($0.isEmpty ? "(no code)" : $0) ×\(counts[$0] ?? 0)" }
            .joined(separator: ", ")
        if codes.count > Self.shapeCodesListed { shape += " and \(codes.count - Self.shapeCodesListed) other codes" }
        let withLIN = levels.filter { $0.lin != nil }.count
        return "HL levels \(shape); \(withLIN == 0 ? "no LIN at any level" : "\(withLIN) LIN naming no product")"
    }

    /// Real notices use a handful of HL03 codes; a message naming thousands says so in a line.
    static let shapeCodesListed = 20
}
