import Model

/// Reads an EDIFACT DESADV (EANCOM D.96A and later) into an ``ASNDocument``: BGM, DTM (formats
/// 102, 203, 204), RFF, NAD with GLNs, TDT, the CPS packing hierarchy with PAC, PCI/GIN+BJ (SSCC),
/// LIN (GTIN), PIA, QTY+12 with its unit, and batch and expiry per line.
public enum EdifactDespatchAdvice {
    public static func read(_ message: EdifactMessage) -> ASNDocument {
        var (document, lines) = readLines(message)
        document.lines = lines.map(ASNLine.init)
        return document
    }

    /// The same with the lines left as views of the message's segments (``EdifactDespatchLine``),
    /// for mapping them straight into an event; `document.lines` is empty.
    public static func readLines(_ message: EdifactMessage) -> (document: ASNDocument, lines: [EdifactDespatchLine]) {
        var reading = DespatchReading(message)
        for index in message.segments.indices.dropFirst() {
            reading.read(index)
        }
        return reading.finish()
    }
}

/// One DESADV being read segment by segment: the header's segments fill the document, CPS, PAC
/// and GIN+BJ build the packing hierarchy, LIN starts a line that the segments after it add to.
struct DespatchReading {
    /// A CPS level: its parent id and the units its PACs list by SSCC, each with that PAC's
    /// packaging and the gross weight of its MEA.
    struct Package {
        var parent: String?
        var units: [(sscc: String, packaging: String?, weight: StatedWeight?)] = []
    }

    let message: EdifactMessage
    let reference: String
    let decimalMark: UInt8
    var document: ASNDocument
    var lines: [EdifactDespatchLine] = []
    /// The line being read.
    var line: EdifactDespatchLine? = nil
    var inLine: Bool { line != nil }
    /// CPS id → its level, and the ids in the order they came.
    var packages: [String: Package] = [:]
    var packageOrder: [String] = []
    var currentCPS: String? = nil
    /// The PAC being read: its packaging type and the gross weight an MEA after it states.
    var currentPAC: (packaging: String?, weight: StatedWeight?)? = nil
    /// PAC counts of the levels that have no parent: the shipment's handling units.
    var topLevelCount: Int? = nil
    /// The SSCC of the current CPS level when it has one package: its lines' handling unit.
    var currentSSCC: String? = nil

    init(_ message: EdifactMessage) {
        self.message = message
        reference = message.reference
        decimalMark = message.interchange.separators.decimalMark
        document = ASNDocument(
            format: "edifact-desadv", unitCodeList: "edifact", documentID: message.documentID, location: "UNH \(message.reference)")
        document.senderIdentifiers = message.senderIdentifiers
        document.groupSenderIdentifiers = message.groupSenderIdentifiers
        document.diagnostics = message.diagnostics
        lines.reserveCapacity(message.segments.reduce(0) { $0 + ($1.tagCode == EdifactSegment.tagCode("LIN") ? 1 : 0) })
    }

    func at(_ segment: EdifactSegment, _ element: Int? = nil) -> InputLocation { segment.place(message: reference, element: element) }

    mutating func read(_ index: Int) {
        let segment = message.segments[index]
        switch segment.tagCode {
        case EdifactSegment.tagCode("BGM"): readBGM(segment)
        case EdifactSegment.tagCode("DTM"): readDTM(segment, index)
        case EdifactSegment.tagCode("RFF"): readRFF(segment, index)
        case EdifactSegment.tagCode("NAD"): readNAD(segment)
        case EdifactSegment.tagCode("TDT"): readTDT(segment)
        case EdifactSegment.tagCode("CPS"): readCPS(segment, index)
        case EdifactSegment.tagCode("PAC"): readPAC(segment, index)
        case EdifactSegment.tagCode("MEA"): readMEA(segment)
        case EdifactSegment.tagCode("GIN"): readGIN(segment, index)
        case EdifactSegment.tagCode("LIN"):
            finishLine(at: index)
            line = EdifactDespatchLine(
                segments: message.segments, reference: reference, decimalMark: decimalMark, lin: index, position: lines.count + 1)
        case EdifactSegment.tagCode("IMD"):
            if inLine, segment.hasValue(3, 4) { line!.itemDescription = index }
        case EdifactSegment.tagCode("QTY"): readQTY(segment, index)
        case EdifactSegment.tagCode("CNT"):
            finishLine(at: index)
            if segment[1, 1] == "2", let declared = segment.value(1, 2).flatMap(Int.init), declared != lines.count {
                document.diagnostics.append(
                    .warning(.hashTotal, "CNT+2 says \(declared) lines, the message has \(lines.count)", at: at(segment, 1).description))
            }
        case EdifactSegment.tagCode("UNT"):
            finishLine(at: index)
        default:
            break
        }
    }

    /// Ends the line being read (if any) before the segment at `end`.
    mutating func finishLine(at end: Int) {
        guard line != nil else { return }
        line!.members = line!.members.lowerBound..<end
        line!.handlingUnit = currentSSCC
        document.diagnostics += line!.defaults()
        lines.append(line.take()!)  // moved, not copied
    }

    /// BGM: the notice's number and function, once.
    mutating func readBGM(_ segment: EdifactSegment) {
        guard document.asnNumber == nil, document.purposeCode == nil else {
            document.diagnostics.append(.error(.edifactSyntax, "the DESADV has a second BGM", at: at(segment).description))
            return
        }
        document.asnNumber = segment.value(2)
        document.purposeCode = segment.value(3)
        switch segment[3] {
        case "9": document.purpose = .original
        case "":
            document.purpose = .original
            document.diagnostics.append(
                .warning(.valueDefaulted, "BGM has no message function (1225): read as 9, original", at: at(segment, 3).description))
        case "5", "4": document.purpose = .replace
        case "1", "3": document.purpose = .cancel
        default:
            document.diagnostics.append(.error(.codeUnmapped, "BGM message function '\(segment[3])' is not 9, 5 or 1", at: at(segment, 3).description))
        }
    }

    /// DTM: a line's expiry, or the notice's document, despatch and expected arrival dates.
    mutating func readDTM(_ segment: EdifactSegment, _ index: Int) {
        let qualifier = segment[1, 1]
        let stamp = EDIDateTime.edifact(segment[1, 2], format: segment[1, 3])
        if stamp == nil, !segment[1, 2].isEmpty, ["137", "11", "17", "132", "2", "361", "36"].contains(qualifier) {
            document.diagnostics.append(EDIDateTime.edifactProblem(segment, message: reference))
        }
        if stamp != nil, segment[1, 3].isEmpty {
            document.diagnostics.append(
                .warning(.valueDefaulted, "DTM+\(qualifier) has no format (2379): read as 102, CCYYMMDD", at: at(segment, 1).description))
        }
        if inLine, qualifier == "361" || qualifier == "36" {
            if let earlier = line!.expiry, let stamp, !earlier.agrees(with: stamp) {
                document.diagnostics.append(
                    .error(.valueConflict, "line \(line!.lineId) has a second expiry \(segment[1, 2])", at: at(segment, 1).description))
            }
            if line!.expirySegment == nil, stamp != nil { line!.expirySegment = index }
            return
        }
        switch qualifier {
        case "137", "11":
            let earlier = qualifier == "11" ? document.shippedAt : document.documentDate
            if let earlier, let stamp, !earlier.agrees(with: stamp) {
                document.diagnostics.append(
                    .error(.valueConflict, "a second DTM+\(qualifier) says \(segment[1, 2])", at: at(segment, 1).description))
            }
            if qualifier == "11" { document.shippedAt = earlier ?? stamp } else { document.documentDate = earlier ?? stamp }
        case "17", "132", "2", "358":
            // 17 delivery estimated, 132 arrival estimated, 358 scheduled, 2 requested.
            document.expectArrival(
                stamp, qualifier: qualifier, ranked: ["17", "132", "358", "2"], at: at(segment, 1).description)
        default: break
        }
    }

    /// RFF: a line's order (and order line), or the notice's orders and references.
    mutating func readRFF(_ segment: EdifactSegment, _ index: Int) {
        guard segment.hasValue(1, 2) else { return }
        if inLine, segment.code(1) == EdifactSegment.tagCode("ON") {
            // The same order again (with or without its line) adds to it; another order, or
            // another line of it, contradicts it.
            if let earlier = line!.orderReference,
                message.segments[earlier][1, 2] != segment[1, 2]
                    || (message.segments[earlier].hasValue(1, 3) && segment.hasValue(1, 3) && message.segments[earlier][1, 3] != segment[1, 3])
            {
                document.diagnostics.append(
                    .error(
                        .valueConflict, "line \(line!.lineId) names a second order \(segment[1, 2]) after \(message.segments[earlier][1, 2])",
                        at: at(segment, 1).description))
                return
            }
            if line!.orderReference == nil || segment.hasValue(1, 3) { line!.orderReference = index }
            if segment.hasValue(1, 3) { line!.orderLineReference = index }
            return
        }
        let qualifier = segment[1, 1]
        let value = segment[1, 2]
        if qualifier == "ON" {
            document.addOrder(value)
            return
        }
        let mapped =
            switch qualifier {
            case "AAS": "BM"
            case "SRN": "CN"
            default: qualifier
            }
        document.addReference(Reference(qualifier: mapped, value: value))
        if mapped == "CN" { document.trackingNumbers.append(value) }
    }

    /// NAD: a party, its EANCOM role named as the X12 one.
    mutating func readNAD(_ segment: EdifactSegment) {
        let role = segment[1, 1]
        // EANCOM DP (delivery party) is the ship-to; CZ/SE are the consignor/seller.
        let normalized =
            switch role {
            case "DP": "ST"
            case "CZ", "SH": "SF"
            case "SE": "SU"
            default: role
            }
        // Two different ship-to parties (NAD+DP and NAD+ST, or two of either) contradict each
        // other about where the goods go.
        if normalized == "ST", let earlier = document.party("ST"), let id = segment.value(2, 1), earlier.identifier != id {
            document.diagnostics.append(
                .error(
                    .valueConflict, "NAD+\(role) \(id) names another delivery party than \(earlier.identifier ?? "the earlier one")",
                    at: at(segment, 2).description))
        }
        if document.party(normalized) == nil || role == normalized {
            let agency = segment[2, 3]
            document.setParty(
                ASNParty(
                    role: normalized, name: segment.value(4) ?? segment.value(3),
                    qualifier: agency == "9" ? "9" : (agency.isEmpty ? nil : agency), identifier: segment.value(2, 1),
                    location: at(segment, 2)))
        }
    }

    /// TDT: the carrier's mode, SCAC or name.
    mutating func readTDT(_ segment: EdifactSegment) {
        var carrier = document.carrier ?? CarrierInfo()
        carrier.mode = segment.value(3) ?? carrier.mode
        if let id = segment.value(5, 1) {
            if segment[5, 3] == "182" || id.count <= 4 { carrier.scac = id } else { carrier.name = segment.value(5, 4) ?? id }
        }
        carrier.name = segment.value(5, 4) ?? carrier.name
        document.carrier = carrier
    }

    /// CPS: a packing level and its parent.
    mutating func readCPS(_ segment: EdifactSegment, _ index: Int) {
        finishLine(at: index)
        let id = segment[1, 1]
        currentCPS = id
        if packages[id] == nil {
            packageOrder.append(id)
            packages[id] = Package(parent: segment.value(2))
        } else {
            // A level numbered twice would lose the first level's packages.
            document.diagnostics.append(.error(.edifactSyntax, "CPS \(id) is numbered twice", at: at(segment, 1).description))
        }
        currentSSCC = nil
        currentPAC = nil
    }

    /// PAC: the packages of the level, counted when the level is the top one.
    mutating func readPAC(_ segment: EdifactSegment, _ index: Int) {
        finishLine(at: index)
        // Each PAC describes its own packages: a later one (the cartons on a pallet) does not
        // change an earlier one's (the pallet's).
        currentPAC = (segment.value(3), nil)
        if let count = segment.value(1).flatMap(Int.init), currentCPS.map({ packages[$0]?.parent == nil }) ?? true {
            topLevelCount = (topLevelCount ?? 0) + count
        }
    }

    /// MEA outside a line: a package's gross weight, or the shipment's before any CPS.
    mutating func readMEA(_ segment: EdifactSegment) {
        guard !inLine, let weight = EdifactDespatchAdvice.weight(segment, message: reference, decimalMark: decimalMark) else { return }
        if currentPAC != nil {
            if weight.kind == .gross { currentPAC?.weight = weight }
        } else if currentCPS == nil {
            switch weight.kind {
            case .gross: if document.grossWeight == nil { document.grossWeight = (weight.value, weight.unit) }
            case .net: if document.netWeight == nil { document.netWeight = weight }
            }
        }
    }

    /// GIN: BJ, the SSCCs of this CPS level's packages; inside a line, BX batch and BN serial
    /// (read by the line).
    mutating func readGIN(_ segment: EdifactSegment, _ index: Int) {
        let numbers = EdifactDespatchLine.laterElements(of: segment)
        switch (inLine, segment.code(1)) {
        case (false, EdifactSegment.tagCode("BJ")):
            guard let cps = currentCPS else { return }
            for element in numbers {
                guard let number = segment.value(element, 1) else { continue }
                packages[cps]?.units.append((number, currentPAC?.packaging, currentPAC?.weight))
                // C208 is a range first:last; the SSCCs between are not listed.
                if let last = segment.value(element, 2), last != number {
                    packages[cps]?.units.append((last, currentPAC?.packaging, currentPAC?.weight))
                    document.diagnostics.append(
                        .warning(
                            .fieldNotUsed, "GIN+BJ range \(number) to \(last): the SSCCs between are not listed",
                            at: at(segment, element).description))
                }
            }
            currentSSCC = packages[cps].flatMap { $0.units.count == 1 ? $0.units[0].sscc : nil }
        case (true, EdifactSegment.tagCode("BX")):
            if numbers.contains(where: { segment.hasValue($0, 1) }) { line!.batch = index }
        case (true, EdifactSegment.tagCode("BN")):
            line!.hasSerials = true
        default:
            break
        }
    }

    /// QTY+12: a line's despatch quantity, once.
    mutating func readQTY(_ segment: EdifactSegment, _ index: Int) {
        guard inLine, segment.code(1) == EdifactSegment.tagCode("12") else { return }
        if let earlier = line!.quantitySegment,
            EdifactDespatchAdvice.despatchQuantity(message.segments[earlier], decimalMark: decimalMark)
                != EdifactDespatchAdvice.despatchQuantity(segment, decimalMark: decimalMark)
        {
            document.diagnostics.append(
                .error(
                    .valueConflict, "line \(line!.lineId) has a second QTY+12 despatch quantity \(segment[1, 2])",
                    at: at(segment, 1).description))
            return
        }
        line!.quantitySegment = index
    }

    /// The last line, sub-lines, and the handling units from the packing hierarchy.
    consuming func finish() -> (document: ASNDocument, lines: [EdifactDespatchLine]) {
        finishLine(at: message.segments.count)
        lines = EdifactDespatchAdvice.resolveSubLines(lines, in: message, diagnostics: &document.diagnostics)
        document.handlingUnitCount = topLevelCount
        for id in packageOrder {
            guard let package = packages[id] else { continue }
            if let parent = package.parent, packages[parent] == nil {
                document.diagnostics.append(
                    .error(.edifactSyntax, "CPS \(id) names parent \(parent), which is no CPS level of the message", at: "UNH \(reference) / CPS \(id)"))
            }
            // The parent's one SSCC, without listing all of its SSCCs for each child: a CPS of many
            // packages with as many children made that quadratic.
            let parentSSCC = package.parent.flatMap { packages[$0] }.flatMap { $0.units.count == 1 ? $0.units[0].sscc : nil }
            for unit in package.units {
                document.handlingUnits.append(
                    ASNHandlingUnit(
                        sscc: unit.sscc, packaging: unit.packaging, parent: parentSSCC, grossWeight: unit.weight,
                        location: InputLocation("UNH \(reference) / CPS \(id)")))
            }
        }
        if document.asnNumber == nil {
            document.diagnostics.append(.error(.edifactSyntax, "the DESADV has no BGM document number", at: "UNH \(reference)"))
        }
        return (document, lines)
    }
}

extension EdifactDespatchAdvice {
    /// Sub-lines (LIN C829 `1:parent`, EANCOM's split of a line by batch) replace their parent: its
    /// quantity is theirs, and their own quantities must add up to it; a sub-line that names no
    /// product carries its parent's. Lines without a despatch quantity are reported here, once a
    /// parent is known to take its quantity from its sub-lines.
    static func resolveSubLines(_ lines: [EdifactDespatchLine], in message: EdifactMessage, diagnostics: inout [Diagnostic]) -> [EdifactDespatchLine] {
        func reportMissingQuantities(_ lines: [EdifactDespatchLine]) {
            for line in lines where !(line.quantitySegment.map { message.segments[$0].hasValue(1, 2) } ?? false) {
                diagnostics.append(.error(.quantityInvalid, "line \(line.lineId) has no QTY+12 despatch quantity", at: line.location.description))
            }
        }
        // Most messages have no sub-line: the lines stay as they are.
        guard lines.contains(where: { message.segments[$0.linIndex].hasValue(4) }) else {
            reportMissingQuantities(lines)
            return lines
        }
        var lines = lines
        let decimalMark = message.interchange.separators.decimalMark
        func quantity(_ line: EdifactDespatchLine) -> (value: ExactDecimal, unit: String)? {
            guard let index = line.quantitySegment else { return nil }
            let stated = despatchQuantity(message.segments[index], decimalMark: decimalMark)
            return stated.value.map { ($0, stated.unit) }
        }
        // A parent is the first line of its number that is no sub-line itself; its sub-lines are
        // kept with it, in order (a message may split thousands of lines).
        var firstLine: [String: Int] = [:]
        for index in lines.indices where lines[index].subLineOf == nil {
            let id = lines[index].lineId
            if firstLine[id] == nil { firstLine[id] = index }
        }
        var subLines: [Int: [Int]] = [:]
        for index in lines.indices {
            guard let parentID = lines[index].subLineOf else { continue }
            guard let parent = firstLine[parentID] else {
                diagnostics.append(
                    .error(.edifactSyntax, "line \(lines[index].lineId) is a sub-line of line \(parentID), which is not in the message", at: lines[index].location.description))
                continue
            }
            subLines[parent, default: []].append(index)
            if !lines[index].namesProduct { lines[index].productSource = (lines[parent].linIndex, lines[parent].members) }
        }
        for (parent, parts) in subLines.sorted(by: { $0.key < $1.key }) {
            guard let total = quantity(lines[parent]) else { continue }
            let parts = parts.compactMap { quantity(lines[$0]) }
            guard parts.allSatisfy({ $0.unit == total.unit }) else { continue }
            let sum = parts.reduce(ExactDecimal.zero) { $0.adding($1.value) ?? $0 }
            if sum != total.value {
                diagnostics.append(
                    .error(
                        .valueConflict, "line \(lines[parent].lineId) despatches \(total.value), its sub-lines add up to \(sum)",
                        at: lines[parent].location.description))
            }
        }
        let kept = lines.indices.filter { subLines[$0] == nil }.map { lines[$0] }
        reportMissingQuantities(kept)
        return kept
    }

    /// A QTY's number (written with the interchange's decimal mark) and unit: without C186 6411
    /// the quantity counts pieces (PCE).
    static func despatchQuantity(_ qty: EdifactSegment, decimalMark: UInt8) -> (value: ExactDecimal?, unit: String) {
        (ExactDecimal(EdifactMessage.number(qty[1, 2], decimalMark: decimalMark)), qty[1, 3].isEmpty ? "PCE" : qty[1, 3])
    }

    /// An MEA's gross or net weight: C502 6313 the dimension, C174 6411 the unit and 6314 the value
    /// (written with the interchange's decimal mark); nil for other measurements.
    static func weight(_ segment: EdifactSegment, message: String, decimalMark: UInt8) -> StatedWeight? {
        guard let kind = StatedWeight.edifactKind(segment[2, 1]), let unit = segment.value(3, 1),
            let text = segment.value(3, 2), let value = ExactDecimal(EdifactMessage.number(text, decimalMark: decimalMark))
        else { return nil }
        return StatedWeight(kind: kind, value: value, unit: unit, location: segment.place(message: message, element: 3))
    }
}
