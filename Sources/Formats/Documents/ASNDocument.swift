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
    /// The identity of the document for ids (control numbers, or the ASN number).
    public var documentID: String
    public var asnNumber: String?
    /// The purpose code as sent (BSN01, BGM 1225, JSON `purpose`), mapped.
    public var purpose: ShipmentPurpose?
    public var purposeCode: String?
    public var shippedAt: Timestamp?
    public var expectedArrivalAt: Timestamp?
    /// When the document was created (BSN03/04, DTM 137), as a fallback for the event time.
    public var documentDate: Timestamp?
    public var carrier: CarrierInfo?
    public var references: [Reference]
    public var trackingNumbers: [String]
    public var parties: [ASNParty]
    public var grossWeight: (value: ExactDecimal, unit: String)?
    public var handlingUnitCount: Int?
    public var handlingUnits: [ASNHandlingUnit]
    public var orders: [String]
    public var lines: [ASNLine]
    /// Findings while reading (syntax, hash totals, check digits are left to validation).
    public var diagnostics: [Diagnostic]
    /// Where the document starts, for rejections (`ST 0001`, `UNH 1`, `/`).
    public var location: String

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

    /// The party with this role (`ST` ship-to, `SF` ship-from, `SU` supplier, `BY` buyer).
    public func party(_ role: String) -> ASNParty? { parties.first { $0.role == role } }
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
    public var location: InputLocation

    public init(sscc: String, packaging: String? = nil, parent: String? = nil, location: InputLocation) {
        self.sscc = sscc
        self.packaging = packaging
        self.parent = parent
        self.location = location
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
    public var expiry: CalendarDate?
    public var serials: [String]
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
    var expiry: CalendarDate? { get }
    var serials: [String] { get }
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
        handlingUnit = line.handlingUnit
        description = line.description
    }
}

/// Date/time helpers shared by the EDI readers.
public enum EDIDateTime {
    /// X12 and EDIFACT time codes to UTC offsets in minutes. `ET`, `CT`, `MT`, `PT`, `AT`, `HT`
    /// (no standard/daylight given) follow US daylight-saving rules for the date.
    static let fixedOffsets: [String: Int] = [
        "UT": 0, "GM": 0, "UTC": 0, "Z": 0,
        "ES": -300, "ED": -240, "CS": -360, "CD": -300, "MS": -420, "MD": -360, "PS": -480, "PD": -420,
        "AS": -240, "AD": -180, "HS": -600, "NS": -210, "ND": -150, "TS": -540, "TD": -480,
    ]
    static let zoned: [String: Int] = ["ET": -300, "CT": -360, "MT": -420, "PT": -480, "AT": -240, "HT": -600, "AK": -540]

    /// Whether US daylight-saving time is in effect at this local date and hour (second Sunday
    /// of March 02:00 to first Sunday of November 02:00).
    static func usDaylightSaving(year: Int, month: Int, day: Int, hour: Int) -> Bool {
        func nthSunday(_ n: Int, month: Int) -> Int {
            let first = CalendarDate(year: year, month: month, day: 1)!.daysSinceEpoch
            let weekday = ((first % 7) + 7 + 4) % 7  // 1970-01-01 was a Thursday; 0 = Sunday
            return 1 + (7 - weekday) % 7 + 7 * (n - 1)
        }
        let start = nthSunday(2, month: 3)
        let end = nthSunday(1, month: 11)
        if month < 3 || month > 11 { return false }
        if month > 3 && month < 11 { return true }
        if month == 3 { return day > start || (day == start && hour >= 2) }
        return day < end || (day == end && hour < 2)
    }

    /// The offset for a time code at a local date and time; nil for an unknown code, and `LT`
    /// (local time), which says nothing about the offset.
    public static func offset(code: String, year: Int, month: Int, day: Int, hour: Int) -> Int? {
        if let fixed = fixedOffsets[code] { return fixed }
        if let standard = zoned[code] {
            return standard + (code != "HT" && usDaylightSaving(year: year, month: month, day: day, hour: hour) ? 60 : 0)
        }
        return nil
    }

    /// Parses `CCYYMMDD` (or `YYMMDD`) and `HHMM[SS[dd]]` into a timestamp with the offset.
    public static func timestamp(date: String, time: String?, offsetMinutes: Int) -> Timestamp? {
        fields(date: date, time: time).flatMap { timestamp($0, offsetMinutes: offsetMinutes) }
    }

    /// A date/time with an optional time code; without a usable code the time is taken as UTC.
    public static func timestamp(date: String, time: String?, code: String?) -> Timestamp? {
        guard let fields = fields(date: date, time: time), let utc = timestamp(fields, offsetMinutes: 0) else { return nil }
        guard let code, !code.isEmpty else { return utc }
        let local = utc.localDate
        guard let offset = offset(code: code, year: local.year, month: local.month, day: local.day, hour: fields.hour) else {
            return utc
        }
        return timestamp(fields, offsetMinutes: offset)
    }

    typealias Fields = (year: Int, month: Int, day: Int, hour: Int, minute: Int, second: Int)

    static func timestamp(_ fields: Fields, offsetMinutes: Int) -> Timestamp? {
        Timestamp(
            year: fields.year, month: fields.month, day: fields.day, hour: fields.hour, minute: fields.minute,
            second: fields.second, offsetMinutes: offsetMinutes)
    }

    /// The numbers of `CCYYMMDD` (`YYMMDD` is taken in the 2000s) and `HHMM[SS[dd]]` (hundredths
    /// ignored; no time is midnight); nil unless both are all digits of those lengths. Read from
    /// the strings' bytes (no array per date).
    static func fields(date: String, time: String?) -> Fields? {
        /// The first `limit` digits of `text` as one number, and how many digits it has.
        func digits(_ text: String, limit: Int) -> (value: Int, count: Int)? {
            var value = 0
            var count = 0
            for byte in text.utf8 {
                let digit = byte &- UInt8(ascii: "0")
                guard digit < 10 else { return nil }
                if count < limit { value = value * 10 + Int(digit) }
                count += 1
            }
            return (value, count)
        }
        guard let (written, count) = digits(date, limit: 8), count == 6 || count == 8 else { return nil }
        let ymd = count == 6 ? 20_000_000 + written : written
        var hour = 0
        var minute = 0
        var second = 0
        if let time, !time.isEmpty {
            guard let (clock, length) = digits(time, limit: 6), length >= 4 else { return nil }
            switch length {
            case 4: (hour, minute) = (clock / 100, clock % 100)
            case 5: (hour, minute) = (clock / 1000, clock / 10 % 100)
            default: (hour, minute, second) = (clock / 10_000, clock / 100 % 100, clock % 100)
            }
        }
        return (ymd / 10_000, ymd / 100 % 100, ymd % 100, hour, minute, second)
    }
}
