public import Model

/// A line of a DESADV as where its data sit in the message's segments: its LIN and the segments
/// after it up to the next LIN, CPS, PAC, CNT or UNT, found in the pass that reads the message.
/// Its fields are made when asked for, as an 856 line's are (``X12ItemLine``): mapping the line
/// into an event makes each string once, and nothing of the line is stored and freed.
///
/// What the fields are: LIN 1082 the line id (the line's position without one); product ids from
/// LIN C212 (qualifier `SRV` when none is given) and from each C212 of every PIA (`SA` when none is
/// given); the last QTY+12's quantity, written with the interchange's decimal mark, and unit
/// (`PCE` when none is given); the last RFF+ON's order number and order line; the first batch of the
/// last GIN+BX; the serials of every GIN+BN; IMD C273 the description; DTM 361 or 36 the expiry;
/// the SSCC of the CPS level when the level has one package.
public struct EdifactDespatchLine: ShipNoticeLine, Sendable {
    private let segments: [EdifactSegment]
    /// UNH 0062, for locations.
    private let message: String
    private let decimalMark: UInt8
    /// Indices into `segments` of the LIN and of the segments after it that belong to the line.
    private let lin: Int
    var members: Range<Int>
    /// The line's position in the message, its id when the LIN has none.
    private let position: Int
    /// Indices into `segments` of the last QTY+12, RFF+ON with an order number, RFF+ON with an
    /// order line too, GIN+BX with a batch, and IMD with a description.
    var quantitySegment: Int?
    var orderReference: Int?
    var orderLineReference: Int?
    var batch: Int?
    var itemDescription: Int?
    /// Whether a GIN+BN is among the members.
    var hasSerials = false
    /// The index of the first DTM 361 or 36 whose date reads: the line's expiry, read again when
    /// asked for (a stored `SentTime` doubled the size of a line, which is moved as it is built).
    var expirySegment: Int?
    public internal(set) var handlingUnit: String?
    /// For a sub-line that names no product of its own (LIN C829 `1:parent` and no item number),
    /// the parent line's LIN and members, whose product ids it carries.
    var productSource: (lin: Int, members: Range<Int>)?

    /// The line this one is a sub-line of (LIN C829: 5495 `1`, then the parent's 1082), if any.
    var subLineOf: String? {
        segments.withUnsafeBufferPointer { $0[lin][4, 1] == "1" ? $0[lin].value(4, 2) : nil }
    }

    /// Whether the line names a product itself (a LIN item number, a PIA id other than batch or serial).
    var namesProduct: Bool {
        var own = ProductIDs(segments: segments, message: message, lin: lin, members: members)
        return own.next() != nil
    }

    /// The line whose LIN is `segments[lin]`, the `position`th of message `reference`; its
    /// members are added as the reader meets them. Given the message's parts, not the message: a
    /// message passed whole was copied and retained field by field for each line.
    init(segments: [EdifactSegment], reference: String, decimalMark: UInt8, lin: Int, position: Int) {
        self.segments = segments
        message = reference
        self.decimalMark = decimalMark
        self.lin = lin
        members = (lin + 1)..<(lin + 1)
        self.position = position
    }

    public var expiry: SentTime? {
        expirySegment.flatMap { EDIDateTime.edifact(segments[$0][1, 2], format: segments[$0][1, 3]) }
    }

    public var lineId: String { value(of: lin, 1) ?? String(position) }
    /// The index of the line's LIN in the message's segments.
    var linIndex: Int { lin }
    public var location: InputLocation { place(of: lin, element: nil, known: "LIN") }
    public var productIDs: ProductIDs {
        if let productSource { return ProductIDs(segments: segments, message: message, lin: productSource.lin, members: productSource.members) }
        return ProductIDs(segments: segments, message: message, lin: lin, members: members)
    }
    public var quantity: String? {
        quantitySegment.flatMap { value(of: $0, 1, 2) }.map { EdifactMessage.number($0, decimalMark: decimalMark) }
    }
    public var unit: String? { quantitySegment.map { value(of: $0, 1, 3) ?? "PCE" } }
    public var quantityLocation: InputLocation { quantitySegment.map { place(of: $0, element: 1, known: "QTY") } ?? location }
    public var unitLocation: InputLocation { quantityLocation }
    public var poNumber: String? { orderReference.flatMap { value(of: $0, 1, 2) } }
    public var poLine: String? { orderLineReference.flatMap { value(of: $0, 1, 3) } }
    public var description: String? { itemDescription.flatMap { value(of: $0, 3, 4) } }

    /// The first number of the last GIN+BX that has one, else the first PIA item number of type
    /// `NB` (batch number).
    public var lot: String? {
        if let batch {
            let gin = segments[batch]
            for element in Self.laterElements(of: gin) {
                if let number = gin.value(element, 1) { return number }
            }
        }
        return piaNumbers(ofType: "NB").first
    }

    /// The numbers of every GIN+BN, then of every PIA item number of type `SN` (serial number), in
    /// order.
    public var serials: [String] {
        var serials: [String] = []
        if hasSerials {
            for index in members {
                let gin = segments[index]
                guard gin.tagCode == EdifactSegment.tagCode("GIN"), gin.code(1) == EdifactSegment.tagCode("BN") else { continue }
                for element in Self.laterElements(of: gin) {
                    guard let first = gin.value(element, 1) else { continue }
                    serials.append(first)
                    if let last = gin.value(element, 2), last != first { serials.append(last) }  // a range's end
                }
            }
        }
        return serials + piaNumbers(ofType: "SN")
    }

    /// The gross and net weights of the line's MEA segments (6313 AAB/AAD/G gross, AAA/AAC/N net).
    public var weights: [StatedWeight] {
        members.compactMap { index in
            let mea = segments[index]
            guard mea.tagCode == EdifactSegment.tagCode("MEA") else { return nil }
            return EdifactDespatchAdvice.weight(mea, message: message, decimalMark: decimalMark)
        }
    }

    /// The item numbers of the line's PIAs whose type (7143) is `type`.
    private func piaNumbers(ofType type: StaticString) -> [String] {
        var numbers: [String] = []
        let code = EdifactSegment.tagCode(type)
        for index in members {
            let pia = segments[index]
            guard pia.tagCode == EdifactSegment.tagCode("PIA") else { continue }
            for element in Self.laterElements(of: pia) where pia.code(element, 2) == code {
                if let number = pia.value(element, 1) { numbers.append(number) }
            }
        }
        return numbers
    }

    /// 8, 12, 13 or 14 digits.
    static func looksLikeGTIN(_ value: String) -> Bool {
        [8, 12, 13, 14].contains(value.utf8.count) && value.utf8.allSatisfy { $0 >= 48 && $0 <= 57 }
    }

    /// The readings a line's segments leave to EANCOM's defaults: a QTY without a unit (pieces), an
    /// item number without a type (a GTIN in LIN, the supplier's number in PIA).
    func defaults() -> [Diagnostic] {
        var found: [Diagnostic] = []
        if let quantitySegment, segments[quantitySegment].hasValue(1, 2), !segments[quantitySegment].hasValue(1, 3) {
            found.append(
                .warning(
                    .valueDefaulted, "line \(lineId): QTY+12 has no unit: read as pieces (PCE), as EANCOM says for a quantity without one",
                    at: quantityLocation.description))
        }
        let linSegment = segments[lin]
        if linSegment.hasValue(3), linSegment.code(3, 2) == 0, Self.looksLikeGTIN(linSegment[3, 1]) {
            found.append(
                .warning(
                    .valueDefaulted, "line \(lineId): LIN item number \(linSegment[3, 1]) has no type: read as a GTIN (SRV)",
                    at: linSegment.place(message: message, element: 3, known: "LIN").description))
        }
        // Lots, ranges and serials come from GIN and PIA segments, which most lines have none of.
        var hasGIN = false
        var hasPIA = false
        for index in members {
            let tag = segments[index].tagCode
            if tag == EdifactSegment.tagCode("GIN") { hasGIN = true } else if tag == EdifactSegment.tagCode("PIA") { hasPIA = true }
        }
        guard hasGIN || hasPIA else { return found + typelessPIAs() }
        // One lot per line: GIN+BX batches and PIA NB numbers that differ contradict each other.
        // Counted by their codes first: only a line with two of them makes any text.
        var lotCount = 0
        var serialCount = 0
        var ranges = false
        for index in members {
            let segment = segments[index]
            if segment.tagCode == EdifactSegment.tagCode("GIN") {
                // Counted in place: most lines have a GIN, and a list per GIN cost an allocation.
                var numbers = 0
                for element in Self.laterElements(of: segment) where segment.hasValue(element, 1) {
                    numbers += 1
                    if segment.hasValue(element, 2) { ranges = true }
                }
                if segment.code(1) == EdifactSegment.tagCode("BX") { lotCount += numbers }
                if segment.code(1) == EdifactSegment.tagCode("BN") { serialCount += numbers }
            } else if segment.tagCode == EdifactSegment.tagCode("PIA") {
                for element in Self.laterElements(of: segment) where segment.hasValue(element) {
                    if segment.code(element, 2) == EdifactSegment.tagCode("NB") { lotCount += 1 }
                    if segment.code(element, 2) == EdifactSegment.tagCode("SN") { serialCount += 1 }
                }
            }
        }
        if lotCount > 1 {
            var lots: [String] = piaNumbers(ofType: "NB")
            for index in members where segments[index].tagCode == EdifactSegment.tagCode("GIN") && segments[index].code(1) == EdifactSegment.tagCode("BX") {
                lots += Self.laterElements(of: segments[index]).compactMap { segments[index].value($0, 1) }
            }
            if Set(lots).count > 1 {
                found.append(.error(.valueConflict, "line \(lineId) names more than one batch: \(lots.joined(separator: ", "))", at: location.description))
            }
        }
        if ranges {
            for index in members where segments[index].tagCode == EdifactSegment.tagCode("GIN") {
                let gin = segments[index]
                for element in Self.laterElements(of: gin) {
                    if let first = gin.value(element, 1), let last = gin.value(element, 2), first != last {
                        found.append(
                            .warning(
                                .fieldNotUsed, "line \(lineId): GIN range \(first) to \(last): the numbers between are not listed",
                                at: gin.place(message: message, element: element, known: "GIN").description))
                    }
                }
            }
        }
        if serialCount > 1 {
            let allSerials = serials
            if Set(allSerials).count < allSerials.count {
                found.append(.warning(.valueConflict, "line \(lineId) lists a serial number twice", at: location.description))
            }
        }
        return found + typelessPIAs()
    }

    /// PIA item numbers without a type, read as the supplier's (SA).
    private func typelessPIAs() -> [Diagnostic] {
        var found: [Diagnostic] = []
        for index in members where segments[index].tagCode == EdifactSegment.tagCode("PIA") {
            let pia = segments[index]
            for element in Self.laterElements(of: pia) where pia.hasValue(element) && pia.code(element, 2) == 0 {
                found.append(
                    .warning(
                        .valueDefaulted, "line \(lineId): PIA item number \(pia[element, 1]) has no type: read as the supplier's (SA)",
                        at: pia.place(message: message, element: element, known: "PIA").description))
            }
        }
        return found
    }

    /// PIA item number types that are not product ids: a batch and a serial number.
    static func isBatchOrSerial(_ code: UInt32) -> Bool {
        code == EdifactSegment.tagCode("NB") || code == EdifactSegment.tagCode("SN")
    }

    /// The elements after the first, repeats of one composite: a GIN's identity numbers (C208),
    /// a PIA's item numbers (C212).
    static func laterElements(of segment: EdifactSegment) -> ClosedRange<Int> { 2...max(2, segment.count) }

    /// A component of segment `index`, read where the segment is.
    private func value(of index: Int, _ element: Int, _ component: Int = 1) -> String? {
        segments.withUnsafeBufferPointer { $0[index].value(element, component) }
    }

    private func place(of index: Int, element: Int?, known tag: String) -> InputLocation {
        segments.withUnsafeBufferPointer { $0[index].place(message: message, element: element, known: tag) }
    }

    /// The line's product ids: the LIN's, then each PIA's in order.
    public struct ProductIDs: Sequence, IteratorProtocol, Sendable {
        let segments: [EdifactSegment]
        let message: String
        let members: Range<Int>
        /// The segment being read: the LIN, then each member.
        var index: Int
        /// The next element of a PIA to read; 0 before the PIA is begun.
        var element = 0

        init(segments: [EdifactSegment], message: String, lin: Int, members: Range<Int>) {
            self.segments = segments
            self.message = message
            self.members = members
            index = lin
        }

        public mutating func next() -> ASNProductID? {
            while index < members.upperBound {
                let segment = segments[index]
                if index < members.lowerBound {  // the LIN: C212 in element 3
                    index = members.lowerBound
                    if segment.hasValue(3) { return id(segment, element: 3, unqualified: "SRV", known: "LIN") }
                } else if segment.tagCode == EdifactSegment.tagCode("PIA") {
                    if element == 0 { element = 2 }
                    while element <= EdifactDespatchLine.laterElements(of: segment).upperBound {
                        let current = element
                        element += 1
                        // A batch or serial number is the line's lot or serial, not a product id.
                        if segment.hasValue(current), !EdifactDespatchLine.isBatchOrSerial(segment.code(current, 2)) {
                            return id(segment, element: current, unqualified: "SA", known: "PIA")
                        }
                    }
                    element = 0
                    index += 1
                } else {
                    index += 1
                }
            }
            return nil
        }

        /// The id in C212 `element` (item number, then its type), its qualifier `unqualified`
        /// when the type is not given.
        private func id(_ segment: EdifactSegment, element: Int, unqualified: StaticString, known tag: String) -> ASNProductID {
            let value = segment[element, 1]
            let location = segment.place(message: message, element: element, known: tag)
            let written = segment.code(element, 2)  // 0 when the type is not given
            // Without a type, a LIN's number is read as EANCOM's GTIN (SRV) only when it has a
            // GTIN's shape; anything else stays an id of unknown kind.
            if written == 0, tag == "LIN", !EdifactDespatchLine.looksLikeGTIN(value) {
                return ASNProductID(qualifier: "", kind: .other, value: value, location: location)
            }
            let code = written == 0 ? EdifactSegment.tagCode(unqualified) : written
            if let known = ASNProductID.known(code: code) {
                return ASNProductID(qualifier: known.qualifier, kind: known.kind, value: value, location: location)
            }
            return ASNProductID(qualifier: segment[element, 2], value: value, location: location)
        }
    }
}
