public import Model

/// Reads an X12 856 transaction set into an ``ASNDocument``: every HL structure (S-O-P-I,
/// S-O-T-P-I, S-O-I, S-P-I, pick and pack), found by walking the HL parent links rather than
/// assuming an order.
public enum X12ShipNotice {
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

    public static func read(_ set: X12TransactionSet) -> ASNDocument {
        var (document, lines) = readLines(set)
        document.lines = lines.map(ASNLine.init)
        return document
    }

    /// The same with the item lines left as views of the set's segments (``X12ItemLine``), for
    /// mapping them straight into an event; `document.lines` is empty.
    public static func readLines(_ set: X12TransactionSet) -> (document: ASNDocument, lines: [X12ItemLine]) {
        var document = ASNDocument(
            format: "x12-856", unitCodeList: "x12", documentID: set.documentID, location: "ST \(set.controlNumber)")
        document.senderIdentifiers = set.senderIdentifiers
        document.groupSenderIdentifiers = set.groupSenderIdentifiers
        document.diagnostics = set.diagnostics
        let st = set.controlNumber
        func at(_ segment: X12Segment, _ element: Int? = nil) -> InputLocation { segment.place(set: st, element: element) }
        let segments = set.segments

        // Split the set into HL levels: each HL owns the segments up to the next HL. What the
        // levels are looked up for (their first LIN, MAN, PRF, TD1) is found in the same pass.
        struct Level {
            var code: Code
            /// The HL and the segments after it, up to the next HL.
            var range: Range<Int>
            /// Indices of the first LIN, `MAN*GM` (the unit's SSCC), `MAN*GM` or `MAN*SM`, PRF and
            /// TD1 among its members.
            var lin: Int?
            var grossMark: Int?
            var unitMark: Int?
            var prf: Int?
            var td1: Int?
        }
        var levels: [Level] = []
        var headerEnd = segments.count
        var hasBSN = false
        var ctt: Int? = nil
        var itemLevels = 0
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
                continue
            case X12Segment.tagCode("BSN"):
                hasBSN = true
                continue
            case X12Segment.tagCode("CTT"):
                if ctt == nil { ctt = index }
                continue
            default:
                guard !levels.isEmpty else { continue }
            }
            let last = levels.count - 1
            switch tag {
            case X12Segment.tagCode("LIN"):
                if levels[last].lin == nil { levels[last].lin = index }
            case X12Segment.tagCode("MAN"):
                // MAN*SM marks the unit with its SSCC when its value is one (else it is the shipper's
                // own mark, kept as a reference).
                let gross = segments[index].element(1, is: "GM")
                    || (segments[index].element(1, is: "SM") && Self.isSSCC(segments[index].trimmed(2)))
                if gross, let first = levels[last].grossMark, segments[first].trimmed(2) != segments[index].trimmed(2) {
                    // One unit, one SSCC: a second mark on the level would hide a unit.
                    document.diagnostics.append(
                        .error(
                            .valueConflict, "the level marks two SSCCs, \(segments[first].trimmed(2)) and \(segments[index].trimmed(2))",
                            at: segments[index].location(set: st, element: 2)))
                }
                if gross, levels[last].grossMark == nil { levels[last].grossMark = index }
                if gross || segments[index].element(1, is: "SM"), levels[last].unitMark == nil { levels[last].unitMark = index }
            case X12Segment.tagCode("PRF"):
                if levels[last].prf == nil { levels[last].prf = index }
            case X12Segment.tagCode("TD1"):
                if levels[last].td1 == nil { levels[last].td1 = index }
            default:
                break
            }
        }
        if !hasBSN {
            document.diagnostics.append(.error(.x12Syntax, "the 856 has no BSN segment", at: "ST \(st)"))
        }
        guard !levels.isEmpty else {
            // What the header says is still read, so the rejection names the notice.
            for segment in segments[1...] where Self.isMember(segment) { readShipmentSegment(segment, into: &document, set: st) }
            document.diagnostics.append(.error(.x12Syntax, "the 856 has no HL levels", at: "ST \(st)"))
            document.structure = "no HL levels"
            return (document, [])
        }
        // Each level's parent, by index; a parent must come before its children. HL01 is most often
        // the level's position (1, 2, 3, ...), and a parent is then found by its number; from the
        // first level numbered otherwise on, by a dictionary of every id.
        /// HL01 and HL02 (trimmed) of a level.
        func id(_ level: Level) -> String { segments[level.range.lowerBound][1] }
        func parent(_ level: Level) -> String? { segments[level.range.lowerBound].value(2) }
        var byID: [String: Int]? = nil  // nil while every HL01 so far is its position
        var parents: [Int?] = []
        parents.reserveCapacity(levels.count)
        for index in levels.indices {
            let hl = levels[index].range.lowerBound
            if byID == nil, segments[hl].plainNumber(1) != index + 1 {
                byID = Dictionary(uniqueKeysWithValues: levels[..<index].enumerated().map { (id($0.element), $0.offset) })
            }
            if byID?.updateValue(index, forKey: id(levels[index])) != nil {
                document.diagnostics.append(.error(.x12Syntax, "HL01 \(id(levels[index])) is used twice", at: at(segments[hl], 1).description))
            }
            guard segments[hl].hasValue(2) else {
                parents.append(nil)
                continue
            }
            let found: Int?
            if let byID {
                found = parent(levels[index]).flatMap { byID[$0] }
            } else {
                found = segments[hl].plainNumber(2, trimmed: true).flatMap { $0 >= 1 && $0 <= index + 1 ? $0 - 1 : nil }
            }
            // A level naming itself, or one after it, has no parent to walk to.
            parents.append(found == index ? nil : found)
            if found == nil || found == index {
                document.diagnostics.append(
                    .error(
                        .x12Syntax, "HL \(id(levels[index])) names parent \(parent(levels[index]) ?? ""), which does not come before it",
                        at: at(segments[hl], 2).description))
            }
        }
        /// The nearest level above `index` that satisfies `test` (a loop of parent links ends the walk).
        func ancestor(of index: Int, where test: (Level) -> Bool) -> Int? {
            var current = parents[index]
            var steps = 0
            while let found = current, steps < levels.count {
                if test(levels[found]) { return found }
                current = parents[found]
                steps += 1
            }
            return nil
        }
        /// The SSCC of a level's first `MAN*GM`, and the PO number of its first PRF, each made once
        /// per level (a carton's lines share its SSCC, an order's lines its number).
        func once(_ made: inout [String?], _ index: Int, _ make: () -> String?) -> String? {
            if let known = made[index] { return known }
            made[index] = make()
            return made[index]
        }
        var marks = [String?](repeating: nil, count: levels.count)
        func grossMark(_ index: Int) -> String? { once(&marks, index) { levels[index].grossMark.flatMap { segments[$0].value(2) } } }
        var orderNumbers = [String?](repeating: nil, count: levels.count)
        func orderNumber(_ index: Int) -> String? { once(&orderNumbers, index) { levels[index].prf.flatMap { segments[$0].value(1) } } }

        // One 856 is one shipment: a second shipment level would merge two shipments into one notice.
        let shipmentLevels = levels.filter { $0.code == .shipment }
        if shipmentLevels.count > 1 {
            document.diagnostics.append(
                .error(
                    .x12Syntax, "the 856 has \(shipmentLevels.count) shipment levels (HL S): one 856 is one shipment",
                    at: at(segments[shipmentLevels[1].range.lowerBound]).description))
        }
        // Header and shipment-level segments.
        let shipmentRanges = [1..<headerEnd] + levels.filter { $0.code == .shipment }.map(\.range)
        for range in shipmentRanges {
            for index in range {
                let segment = segments[index]
                guard Self.isMember(segment) else { continue }
                readShipmentSegment(segment, into: &document, set: st)
            }
        }

        // Orders, handling units and items.
        var units: [String: ASNHandlingUnit] = [:]
        units.reserveCapacity(levels.count - itemLevels)
        var unitOrder: [String] = []
        /// The order level each unit was first named under.
        var unitOrders: [String: Int?] = [:]
        var lines: [X12ItemLine] = []
        lines.reserveCapacity(itemLevels)
        for (index, level) in levels.enumerated() {
            switch level.code {
            case .order:
                for member in level.range {
                    let segment = segments[member]
                    guard Self.isMember(segment) else { continue }
                    if segment.hasTag("PRF"), let po = segment.value(1), !document.orders.contains(po) { document.orders.append(po) }
                    // An order's references (its invoice, department, vendor order number) are
                    // kept with the shipment's, each once.
                    if segment.hasTag("REF"), let qualifier = segment.value(1), let value = segment.value(2) {
                        let reference = Reference(qualifier: qualifier, value: value)
                        if !document.references.contains(reference) { document.references.append(reference) }
                    }
                    // Some suppliers name the ship-to per order rather than per shipment; an order's
                    // ship-to that differs from the shipment's contradicts it.
                    if segment.hasTag("N1"), segment[1] == "ST", let earlier = document.party("ST"), let earlierID = earlier.identifier,
                        let orderShipTo = segment.value(4), earlierID != orderShipTo || earlier.qualifier != segment.value(3)
                    {
                        document.diagnostics.append(
                            .error(
                                .valueConflict, "order HL \(id(level)) ships to \(orderShipTo), the notice to \(earlierID)",
                                at: at(segment, 4).description))
                    }
                    if segment.hasTag("N1"), segment.value(4) != nil, let earlier = document.parties.firstIndex(where: { $0.role == segment[1] }),
                        document.parties[earlier].identifier == nil
                    {
                        document.parties.remove(at: earlier)  // a name only, made precise by the order's id
                    }
                    if segment.hasTag("N1"), document.party(segment[1]) == nil {
                        document.parties.append(
                            ASNParty(
                                role: segment[1], name: segment.value(2), qualifier: segment.value(3),
                                identifier: segment.value(4), location: at(segment)))
                    }
                }
            case .tare, .pack:
                guard let mark = level.unitMark, case let man = segments[mark], let sscc = man.value(2) else { continue }
                // MAN*SM is the shipper's own mark: the unit's SSCC only when it is one; otherwise
                // (a parcel tracking number, say) it is kept as a reference, and no unit is made up.
                if man.element(1, is: "SM"), !Self.isSSCC(sscc) {
                    let reference = Reference(qualifier: "SM", value: sscc)
                    if !document.references.contains(reference) { document.references.append(reference) }
                    continue
                }
                let parent = ancestor(of: index) { $0.code == .tare || $0.code == .pack }.flatMap { grossMark($0) }
                // Only a TD1 says how a unit is packed; the level's code (tare or pack) does not.
                let packaging = level.td1.flatMap { segments[$0].value(1) }
                let order = ancestor(of: index) { $0.code == .order }
                if let earlier = units[sscc] {
                    // The same unit named again under another order (a mixed pallet repeated under
                    // each of its orders) is the same fact; twice in one order, or in another place
                    // or packing, it is a second unit.
                    if unitOrders[sscc] == order || earlier.parent != parent || (packaging != nil && earlier.packaging != packaging) {
                        document.diagnostics.append(
                            .error(.valueConflict, "SSCC \(sscc) marks two different handling units (HL \(id(level)) and an earlier one)", at: at(man, 2).description))
                    }
                    continue
                }
                unitOrder.append(sscc)
                unitOrders[sscc] = order
                let weight = level.range.lazy.compactMap { index in
                    segments[index].tagCode == X12Segment.tagCode("MEA") ? StatedWeight.x12(segments[index], set: st) : nil
                }.first { $0.kind == .gross }
                units[sscc] = ASNHandlingUnit(sscc: sscc, packaging: packaging, parent: parent, grossWeight: weight, location: at(man, 2))
                for member in level.range {
                    let segment = segments[member]
                    if segment.hasTag("MAN"), segment.element(1, is: "CP"), let tracking = segment.value(2) {
                        document.trackingNumbers.append(tracking)
                    }
                }
            case .item:
                // An item level without a LIN names nothing; a LIN at any other level is read below.
                if level.lin == nil {
                    document.diagnostics.append(
                        .error(.x12Syntax, "item level HL \(id(level)) has no LIN", at: at(segments[level.range.lowerBound]).description))
                }
            default:
                break
            }
        }
        // Item lines: every level with a LIN that names a product, whatever its code (items at the
        // pack level, `I`, or a partner's own code); a LIN with a lot and no product under one
        // (`HL*5*4*ZZ`, `LIN**LT*...`) is that item's lot, and its quantity replaces the item's.
        let namesProduct = levels.map { level in level.lin.map { X12ItemLine.namesProduct(segments[$0]) } ?? false }
        var lotsOf = [Int](repeating: 0, count: levels.count)
        var itemOf = [Int?](repeating: nil, count: levels.count)
        for index in levels.indices where levels[index].lin != nil && !namesProduct[index] {
            if let item = ancestor(of: index, where: { $0.lin.map { X12ItemLine.namesProduct(segments[$0]) } ?? false }) {
                itemOf[index] = item
                lotsOf[item] += 1
            }
        }
        // An item's own quantity and its lots' must agree: the lots replace it, and a difference
        // would change the quantity shipped without a word.
        func quantity(of level: Level) -> (value: ExactDecimal, unit: String)? {
            guard let sn1 = level.range.last(where: { segments[$0].tagCode == X12Segment.tagCode("SN1") }),
                let value = X12Number.decimal(segments[sn1].trimmed(2))
            else { return nil }
            return (value, segments[sn1].trimmed(3))
        }
        for item in levels.indices where lotsOf[item] > 0 {
            guard let total = quantity(of: levels[item]) else { continue }
            let lots = levels.indices.filter { itemOf[$0] == item }.compactMap { quantity(of: levels[$0]) }
            guard lots.count == lotsOf[item], lots.allSatisfy({ $0.unit == total.unit }) else { continue }
            let sum = lots.reduce(ExactDecimal.zero) { $0.adding($1.value) ?? $0 }
            if sum != total.value {
                document.diagnostics.append(
                    .error(
                        .valueConflict, "item HL \(id(levels[item])) ships \(total.value) \(total.unit), its lots add up to \(sum)",
                        at: at(segments[levels[item].range.lowerBound]).description))
            }
        }
        for (index, level) in levels.enumerated() {
            guard let linIndex = level.lin, level.code != .shipment, level.code != .order else { continue }
            let product: Int
            if namesProduct[index] {
                guard lotsOf[index] == 0 else { continue }  // its lots are its lines
                product = linIndex
            } else if let item = itemOf[index], let itemLIN = levels[item].lin {
                product = itemLIN
            } else if level.code == .item {
                product = linIndex  // an item level whose LIN names no product: the adapter says so
            } else {
                continue
            }
            // The enclosing pack and order, wherever they sit in the tree.
            var packMark: String? = nil
            if let pack = (level.grossMark != nil && level.code != .item ? index : nil)
                ?? ancestor(of: index, where: { ($0.code == .pack || $0.code == .tare) && $0.grossMark != nil })
            {
                packMark = grossMark(pack)
            }
            let orderPO = ancestor(of: index, where: { $0.code == .order }).flatMap { orderNumber($0) }
            lines.append(
                X12ItemLine(
                    segments: segments, set: st, lin: linIndex, productLIN: product, members: level.range, orderPO: orderPO,
                    packMark: packMark, diagnostics: &document.diagnostics))
        }
        if lines.isEmpty {
            var counts: [(String, Int)] = []
            for level in levels {
                let code = segments[level.range.lowerBound][3]
                if let at = counts.firstIndex(where: { $0.0 == code }) { counts[at].1 += 1 } else { counts.append((code, 1)) }
            }
            let shape = counts.map { "\($0.0.isEmpty ? "(no code)" : $0.0) ×\($0.1)" }.joined(separator: ", ")
            let withLIN = levels.filter { $0.lin != nil }.count
            document.structure = "HL levels \(shape); \(withLIN == 0 ? "no LIN at any level" : "\(withLIN) LIN naming no product")"
        }
        document.handlingUnits = unitOrder.compactMap { units[$0] }
        // Without order levels naming a PO, the orders are those the lines name.
        if document.orders.isEmpty {
            let numbers = lines.compactMap(\.poNumber)
            if !numbers.isEmpty { document.orders = Array(Set(numbers)).sorted() }
        }

        // CTT01 (number of line items, commonly the HL count) and CTT02 (hash of quantities).
        if let ctt = ctt.map({ segments[$0] }) {
            if let declared = ctt.value(1).flatMap(Int.init), declared != levels.count, declared != lines.count {
                document.diagnostics.append(
                    .warning(
                        .hashTotal,
                        "CTT01 says \(declared), the 856 has \(levels.count) HL levels and \(lines.count) item lines",
                        at: at(ctt, 1).description))
            }
            if let hash = ctt.value(2), let declared = ExactDecimal(hash) {
                let sum = lines.compactMap { $0.quantity.flatMap(ExactDecimal.init) }.reduce(ExactDecimal.zero) {
                    $0.adding($1) ?? $0
                }
                if sum != declared {
                    document.diagnostics.append(
                        .warning(.hashTotal, "CTT02 hash total is \(declared), the SN1 quantities add up to \(sum)", at: at(ctt, 2).description))
                }
            }
        }
        return (document, lines)
    }

    /// 18 digits (or 20 with the AI `00`) whose last is their GS1 check digit.
    static func isSSCC(_ text: String) -> Bool {
        var digits = Substring(text)
        if digits.utf8.count == 20, digits.hasPrefix("00") { digits = digits.dropFirst(2) }
        guard digits.utf8.count == 18, let last = digits.utf8.last, let expected = GS1CheckDigit.compute(for: digits.utf8.dropLast())
        else { return false }
        return last == UInt8(ascii: "0") + expected
    }

    /// Trailer segments (CTT, SE) belong to no level.
    static func isMember(_ segment: X12Segment) -> Bool { !segment.hasTag("CTT") && !segment.hasTag("SE") }

    /// A header or shipment-level segment (BSN, TD1, TD5, REF, DTM, N1) of set `st`.
    static func readShipmentSegment(_ segment: X12Segment, into document: inout ASNDocument, set st: String) {
        switch segment.tagCode {
        case X12Segment.tagCode("BSN"):
            // One BSN per 856: a second one would silently rename the notice.
            guard document.asnNumber == nil, document.purposeCode == nil else {
                document.diagnostics.append(.error(.x12Syntax, "the 856 has a second BSN", at: segment.place(set: st).description))
                break
            }
            document.purposeCode = segment.value(1)
            switch segment[1] {
            case "00", "06", "07", "14": document.purpose = .original
            case "05", "04": document.purpose = .replace
            case "01", "03": document.purpose = .cancel
            default:
                document.diagnostics.append(
                    .error(.codeUnmapped, "BSN01 purpose '\(segment[1])' is not 00, 05 or 01", at: segment.place(set: st, element: 1).description))
            }
            document.asnNumber = segment.value(2)
            // BSN03 (mandatory) and BSN04: the notice's date and time. One that cannot be read is
            // an error, not an absent date.
            document.documentDate = EDIDateTime.x12(date: segment[3], time: segment.value(4), code: nil)
            if document.documentDate == nil {
                // The date read alone tells which of the two elements is wrong.
                let wrongElement = EDIDateTime.x12(date: segment[3], time: nil, code: nil) == nil ? 3 : 4
                document.diagnostics.append(
                    segment[3].isEmpty
                        ? .error(.x12Syntax, "BSN03, the notice's date, is missing", at: segment.place(set: st, element: 3).description)
                        : .error(
                            .dateInvalid, "BSN03/BSN04 '\(segment[3])' '\(segment[4])' is not a date CCYYMMDD and a time HHMM[SS[d[d]]]",
                            at: segment.place(set: st, element: wrongElement).description))
            }
        case X12Segment.tagCode("TD1"):
            if let count = segment.value(2) {
                if let units = Int(count), units > 0 {
                    // Several TD1s count different packagings (cartons and the pallets they are on):
                    // no one total can be told from them.
                    if let earlier = document.handlingUnitCount, earlier != units || document.handlingUnitCountTD1 != segment[1] {
                        document.diagnostics.append(
                            .warning(
                                .fieldNotUsed, "TD1s count \(earlier) and \(units) \(segment[1]): no total number of handling units is taken from them",
                                at: segment.place(set: st, element: 2).description))
                        document.handlingUnitCount = nil
                        document.handlingUnitCountsDisagree = true
                    } else if !document.handlingUnitCountsDisagree {
                        document.handlingUnitCountTD1 = segment[1]
                        document.handlingUnitCount = units
                    }
                } else {
                    document.diagnostics.append(
                        .warning(.fieldNotUsed, "TD102 lading quantity '\(count)' is not a whole number of units above zero: not used", at: segment.place(set: st, element: 2).description))
                }
            }
            if let weight = segment.value(7) {
                if let value = X12Number.decimal(weight), value.isNegative || value.isZero {
                    document.diagnostics.append(
                        .warning(.fieldNotUsed, "TD107 weight \(weight) is not above zero: not used", at: segment.place(set: st, element: 7).description))
                } else if let value = X12Number.decimal(weight), let unit = segment.value(8) {
                    // TD106 says which weight it is: G gross, N actual net; another qualifier (or
                    // none) is neither, and is not passed off as one.
                    switch segment[6] {
                    case "G":
                        // Two TD1 gross weights (one per packaging) give no one shipment weight.
                        if let earlier = document.grossWeight, earlier.value != value || earlier.unit != unit || document.weightsDisagree {
                            if !document.weightsDisagree {
                                document.diagnostics.append(
                                    .warning(
                                        .fieldNotUsed, "TD1s give gross weights \(earlier.value) \(earlier.unit) and \(weight) \(unit): no shipment weight is taken from them",
                                        at: segment.place(set: st, element: 7).description))
                            }
                            document.grossWeight = nil
                            document.weightsDisagree = true
                        } else if !document.weightsDisagree {
                            document.grossWeight = (value, unit)
                        }
                    case "N": document.netWeight = StatedWeight(kind: .net, value: value, unit: unit, location: segment.place(set: st, element: 7))
                    default:
                        document.diagnostics.append(
                            .warning(
                                .weightUnqualified,
                                "TD107 weight \(weight) \(unit) has qualifier '\(segment[6])', neither G (gross) nor N (net): it is not used",
                                at: segment.place(set: st, element: 6).description))
                    }
                } else if X12Number.decimal(weight) != nil {
                    document.diagnostics.append(
                        .warning(.fieldNotUsed, "TD107 weight \(weight) has no unit (TD108): not used", at: segment.place(set: st, element: 8).description))
                } else {
                    document.diagnostics.append(.error(.x12Syntax, "TD107 weight '\(weight)' is not a number", at: segment.place(set: st, element: 7).description))
                }
            }
        case X12Segment.tagCode("TD5"):
            var carrier = document.carrier ?? CarrierInfo()
            // TD503 is a SCAC when TD502 says so (2): two to four letters.
            if segment[2] == "2", let code = segment.value(3) {
                if code.utf8.count >= 2, code.utf8.count <= 4, code.utf8.allSatisfy({ (65...90).contains($0) }) {
                    carrier.scac = code
                } else {
                    document.diagnostics.append(
                        .warning(
                            .fieldNotUsed, "TD503 '\(code)' is not a SCAC (two to four capital letters): no carrier SCAC is taken from it",
                            at: segment.place(set: st, element: 3).description))
                }
            }
            carrier.mode = segment.value(4) ?? carrier.mode
            carrier.name = segment.value(5) ?? carrier.name
            carrier.service = segment.value(12) ?? carrier.service
            document.carrier = carrier
        case X12Segment.tagCode("MEA"):
            // A TD1's gross weight is the shipment's own; an MEA states it where no TD1 does.
            guard let weight = StatedWeight.x12(segment, set: st) else { break }
            switch weight.kind {
            case .gross:
                if let earlier = document.grossWeight, earlier.value != weight.value || earlier.unit != weight.unit {
                    document.diagnostics.append(
                        .error(.valueConflict, "a second MEA gives the shipment's gross weight as \(weight.value) \(weight.unit)", at: weight.location.description))
                }
                if document.grossWeight == nil, !document.weightsDisagree {
                    document.grossWeight = (weight.value, weight.unit)
                }
            case .net:
                if let earlier = document.netWeight, earlier.value != weight.value || earlier.unit != weight.unit {
                    document.diagnostics.append(
                        .error(.valueConflict, "a second net weight \(weight.value) \(weight.unit) for the shipment", at: weight.location.description))
                }
                if document.netWeight == nil { document.netWeight = weight }
            }
        case X12Segment.tagCode("REF"):
            if let qualifier = segment.value(1), let value = segment.value(2) {
                document.references.append(Reference(qualifier: qualifier, value: value))
                if qualifier == "CN" || qualifier == "2I" { document.trackingNumbers.append(value) }
            }
        case X12Segment.tagCode("DTM"):
            let stamp = dateTime(segment, set: st, diagnostics: &document.diagnostics)
            switch segment[1] {
            case "011":
                if let earlier = document.shippedAt, let stamp, !earlier.agrees(with: stamp) {
                    document.diagnostics.append(
                        .error(.valueConflict, "a second DTM*011 says the shipment left at \(stamp), the first said \(earlier)", at: segment.place(set: st, element: 2).description))
                }
                // A time adds to a date alone.
                if document.shippedAt?.hour == nil, stamp?.hour != nil { document.shippedAt = stamp }
                document.shippedAt = document.shippedAt ?? stamp
            case "017", "067", "002":
                // 017 estimated delivery, 067 scheduled delivery, 002 delivery requested.
                document.expectArrival(
                    stamp, qualifier: segment[1], ranked: ["017", "067", "002"], at: segment.place(set: st, element: 2).description)
            default: break
            }
            if stamp == nil, ["011", "017", "067", "002"].contains(segment[1]), !segment.hasValue(2), segment.hasValue(6) {
                // DTM05/DTM06: a period or range in a format of its own, no single date.
                document.diagnostics.append(
                    .warning(
                        .fieldNotUsed, "DTM*\(segment[1]) gives '\(segment[6])' in format \(segment[5]), no single date: not used",
                        at: segment.place(set: st, element: 6).description))
            } else if stamp == nil, ["011", "017", "067", "002"].contains(segment[1]) {
                document.diagnostics.append(.error(.x12Syntax, segment.hasValue(3)
                    ? "DTM*\(segment[1]) '\(segment[2])' at '\(segment[3])' is not a date and time (CCYYMMDD, HHMM[SS])"
                    : "DTM*\(segment[1]) '\(segment[2])' is not a date (CCYYMMDD)", at: segment.place(set: st, element: 2).description))
            }
        case X12Segment.tagCode("N1"):
            document.parties.append(
                ASNParty(
                    role: segment[1], name: segment.value(2), qualifier: segment.value(3),
                    identifier: segment.value(4), location: segment.place(set: st)))
        default:
            break
        }
    }

    /// DTM02 date, DTM03 time, DTM04 time code, DTM05 century (versions up to 003060); a time
    /// code that is not one of element 623's is noted in `diagnostics` and states no zone.
    static func dateTime(_ segment: X12Segment, set st: String, diagnostics: inout [Diagnostic]) -> SentTime? {
        X12Dates.read(date: segment[2], time: segment.value(3), code: segment.value(4), century: century(segment),
            at: segment.place(set: st, element: 4), diagnostics: &diagnostics)
    }

    /// DTM05 when it is a century (two digits, as in versions up to 003060); later versions put a
    /// format qualifier there.
    static func century(_ segment: X12Segment) -> String? {
        guard let value = segment.value(5), value.utf8.count == 2, value.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }) else { return nil }
        return value
    }
}

/// X12 date, time and time code read together, with the time code checked.
enum X12Dates {
    static func read(
        date: String, time: String?, code: String?, century: String? = nil, at location: InputLocation,
        diagnostics: inout [Diagnostic]
    ) -> SentTime? {
        if let code, !code.isEmpty, EDIDateTime.x12Zone(code) == nil {
            diagnostics.append(
                .warning(
                    .timeZoneUnknown, "time code '\(code)' is not an X12 time code (element 623): the time is read as local time",
                    at: location.description))
        }
        return EDIDateTime.x12(date: date, time: time, code: code, century: century)
    }
}
