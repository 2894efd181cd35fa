/// How bad a finding is. Errors reject a record; warnings travel with the canonical event.
public enum Severity: String, Sendable, Hashable, Codable, Comparable {
    case info
    case warning
    case error

    public static func < (lhs: Self, rhs: Self) -> Bool {
        let order: [Severity] = [.info, .warning, .error]
        return order.firstIndex(of: lhs)! < order.firstIndex(of: rhs)!
    }
}

/// A stable, machine-readable code for a finding, as carried in `crossdock.error.code`.
///
/// Codes are values, not enum cases, so new ones can be added without breaking callers; their
/// spelling is a contract that users script against and never changes.
public struct DiagnosticCode: RawRepresentable, Hashable, Sendable, Codable, CustomStringConvertible,
    ExpressibleByStringLiteral
{
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
    public init(_ rawValue: String) { self.rawValue = rawValue }
    public init(stringLiteral value: String) { self.rawValue = value }
    public var description: String { rawValue }

    public init(from decoder: any Decoder) throws {
        rawValue = try decoder.singleValueContainer().decode(String.self)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }
}

extension DiagnosticCode {
    public static let uomUnknown: Self = "UOM_UNKNOWN"
    public static let uomNotConvertible: Self = "UOM_NOT_CONVERTIBLE"
    public static let uomFractionalBase: Self = "UOM_FRACTIONAL_BASE"
    public static let quantityInvalid: Self = "QUANTITY_INVALID"
    public static let locationUnknown: Self = "LOCATION_UNKNOWN"
    public static let locationWrongSite: Self = "LOCATION_WRONG_SITE"
    public static let locationWrongType: Self = "LOCATION_WRONG_TYPE"
    public static let locationNotLeaf: Self = "LOCATION_NOT_LEAF"
    public static let glnUnknown: Self = "GLN_UNKNOWN"
    public static let checkDigit: Self = "CHECK_DIGIT"
    public static let x12Syntax: Self = "X12_SYNTAX"
    public static let x12Envelope: Self = "X12_ENVELOPE"
    public static let edifactSyntax: Self = "EDIFACT_SYNTAX"
    public static let gs1AIInvalid: Self = "GS1_AI_INVALID"
    public static let jsonInvalid: Self = "JSON_INVALID"
    public static let stateTransitionInvalid: Self = "STATE_TRANSITION_INVALID"
    public static let partnerUnknown: Self = "PARTNER_UNKNOWN"
    public static let partnerMismatch: Self = "PARTNER_MISMATCH"
    public static let codeUnmapped: Self = "CODE_UNMAPPED"
    public static let messageTooLarge: Self = "MESSAGE_TOO_LARGE"
    /// A transport header Crossdock reads (`crossdock-partner`) is not usable: not UTF-8 text, or
    /// empty.
    public static let headerInvalid: Self = "HEADER_INVALID"
    /// The record has no value (a null value, or zero bytes): nothing to read.
    public static let messageEmpty: Self = "MESSAGE_EMPTY"
    /// Information: a document had more findings than a rejection lists (the first thousand);
    /// the message says how many more.
    public static let findingsOmitted: Self = "FINDINGS_OMITTED"
    /// The record is plainly another kind of input (ship notice, scan, carrier status) than the raw
    /// topic's route or `normalize --source` says.
    public static let sourceMismatch: Self = "SOURCE_MISMATCH"
    /// A warning: a time of day was sent without a UTC offset, and neither the place's site nor the
    /// partner's profile has a `timeZone`, so it is kept as the sender's local time (the `...Local`
    /// field) and no instant is made up for it.
    public static let timeZoneUnknown: Self = "TIME_ZONE_UNKNOWN"
    /// A warning: the document states no instant for the event (no ship time, no document
    /// date-time with a known offset), so the event's `time` is its `recordedtime`.
    public static let timeFromRecorded: Self = "TIME_FROM_RECORDED"
    /// A date that is not a date once its century is known (29 February of a year that has none).
    public static let dateInvalid: Self = "DATE_INVALID"
    /// A warning: a weight whose qualifier says neither gross nor net (X12 TD106 empty or `A3`),
    /// left out rather than reported as one of them.
    public static let weightUnqualified: Self = "WEIGHT_UNQUALIFIED"
    /// A warning: a value that is not of its element's form (a TD503 that is no SCAC), not used.
    public static let fieldNotUsed: Self = "FIELD_NOT_USED"
    /// A warning: a value the sender left out was read as the standard says it defaults (an
    /// EDIFACT QTY without a unit counts pieces, PCE).
    public static let valueDefaulted: Self = "VALUE_DEFAULTED"
    /// A warning: a time read in a zone's rules falls in a daylight-saving change (it occurs twice,
    /// or never), so the instant it names is a choice; the message says which was made.
    public static let timeAmbiguous: Self = "TIME_AMBIGUOUS"
    /// A warning: a six-digit date's century was placed by the sliding window.
    public static let centuryAssumed: Self = "CENTURY_ASSUMED"
    /// Two values for one field (two SN1 in an item level, a GTIN and a supplier part naming
    /// different items, one SSCC on two units): the document contradicts itself.
    public static let valueConflict: Self = "VALUE_CONFLICT"
    // Reading
    /// A control total (X12 CTT, EDIFACT CNT) that does not match the document: a warning.
    public static let hashTotal: Self = "HASH_TOTAL"
    /// EDIFACT envelope counts and references (UNT, UNE, UNZ) that do not match; like
    /// `X12_ENVELOPE`, a partner profile can lower its severity.
    public static let edifactEnvelope: Self = "EDIFACT_ENVELOPE"
    /// A lot-controlled item scanned without a lot (a warning: the event flows, the lot is unknown).
    public static let lotMissing: Self = "LOT_MISSING"
    /// An expiry-controlled item scanned without an expiry date (a warning).
    public static let expiryMissing: Self = "EXPIRY_MISSING"
    /// A serialized item scanned without a serial number (a warning).
    public static let serialMissing: Self = "SERIAL_MISSING"
    /// A scan that reached the hub long after it was taken (a gateway's offline buffer): a warning
    /// that says by how much.
    public static let scanLate: Self = "SCAN_LATE"
    /// A warning: the scan's time is later than when it reached the hub (a scanner's clock is wrong).
    public static let scanInFuture: Self = "SCAN_IN_FUTURE"
    /// An item the ship notice names (GTIN or supplier item) is not in master data.
    public static let itemUnknown: Self = "ITEM_UNKNOWN"
    /// The sending partner's profile does not allow this document: its `formats` do not list it, or
    /// its `kind` does not send it (a carrier sends no ship notice).
    public static let partnerFormat: Self = "PARTNER_FORMAT"
    // Master data (`crossdock masterdata check`)
    public static let yamlSyntax: Self = "YAML_SYNTAX"
    public static let fieldInvalid: Self = "FIELD_INVALID"
    public static let locationDuplicate: Self = "LOCATION_DUPLICATE"
    public static let locationParentUnknown: Self = "LOCATION_PARENT_UNKNOWN"
    public static let locationCycle: Self = "LOCATION_CYCLE"
    public static let locationTypeOrder: Self = "LOCATION_TYPE_ORDER"
    /// A location more levels below its site than ``MasterDataSnapshot/maximumDepth``.
    public static let locationTooDeep: Self = "LOCATION_TOO_DEEP"
    public static let glnDuplicate: Self = "GLN_DUPLICATE"
    public static let aliasLocationUnknown: Self = "ALIAS_LOCATION_UNKNOWN"
    public static let aliasWrongSite: Self = "ALIAS_WRONG_SITE"
    public static let aliasDuplicate: Self = "ALIAS_DUPLICATE"
    public static let itemDuplicate: Self = "ITEM_DUPLICATE"
    public static let gtinDuplicate: Self = "GTIN_DUPLICATE"
    public static let partnerDuplicate: Self = "PARTNER_DUPLICATE"
    public static let partnerIdentifierDuplicate: Self = "PARTNER_IDENTIFIER_DUPLICATE"
    public static let partnerSiteUnknown: Self = "PARTNER_SITE_UNKNOWN"
    public static let codeTargetUnknown: Self = "CODE_TARGET_UNKNOWN"

    /// Every code above: what a partner profile's `severity:` may name.
    public static let known: Set<DiagnosticCode> = [
        .uomUnknown, .uomNotConvertible, .uomFractionalBase, .quantityInvalid, .locationUnknown, .locationWrongSite,
        .locationWrongType, .locationNotLeaf, .glnUnknown, .checkDigit, .x12Syntax, .x12Envelope, .edifactSyntax,
        .gs1AIInvalid, .jsonInvalid, .stateTransitionInvalid, .partnerUnknown, .partnerMismatch, .codeUnmapped,
        .messageTooLarge, .messageEmpty, .findingsOmitted, .headerInvalid, .sourceMismatch, .timeZoneUnknown, .timeFromRecorded, .dateInvalid, .weightUnqualified, .fieldNotUsed, .valueDefaulted,
        .timeAmbiguous, .centuryAssumed, .valueConflict, .hashTotal, .edifactEnvelope, .lotMissing, .expiryMissing,
        .serialMissing, .scanLate, .scanInFuture, .itemUnknown, .partnerFormat, .yamlSyntax, .fieldInvalid, .locationDuplicate,
        .locationParentUnknown, .locationCycle, .locationTypeOrder, .locationTooDeep, .glnDuplicate, .aliasLocationUnknown,
        .aliasWrongSite, .aliasDuplicate, .itemDuplicate, .gtinDuplicate, .partnerDuplicate,
        .partnerIdentifierDuplicate, .partnerSiteUnknown, .codeTargetUnknown,
    ]
}

// Stored optionals are spelled `Optional<T>` so that initialisers move their arguments into place
// (see `Item`).
/// One finding about an input or master-data record: what, how bad, and where.
public struct Diagnostic: Error, Sendable, Hashable, Codable {
    public var severity: Severity
    public var code: DiagnosticCode
    public var message: String
    /// Where it happened, in the input's own terms: `ST 0001 / segment 14 SN1 / element 03`, a
    /// JSON pointer, or `file.yaml:12`.
    public var location: Optional<String>

    public init(severity: Severity, code: DiagnosticCode, message: String, location: String? = nil) {
        self.severity = severity
        self.code = code
        self.message = message
        self.location = location
    }

    public static func error(_ code: DiagnosticCode, _ message: String, at location: String? = nil) -> Self {
        Self(severity: .error, code: code, message: message, location: location)
    }

    public static func warning(_ code: DiagnosticCode, _ message: String, at location: String? = nil) -> Self {
        Self(severity: .warning, code: code, message: message, location: location)
    }
}
