public import Model

/// A ship notice as read from any format (X12 856, EDIFACT DESADV, JSON), before master data:
/// codes and identifiers exactly as the sender wrote them, each with where it was found.
public struct ASNDocument: Sendable {
    /// `x12-856`, `edifact-desadv` or `json-asn`.
    public var format: String
    /// The code list the units are written in: `x12`, `edifact` or `enterprise`.
    public var unitCodeList: String
    /// How the sender identified itself (ISA06, GS02; UNB sender; the JSON `supplier`), most
    /// specific first.
    public var senderIdentifiers: [String]
    /// The functional group's sender (X12 GS02, EDIFACT UNG sender): a partner only where the
    /// interchange's sender names none.
    public var groupSenderIdentifiers: [String] = []
    /// The identity of the document for ids (control numbers, or the ASN number).
    public var documentID: String
    public var asnNumber: String?
    /// The purpose code as sent (BSN01, BGM 1225, JSON `purpose`), mapped.
    public var purpose: ShipmentPurpose?
    public var purposeCode: String?
    /// As sent: the century of a six-digit year and a zone the sender did not state are the
    /// normaliser's to resolve.
    public var shippedAt: SentTime?
    public var expectedArrivalAt: SentTime?
    /// The date qualifier `expectedArrivalAt` came from (X12 374, EDIFACT 2005).
    public var expectedArrivalQualifier: String?
    /// When the document was created (BSN03/04, DTM 137), as a fallback for the event time.
    public var documentDate: SentTime?
    public var carrier: CarrierInfo?
    /// Each once, in the order first named (``addReference(_:)``).
    public private(set) var references: [Reference]
    public var trackingNumbers: [String]
    /// One party per role, in the order their roles were first named (see ``nameParty(_:)``).
    public private(set) var parties: [ASNParty]
    public var grossWeight: (value: ExactDecimal, unit: String)?
    /// Net weight of the shipment as stated (X12 MEA N, EDIFACT MEA at the header).
    public var netWeight: StatedWeight?
    public var handlingUnitCount: Int?
    /// The TD101 packaging whose TD102 gave `handlingUnitCount`.
    var handlingUnitCountTD1: String?
    /// Whether TD1s counted different packagings or numbers (then none is the shipment's count).
    var handlingUnitCountsDisagree = false
    /// Whether TD1s gave different gross weights (then none is the shipment's).
    var weightsDisagree = false
    public var handlingUnits: [ASNHandlingUnit]
    /// Each once, in the order first named (``addOrder(_:)``).
    public private(set) var orders: [String]
    public var lines: [ASNLine]
    /// Findings while reading (syntax, hash totals, check digits are left to validation).
    public var diagnostics: [Diagnostic]
    /// Where the document starts, for rejections (`ST 0001`, `UNH 1`, `/`).
    public var location: String
    /// What was found instead, when a document has no item line (`HL levels S ×1, O ×1; no LIN at
    /// any level`).
    public var structure: String?

    public init(format: String, unitCodeList: String, documentID: String, location: String) {
        self.format = format
        self.unitCodeList = unitCodeList
        self.senderIdentifiers = []
        self.documentID = documentID
        self.references = []
        self.trackingNumbers = []
        self.parties = []
        self.handlingUnits = []
        self.orders = []
        self.lines = []
        self.diagnostics = []
        self.location = location
    }

    /// The orders and references already listed, so that adding one more to a notice of many
    /// is not a search of all before it (hostile notices list hundreds of thousands).
    private var orderIndex: Set<String> = []
    private var referenceIndex: Set<Reference> = []

    /// Lists an order number, once.
    public mutating func addOrder(_ number: String) {
        if orderIndex.insert(number).inserted { orders.append(number) }
    }

    /// Lists a reference, once.
    public mutating func addReference(_ reference: Reference) {
        if referenceIndex.insert(reference).inserted { references.append(reference) }
    }

    /// Each role's place in `parties`: notices are looked up by role for every N1 or NAD, and a
    /// hostile one names hundreds of thousands of roles.
    private var partyIndex: [String: Int] = [:]

    /// The party with this role (`ST` ship-to, `SF` ship-from, `SU` supplier, `BY` buyer).
    public func party(_ role: String) -> ASNParty? { partyIndex[role].map { parties[$0] } }

    /// Names a party. The first of a role is the one read; a later one only makes it precise
    /// when the first gives a name and no identifier (a shipment's `N1*ST*RECEIVING` made exact
    /// by the order's `N1*ST**UL*...`).
    public mutating func nameParty(_ party: ASNParty) {
        guard let at = partyIndex[party.role] else { return setParty(party) }
        if parties[at].identifier == nil, party.identifier != nil { parties[at] = party }
    }

    /// Sets the party of a role, in place of any named before.
    public mutating func setParty(_ party: ASNParty) {
        if let at = partyIndex[party.role] {
            parties[at] = party
        } else {
            partyIndex[party.role] = parties.count
            parties.append(party)
        }
    }
}

/// A party of a ship notice with its identifier as sent.
public struct ASNParty: Sendable, Hashable {
    /// `ST`, `SF`, `BY`, `SU` (X12 N101 and EDIFACT NAD 3035 share these codes).
    public var role: String
    public var name: String?
    /// The identifier qualifier: `UL`/`9` GLN, `92` buyer-assigned, `91` seller-assigned, `1` DUNS.
    public var qualifier: String?
    public var identifier: String?
    public var location: InputLocation

    public init(role: String, name: String? = nil, qualifier: String? = nil, identifier: String? = nil, location: InputLocation) {
        self.role = role
        self.name = name
        self.qualifier = qualifier
        self.identifier = identifier
        self.location = location
    }

    /// The identifier when it is a GLN.
    public var gln: String? {
        guard let identifier, let qualifier, ["UL", "9", "GLN"].contains(qualifier) else { return nil }
        return identifier
    }
}

/// A pallet or carton of a ship notice.
public struct ASNHandlingUnit: Sendable, Hashable {
    /// The SSCC as sent (18 digits, or 20 with a leading `00`).
    public var sscc: String
    public var packaging: String?
    /// The SSCC of the unit this one is packed in.
    public var parent: String?
    public var grossWeight: StatedWeight?
    public var location: InputLocation

    public init(sscc: String, packaging: String? = nil, parent: String? = nil, grossWeight: StatedWeight? = nil, location: InputLocation) {
        self.sscc = sscc
        self.packaging = packaging
        self.parent = parent
        self.grossWeight = grossWeight
        self.location = location
    }
}

/// A weight as a sender stated it (X12 MEA, EDIFACT MEA): gross or net, the number and the unit
/// code as sent.
public struct StatedWeight: Sendable, Hashable {
    public enum Kind: Sendable, Hashable { case gross, net }
    public var kind: Kind
    public var value: ExactDecimal
    public var unit: String
    public var location: InputLocation

    public init(kind: Kind, value: ExactDecimal, unit: String, location: InputLocation) {
        self.kind = kind
        self.value = value
        self.unit = unit
        self.location = location
    }

    /// An X12 MEA: MEA02 `G` (gross) or `N` (actual net) weight, MEA03 the number, MEA04's first
    /// component the unit. Nil for other measurements, or one without a number or unit.
    static func x12(_ segment: X12Segment, set: String) -> StatedWeight? {
        let kind: Kind
        switch segment[2] {
        case "G": kind = .gross
        case "N": kind = .net
        default: return nil
        }
        guard let value = segment.value(3).flatMap(X12Number.decimal), let unit = segment.components(4).first, !unit.isEmpty else {
            return nil
        }
        return StatedWeight(kind: kind, value: value, unit: unit, location: segment.place(set: set, element: 3))
    }

    /// EDIFACT MEA dimension codes (6313) of gross and net weights: AAB unit gross, AAD total
    /// gross, G gross; AAA unit net, AAC total net, N net.
    static func edifactKind(_ dimension: String) -> Kind? {
        switch dimension {
        case "AAB", "AAD", "G": .gross
        case "AAA", "AAC", "N": .net
        default: nil
        }
    }
}

/// A product id of a line with its qualifier as sent.
public struct ASNProductID: Sendable, Hashable {
    /// What a qualifier says the id is.
    public enum Kind: Sendable, Hashable {
        /// A GTIN: `UK` GTIN-14, `UP` UPC, `EN` EAN-13, `UA`, `EA`, `UI`, `SRV` (EANCOM), `gtin` (JSON).
        case gtin
        /// The supplier's own item number: `VP`, `VN`, `SA`, `MF`, `supplierItem`.
        case supplierItem
        /// The buyer's item number: `BP`, `IN`, `BPN`, `buyerItem`.
        case buyerItem
        case other

        public init(qualifier: String) {
            let code = X12Segment.tagCode(qualifier.utf8)
            guard code == X12Segment.longTagCode else {
                self.init(code: code)
                return
            }
            switch qualifier {
            case "gtin": self = .gtin
            case "supplierItem": self = .supplierItem
            case "buyerItem": self = .buyerItem
            default: self = .other
            }
        }

        /// The kind of an EDI qualifier packed as `X12Segment.tagCode` packs a tag.
        init(code: UInt32) { self = ASNProductID.known(code: code)?.kind ?? .other }
    }

    /// The EDI qualifiers that say what an id is (X12 LIN, EANCOM LIN and PIA), by their packed
    /// codes, with their text as a literal: a reader makes no string from a qualifier's bytes for
    /// each id of each line.
    static func known(code: UInt32) -> (qualifier: String, kind: Kind)? {
        switch code {
        case X12Segment.tagCode("UK"): ("UK", .gtin)
        case X12Segment.tagCode("UP"): ("UP", .gtin)
        case X12Segment.tagCode("EN"): ("EN", .gtin)
        case X12Segment.tagCode("UA"): ("UA", .gtin)
        case X12Segment.tagCode("EA"): ("EA", .gtin)
        case X12Segment.tagCode("UI"): ("UI", .gtin)
        case X12Segment.tagCode("SRV"): ("SRV", .gtin)
        case X12Segment.tagCode("VP"): ("VP", .supplierItem)
        case X12Segment.tagCode("VN"): ("VN", .supplierItem)
        case X12Segment.tagCode("SA"): ("SA", .supplierItem)
        case X12Segment.tagCode("MF"): ("MF", .supplierItem)
        case X12Segment.tagCode("BP"): ("BP", .buyerItem)
        case X12Segment.tagCode("IN"): ("IN", .buyerItem)
        case X12Segment.tagCode("BPN"): ("BPN", .buyerItem)
        default: nil
        }
    }

    public let qualifier: String
    /// What `qualifier` says the id is.
    public let kind: Kind
    public var value: String
    public var location: InputLocation

    public init(qualifier: String, value: String, location: InputLocation) {
        self.init(qualifier: qualifier, kind: Kind(qualifier: qualifier), value: value, location: location)
    }

    /// An id whose qualifier's kind the reader found from its bytes.
    init(qualifier: String, kind: Kind, value: String, location: InputLocation) {
        self.qualifier = qualifier
        self.kind = kind
        self.value = value
        self.location = location
    }
}

/// One item line of a ship notice.
public struct ASNLine: Sendable {
    public var lineId: String
    /// Product identifiers with their qualifiers as sent (`UK` GTIN-14, `UP` UPC, `EN` EAN-13,
    /// `VP` vendor part, `BP` buyer part, `SRV` EANCOM GTIN, `gtin`/`supplierItem` for JSON).
    public var productIDs: [ASNProductID]
    public var quantity: String?
    public var unit: String?
    public var quantityLocation: InputLocation
    public var unitLocation: InputLocation
    public var poNumber: String?
    public var poLine: String?
    public var lot: String?
    public var expiry: SentTime?
    public var serials: [String]
    public var weights: [StatedWeight] = []
    /// The SSCC (as sent) of the unit the line is packed in.
    public var handlingUnit: String?
    public var description: String?
    public var location: InputLocation

    public init(lineId: String, location: InputLocation) {
        self.lineId = lineId
        self.productIDs = []
        self.quantityLocation = location
        self.unitLocation = location
        self.serials = []
        self.location = location
    }
}

/// What the adapter reads of a ship-notice line, field by field: an ``ASNLine`` as a reader
/// stored it, or a reader's view that answers from its segments without storing the line first
/// (``X12ItemLine``: an 856 line's strings are made once, for the event, rather than made for the
/// line, copied to the event and freed).
public protocol ShipNoticeLine {
    associatedtype ProductIDs: Sequence<ASNProductID>
    var lineId: String { get }
    /// Product ids with their qualifiers as sent, in order.
    var productIDs: ProductIDs { get }
    var quantity: String? { get }
    var unit: String? { get }
    var quantityLocation: InputLocation { get }
    var unitLocation: InputLocation { get }
    var poNumber: String? { get }
    var poLine: String? { get }
    var lot: String? { get }
    /// As sent (a six-digit date's century is the normaliser's to place).
    var expiry: SentTime? { get }
    var serials: [String] { get }
    /// Gross and net weights stated for the line.
    var weights: [StatedWeight] { get }
    var handlingUnit: String? { get }
    var description: String? { get }
    var location: InputLocation { get }
}

extension ASNLine: ShipNoticeLine {
    /// The line a view reads, stored.
    public init(_ line: some ShipNoticeLine) {
        self.init(lineId: line.lineId, location: line.location)
        productIDs = Array(line.productIDs)
        quantity = line.quantity
        unit = line.unit
        quantityLocation = line.quantityLocation
        unitLocation = line.unitLocation
        poNumber = line.poNumber
        poLine = line.poLine
        lot = line.lot
        expiry = line.expiry
        serials = line.serials
        weights = line.weights
        handlingUnit = line.handlingUnit
        description = line.description
    }
}

extension ASNDocument {
    /// Records an expected arrival stated under `qualifier`, the qualifiers ranked most telling
    /// first (an estimate before a schedule before a request): a better-ranked one replaces a
    /// worse, and the same qualifier twice with different times contradicts itself.
    mutating func expectArrival(_ stamp: SentTime?, qualifier: String, ranked: [String], at location: String) {
        guard let stamp, let rank = ranked.firstIndex(of: qualifier) else { return }
        if let current = expectedArrivalQualifier, let currentRank = ranked.firstIndex(of: current) {
            if current == qualifier, let earlier = expectedArrivalAt, !earlier.agrees(with: stamp) {
                diagnostics.append(
                    .error(.valueConflict, "a second date \(qualifier) gives another expected arrival: \(stamp), before \(earlier)", at: location))
                return
            }
            guard rank < currentRank || (current == qualifier && expectedArrivalAt?.hour == nil && stamp.hour != nil) else { return }
        }
        expectedArrivalAt = stamp
        expectedArrivalQualifier = qualifier
    }
}

/// Dates and times as the EDI standards write them, read into ``SentTime`` without deciding a
/// century or a zone the sender did not state.
public enum EDIDateTime {
    /// X12 element 623 (time code): the codes that state a fixed offset from UTC. `01`-`12` are
    /// ISO P01-P12 (hours east), `13`-`24` are M12-M01 (hours west).
    static let x12FixedOffsets: [String: Int] = [
        "UT": 0, "GM": 0,
        "ES": -300, "ED": -240, "CS": -360, "CD": -300, "MS": -420, "MD": -360, "PS": -480, "PD": -420,
        "AS": -540, "AD": -480,  // Alaska
        "HS": -600, "HD": -540,  // Hawaii-Aleutian
        "NS": -210, "ND": -150,  // Newfoundland
        "TS": -240, "TD": -180,  // Atlantic
    ]
    /// X12 element 623 codes that name a region without saying whether daylight-saving time is in
    /// effect: the offset is that region's on that date, by its IANA time-zone rules.
    static let x12Regions: [String: String] = [
        "ET": "America/New_York", "CT": "America/Chicago", "MT": "America/Denver", "PT": "America/Los_Angeles",
        "AT": "America/Anchorage", "HT": "Pacific/Honolulu", "NT": "America/St_Johns", "TT": "America/Halifax",
    ]

    /// The zone an X12 time code states, or nil for a code that is not in element 623's list.
    /// `LT` (local time) and no code state none.
    public static func x12Zone(_ code: String?) -> SentTime.Zone? {
        guard let code, !code.isEmpty, code != "LT" else { return .unstated }
        if let minutes = x12FixedOffsets[code] { return .offset(minutes: minutes) }
        if let region = x12Regions[code] { return .region(identifier: region) }
        if code.utf8.count == 2, let hours = Int(code), (1...24).contains(hours) {
            return .offset(minutes: (hours <= 12 ? hours : hours - 25) * 60)
        }
        return nil
    }

    /// An X12 date (`CCYYMMDD`, or `YYMMDD` in versions up to 003060), time (`HHMM[SS[D[D]]]`)
    /// and time code; `century` is a DTM05 century where the version has one. Nil when the date or
    /// time is not one; an unknown time code reads as no zone (the reader reports it).
    public static func x12(date: String, time: String?, code: String?, century: String? = nil) -> SentTime? {
        guard let (written, count) = digits(date, limit: 8), count == 6 || count == 8 else { return nil }
        var year = written / 10_000
        var hasCentury = count == 8
        if !hasCentury, let century, let (cc, length) = digits(century, limit: 2), length == 2 {
            year += cc * 100
            hasCentury = true
        }
        var hour: Int? = nil
        var minute = 0
        var second = 0
        var nanoseconds = 0
        if let time, !time.isEmpty {
            guard let (clock, length) = digits(time, limit: 8), (4...8).contains(length), length != 5 else { return nil }
            switch length {
            case 4: (hour, minute) = (clock / 100, clock % 100)
            case 6: (hour, minute, second) = (clock / 10_000, clock / 100 % 100, clock % 100)
            case 7: (hour, minute, second, nanoseconds) = (clock / 100_000, clock / 1000 % 100, clock / 10 % 100, clock % 10 * 100_000_000)
            default: (hour, minute, second, nanoseconds) = (clock / 1_000_000, clock / 10_000 % 100, clock / 100 % 100, clock % 100 * 10_000_000)
            }
        }
        let zone = hour == nil ? SentTime.Zone.unstated : (x12Zone(code) ?? .unstated)
        return SentTime(
            year: year, yearHasCentury: hasCentury, month: written / 100 % 100, day: written % 100, hour: hour, minute: minute,
            second: second, nanoseconds: nanoseconds, zone: zone, zoneCode: hour == nil ? nil : code)
    }

    /// An EDIFACT DTM 2380 value in format 2379: 102 `CCYYMMDD`, 101 `YYMMDD`, 203
    /// `CCYYMMDDHHMM`, 204 `CCYYMMDDHHMMSS`, 201/202 the same with `YY`, 205
    /// `CCYYMMDDHHMM±HHMM`, 303/304 `CCYYMMDDHHMM[SS]ZZZ` (zone `UTC`/`GMT`/`Z`, or `±HH`).
    /// No format: 8 digits are read as 102. Nil when the value is not of its format, or the
    /// format is not one of these.
    public static func edifact(_ text: String, format: String) -> SentTime? {
        let bytes = Array(text.utf8)
        func number(_ range: Range<Int>) -> Int? {
            guard range.upperBound <= bytes.count else { return nil }
            var value = 0
            for byte in bytes[range] {
                guard byte >= 48, byte <= 57 else { return nil }
                value = value * 10 + Int(byte - 48)
            }
            return value
        }
        /// The date of `yearDigits` year digits, then the time of `timeDigits` digits, then `zone`.
        func read(yearDigits: Int, timeDigits: Int, zone: SentTime.Zone = .unstated, code: String? = format) -> SentTime? {
            let dateEnd = yearDigits + 4
            guard let year = number(0..<yearDigits), let month = number(yearDigits..<(yearDigits + 2)),
                let day = number((yearDigits + 2)..<dateEnd)
            else { return nil }
            var hour: Int? = nil
            var minute = 0
            var second = 0
            if timeDigits > 0 {
                guard let h = number(dateEnd..<(dateEnd + 2)), let m = number((dateEnd + 2)..<(dateEnd + 4)) else { return nil }
                hour = h
                minute = m
                if timeDigits == 6 {
                    guard let s = number((dateEnd + 4)..<(dateEnd + 6)) else { return nil }
                    second = s
                }
            }
            return SentTime(
                year: year, yearHasCentury: yearDigits == 4, month: month, day: day, hour: hour, minute: minute, second: second,
                zone: hour == nil ? .unstated : zone, zoneCode: hour == nil ? nil : code)
        }
        /// `ZZZ` after `length` bytes: `UTC`, `GMT`, `Z`, `UT`, or a signed hour offset `+01`.
        func zoneSuffix(after length: Int) -> SentTime.Zone? {
            guard bytes.count > length else { return nil }
            let suffix = String(decoding: bytes[length...], as: UTF8.self).trimmingASCIISpaces
            switch suffix {
            case "UTC", "GMT", "Z", "UT": return .offset(minutes: 0)
            default:
                guard let sign = suffix.first, sign == "+" || sign == "-", let hours = Int(suffix.dropFirst()),
                    suffix.utf8.count == 3, hours <= 14
                else { return nil }
                return .offset(minutes: (sign == "-" ? -hours : hours) * 60)
            }
        }
        switch format {
        case "102", "": return bytes.count == 8 ? read(yearDigits: 4, timeDigits: 0) : nil
        case "101": return bytes.count == 6 ? read(yearDigits: 2, timeDigits: 0) : nil
        case "203": return bytes.count == 12 ? read(yearDigits: 4, timeDigits: 4) : nil
        case "204": return bytes.count == 14 ? read(yearDigits: 4, timeDigits: 6) : nil
        case "201": return bytes.count == 10 ? read(yearDigits: 2, timeDigits: 4) : nil
        case "202": return bytes.count == 12 ? read(yearDigits: 2, timeDigits: 6) : nil
        case "205":
            guard bytes.count == 17, bytes[12] == UInt8(ascii: "+") || bytes[12] == UInt8(ascii: "-"),
                let hours = number(13..<15), let minutes = number(15..<17), hours <= 14, minutes <= 59
            else { return nil }
            let offset = (hours * 60 + minutes) * (bytes[12] == UInt8(ascii: "-") ? -1 : 1)
            return read(yearDigits: 4, timeDigits: 4, zone: .offset(minutes: offset))
        case "303", "304":
            let length = format == "303" ? 12 : 14
            guard let zone = zoneSuffix(after: length) else { return nil }
            return read(yearDigits: 4, timeDigits: length - 8, zone: zone)
        default: return nil
        }
    }

    /// The EDIFACT formats (2379) ``edifact(_:format:)`` reads; others (ranges such as 718, weeks)
    /// state no single date or time.
    public static let edifactFormats: Set<String> = ["", "101", "102", "201", "202", "203", "204", "205", "303", "304"]

    /// The finding for an EDIFACT date that could not be read: a syntax error when its format is
    /// one of those read and the value does not fit it, a warning that it is not used otherwise.
    public static func edifactProblem(_ segment: EdifactSegment, message: String) -> Diagnostic {
        let qualifier = segment[1, 1], value = segment[1, 2], format = segment[1, 3]
        let location = segment.location(message: message, element: 1)
        guard edifactFormats.contains(format) else {
            return .warning(
                .fieldNotUsed, "DTM+\(qualifier) '\(value)' is in format \(format), which states no single date or time: not used", at: location)
        }
        return .error(.edifactSyntax, "DTM+\(qualifier) '\(value)' is not a date in format \(format.isEmpty ? "102 (none given)" : format)", at: location)
    }

    /// A date alone: `CCYYMMDD`, or `YYMMDD`.
    public static func date(_ text: String) -> SentTime? {
        guard let (written, count) = digits(text, limit: 8), count == 6 || count == 8 else { return nil }
        return SentTime(year: written / 10_000, yearHasCentury: count == 8, month: written / 100 % 100, day: written % 100)
    }

    /// The first `limit` digits of `text` as one number, and how many digits it has; nil unless
    /// every byte is a digit. Read from the string's bytes (no array per date).
    static func digits(_ text: String, limit: Int) -> (value: Int, count: Int)? {
        var value = 0
        var count = 0
        for byte in text.utf8 {
            let digit = byte &- UInt8(ascii: "0")
            guard digit < 10 else { return nil }
            if count < limit { value = value * 10 + Int(digit) }
            count += 1
        }
        return count == 0 ? nil : (value, count)
    }
}

extension String {
    var trimmingASCIISpaces: String {
        var text = Substring(self)
        while text.first == " " { text.removeFirst() }
        while text.last == " " { text.removeLast() }
        return String(text)
    }
}
