import Model

/// Reads an X12 856 transaction set into an ``ASNDocument``: every HL structure (S-O-P-I,
/// S-O-T-P-I, S-O-I, S-P-I, pick and pack), found by walking the HL parent links rather than
/// assuming an order.
public enum X12ShipNotice {
    public static func read(_ set: X12TransactionSet) -> ASNDocument {
        var (document, lines) = readLines(set)
        document.lines = lines.map(ASNLine.init)
        return document
    }

    /// The same with the item lines left as views of the set's segments (``X12ItemLine``), for
    /// mapping them straight into an event; `document.lines` is empty. The phases: the HL tree,
    /// the shipment, orders and handling units, item lines, then the CTT totals.
    public static func readLines(_ set: X12TransactionSet) -> (document: ASNDocument, lines: [X12ItemLine]) {
        var document = ASNDocument(
            format: "x12-856", unitCodeList: "x12", documentID: set.documentID, location: "ST \(set.controlNumber)")
        document.senderIdentifiers = set.senderIdentifiers
        document.groupSenderIdentifiers = set.groupSenderIdentifiers
        document.diagnostics = set.diagnostics
        let st = set.controlNumber
        var tree = X12HLTree(set, diagnostics: &document.diagnostics)
        if !tree.hasBSN {
            document.diagnostics.append(.error(.x12Syntax, "the 856 has no BSN segment", at: "ST \(st)"))
        }
        guard !tree.levels.isEmpty else {
            // What the header says is still read, so the rejection names the notice.
            for segment in set.segments[1...] where Self.isMember(segment) { readShipmentSegment(segment, into: &document, set: st) }
            document.diagnostics.append(.error(.x12Syntax, "the 856 has no HL levels", at: "ST \(st)"))
            document.structure = "no HL levels"
            return (document, [])
        }
        tree.link(diagnostics: &document.diagnostics)
        let orderAbove = tree.nearestAncestors { tree.levels[$0].code == .order }
        readShipment(tree, into: &document)
        readOrdersAndUnits(&tree, orderAbove: orderAbove, into: &document)
        let lines = itemLines(&tree, orderAbove: orderAbove, diagnostics: &document.diagnostics)
        if lines.isEmpty { document.structure = tree.shape }
        // Without order levels naming a PO, the orders are those the lines name.
        if document.orders.isEmpty {
            let numbers = lines.compactMap(\.poNumber)
            for number in Set(numbers).sorted() { document.addOrder(number) }
        }
        checkTotals(tree, lines: lines, diagnostics: &document.diagnostics)
        return (document, lines)
    }

    /// The header's and the shipment level's segments. One 856 is one shipment: a second shipment
    /// level would merge two shipments into one notice.
    static func readShipment(_ tree: X12HLTree, into document: inout ASNDocument) {
        let shipmentLevels = tree.levels.filter { $0.code == .shipment }
        if shipmentLevels.count > 1 {
            document.diagnostics.append(
                .error(
                    .x12Syntax, "the 856 has \(shipmentLevels.count) shipment levels (HL S): one 856 is one shipment",
                    at: tree.segments[shipmentLevels[1].range.lowerBound].place(set: tree.set).description))
        }
        for range in [1..<tree.headerEnd] + shipmentLevels.map(\.range) {
            for segment in tree.segments[range] where Self.isMember(segment) {
                readShipmentSegment(segment, into: &document, set: tree.set)
            }
        }
    }

    /// Order levels' POs, references and parties; tare and pack levels' handling units; item
    /// levels without a LIN. `orderAbove` is each level's nearest order level.
    static func readOrdersAndUnits(_ tree: inout X12HLTree, orderAbove: [Int?], into document: inout ASNDocument) {
        var units = UnitsRead(unitAbove: tree.nearestAncestors { tree.levels[$0].isUnit }, orderAbove: orderAbove)
        for index in tree.levels.indices {
            switch tree.levels[index].code {
            case .order:
                readOrder(tree, index, into: &document)
            case .tare, .pack:
                readUnit(&tree, index, units: &units, into: &document)
            case .item where tree.levels[index].lin == nil:
                // An item level without a LIN names nothing; a LIN at any other level is read as a line.
                document.diagnostics.append(
                    .error(.x12Syntax, "item level HL \(tree.id(index)) has no LIN", at: tree.hl(index).place(set: tree.set).description))
            default:
                break
            }
        }
        document.handlingUnits = units.order.compactMap { units.bySSCC[$0] }
    }

    static func readOrder(_ tree: X12HLTree, _ index: Int, into document: inout ASNDocument) {
        for segment in tree.segments[tree.levels[index].range] where Self.isMember(segment) {
            if segment.hasTag("PRF"), let po = segment.value(1) { document.addOrder(po) }
            // An order's references (its invoice, department, vendor order number) are kept with
            // the shipment's, each once.
            if segment.hasTag("REF"), let qualifier = segment.value(1), let value = segment.value(2) {
                document.addReference(Reference(qualifier: qualifier, value: value))
            }
            guard segment.hasTag("N1") else { continue }
            // Some suppliers name the ship-to per order rather than per shipment; an order's
            // ship-to that differs from the shipment's contradicts it.
            if segment[1] == "ST", let earlier = document.party("ST"), let earlierID = earlier.identifier,
                let orderShipTo = segment.value(4), earlierID != orderShipTo || earlier.qualifier != segment.value(3)
            {
                document.diagnostics.append(
                    .error(
                        .valueConflict, "order HL \(tree.id(index)) ships to \(orderShipTo), the notice to \(earlierID)",
                        at: segment.place(set: tree.set, element: 4).description))
            }
            document.nameParty(
                ASNParty(
                    role: segment[1], name: segment.value(2), qualifier: segment.value(3), identifier: segment.value(4),
                    location: segment.place(set: tree.set)))
        }
    }

    /// The handling units read so far, in the order they were first named.
    struct UnitsRead {
        var bySSCC: [String: ASNHandlingUnit] = [:]
        var order: [String] = []
        /// The order level each unit was first named under.
        var orderLevel: [String: Int?] = [:]
        /// Each level's nearest tare or pack level, and its nearest order level.
        let unitAbove: [Int?]
        let orderAbove: [Int?]
    }

    /// A tare or pack level's handling unit, by the SSCC of its mark.
    static func readUnit(_ tree: inout X12HLTree, _ index: Int, units: inout UnitsRead, into document: inout ASNDocument) {
        let level = tree.levels[index]
        guard let mark = level.unitMark, case let man = tree.segments[mark], let sscc = man.value(2) else { return }
        // MAN*SM is the shipper's own mark: the unit's SSCC only when it is one; otherwise (a
        // parcel tracking number, say) it is kept as a reference, and no unit is made up.
        if man.element(1, is: "SM"), !Self.isSSCC(sscc) {
            document.addReference(Reference(qualifier: "SM", value: sscc))
            return
        }
        let parent = units.unitAbove[index].flatMap { tree.grossMark($0) }
        // Only a TD1 says how a unit is packed; the level's code (tare or pack) does not.
        let packaging = level.td1.flatMap { tree.segments[$0].value(1) }
        let order = units.orderAbove[index]
        if let earlier = units.bySSCC[sscc] {
            // The same unit named again under another order (a mixed pallet repeated under each
            // of its orders) is the same fact; twice in one order, or in another place or
            // packing, it is a second unit.
            if units.orderLevel[sscc] == order || earlier.parent != parent || (packaging != nil && earlier.packaging != packaging) {
                document.diagnostics.append(
                    .error(
                        .valueConflict, "SSCC \(sscc) marks two different handling units (HL \(tree.id(index)) and an earlier one)",
                        at: man.place(set: tree.set, element: 2).description))
            }
            return
        }
        units.order.append(sscc)
        units.orderLevel[sscc] = order
        let members = tree.segments[level.range]
        let set = tree.set
        let weight = members.lazy.compactMap { segment in
            segment.tagCode == X12Segment.tagCode("MEA") ? StatedWeight.x12(segment, set: set) : nil
        }.first { $0.kind == .gross }
        units.bySSCC[sscc] = ASNHandlingUnit(
            sscc: sscc, packaging: packaging, parent: parent, grossWeight: weight, location: man.place(set: tree.set, element: 2))
        for segment in members where segment.hasTag("MAN") && segment.element(1, is: "CP") {
            if let tracking = segment.value(2) { document.trackingNumbers.append(tracking) }
        }
    }

    /// Item lines: every level with a LIN that names a product, whatever its code (items at the
    /// pack level, `I`, or a partner's own code); a LIN with a lot and no product under one
    /// (`HL*5*4*ZZ`, `LIN**LT*...`) is that item's lot, and its quantity replaces the item's.
    static func itemLines(_ tree: inout X12HLTree, orderAbove: [Int?], diagnostics: inout [Diagnostic]) -> [X12ItemLine] {
        let levels = tree.levels
        let namesProduct = levels.map(tree.namesProduct)
        let itemAbove = tree.nearestAncestors { namesProduct[$0] }
        let markedUnitAbove = tree.nearestAncestors { levels[$0].isUnit && levels[$0].grossMark != nil }
        // Each item's lot levels, in order.
        var lotsOf = [[Int]](repeating: [], count: levels.count)
        var itemOf = [Int?](repeating: nil, count: levels.count)
        for index in levels.indices where levels[index].lin != nil && !namesProduct[index] {
            if let item = itemAbove[index] {
                itemOf[index] = item
                lotsOf[item].append(index)
            }
        }
        checkLots(tree, lotsOf: lotsOf, diagnostics: &diagnostics)
        var lines: [X12ItemLine] = []
        lines.reserveCapacity(tree.itemLevels)
        for (index, level) in levels.enumerated() {
            guard let linIndex = level.lin, level.code != .shipment, level.code != .order else { continue }
            let product: Int
            if namesProduct[index] {
                guard lotsOf[index].isEmpty else { continue }  // its lots are its lines
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
            if let pack = (level.grossMark != nil && level.code != .item ? index : nil) ?? markedUnitAbove[index] {
                packMark = tree.grossMark(pack)
            }
            let orderPO = orderAbove[index].flatMap { tree.orderNumber($0) }
            lines.append(
                X12ItemLine(
                    segments: tree.segments, set: tree.set, lin: linIndex, productLIN: product, members: level.range, orderPO: orderPO,
                    packMark: packMark, diagnostics: &diagnostics))
        }
        return lines
    }

    /// An item's own quantity and its lots' must agree: the lots replace it, and a difference
    /// would change the quantity shipped without a word.
    static func checkLots(_ tree: X12HLTree, lotsOf: [[Int]], diagnostics: inout [Diagnostic]) {
        for item in tree.levels.indices where !lotsOf[item].isEmpty {
            guard let total = tree.quantity(of: item) else { continue }
            let lots = lotsOf[item].compactMap { tree.quantity(of: $0) }
            guard lots.count == lotsOf[item].count, lots.allSatisfy({ $0.unit == total.unit }) else { continue }
            let sum = lots.reduce(ExactDecimal.zero) { $0.adding($1.value) ?? $0 }
            if sum != total.value {
                diagnostics.append(
                    .error(
                        .valueConflict, "item HL \(tree.id(item)) ships \(total.value) \(total.unit), its lots add up to \(sum)",
                        at: tree.hl(item).place(set: tree.set).description))
            }
        }
    }

    /// CTT01 (number of line items, commonly the HL count) and CTT02 (hash of quantities).
    static func checkTotals(_ tree: X12HLTree, lines: [X12ItemLine], diagnostics: inout [Diagnostic]) {
        guard let ctt = tree.ctt.map({ tree.segments[$0] }) else { return }
        if let declared = ctt.value(1).flatMap(Int.init), declared != tree.levels.count, declared != lines.count {
            diagnostics.append(
                .warning(
                    .hashTotal,
                    "CTT01 says \(declared), the 856 has \(tree.levels.count) HL levels and \(lines.count) item lines",
                    at: ctt.place(set: tree.set, element: 1).description))
        }
        if let hash = ctt.value(2), let declared = ExactDecimal(hash) {
            let sum = lines.compactMap { $0.quantity.flatMap(ExactDecimal.init) }.reduce(ExactDecimal.zero) {
                $0.adding($1) ?? $0
            }
            if sum != declared {
                diagnostics.append(
                    .warning(.hashTotal, "CTT02 hash total is \(declared), the SN1 quantities add up to \(sum)", at: ctt.place(set: tree.set, element: 2).description))
            }
        }
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

    /// A header or shipment-level segment (BSN, TD1, TD5, MEA, REF, DTM, N1) of set `st`.
    static func readShipmentSegment(_ segment: X12Segment, into document: inout ASNDocument, set st: String) {
        switch segment.tagCode {
        case X12Segment.tagCode("BSN"): readBSN(segment, into: &document, set: st)
        case X12Segment.tagCode("TD1"): readTD1(segment, into: &document, set: st)
        case X12Segment.tagCode("TD5"): readTD5(segment, into: &document, set: st)
        case X12Segment.tagCode("MEA"): readMEA(segment, into: &document, set: st)
        case X12Segment.tagCode("REF"):
            if let qualifier = segment.value(1), let value = segment.value(2) {
                document.addReference(Reference(qualifier: qualifier, value: value))
                if qualifier == "CN" || qualifier == "2I" { document.trackingNumbers.append(value) }
            }
        case X12Segment.tagCode("DTM"): readDTM(segment, into: &document, set: st)
        case X12Segment.tagCode("N1"):
            document.nameParty(
                ASNParty(
                    role: segment[1], name: segment.value(2), qualifier: segment.value(3),
                    identifier: segment.value(4), location: segment.place(set: st)))
        default:
            break
        }
    }

    /// BSN: the notice's number, purpose and date, once.
    static func readBSN(_ segment: X12Segment, into document: inout ASNDocument, set st: String) {
        // One BSN per 856: a second one would silently rename the notice.
        guard document.asnNumber == nil, document.purposeCode == nil else {
            document.diagnostics.append(.error(.x12Syntax, "the 856 has a second BSN", at: segment.place(set: st).description))
            return
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
    }

    /// TD1: the number of handling units and the shipment's weights, when the TD1s agree.
    static func readTD1(_ segment: X12Segment, into document: inout ASNDocument, set st: String) {
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
    }

    /// TD5: the carrier's SCAC, mode, name and service.
    static func readTD5(_ segment: X12Segment, into document: inout ASNDocument, set st: String) {
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
    }

    /// MEA: the shipment's gross or net weight where no TD1 states it.
    static func readMEA(_ segment: X12Segment, into document: inout ASNDocument, set st: String) {
        // A TD1's gross weight is the shipment's own; an MEA states it where no TD1 does.
        guard let weight = StatedWeight.x12(segment, set: st) else { return }
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
    }

    /// DTM: ship date (011) and expected arrival (017, 067, 002).
    static func readDTM(_ segment: X12Segment, into document: inout ASNDocument, set st: String) {
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
