/// Every diagnostic code, in one place: its spelling (a contract users script against; never
/// changed, only added to), what it is for, the pipeline stage that usually reports it, and what it
/// means. `crossdock codes` prints this table; the code list of docs/canonical-model.md and the
/// code descriptions of Schemas/ are generated from it (scripts/generate-code-docs), and a test
/// fails while they disagree.
extension DiagnosticCode {
    /// What a code is for.
    public enum Kind: String, Sendable, CaseIterable {
        /// An error: the document is rejected (unless a partner profile lowers its severity).
        case rejection
        /// A warning: the event flows, the warning travels with it.
        case warning
        /// Information only.
        case information
        /// A finding of `crossdock masterdata check` about the master data itself.
        case masterData = "master-data"
    }

    public struct Entry: Sendable {
        public let code: DiagnosticCode
        public let kind: Kind
        /// The stage that usually reports it (rejections).
        public let stage: RejectionStage?
        public let meaning: String
    }

    public static let messageTooLarge: Self = "MESSAGE_TOO_LARGE"
    public static let messageEmpty: Self = "MESSAGE_EMPTY"
    public static let headerInvalid: Self = "HEADER_INVALID"
    public static let sourceMismatch: Self = "SOURCE_MISMATCH"
    public static let x12Syntax: Self = "X12_SYNTAX"
    public static let x12Envelope: Self = "X12_ENVELOPE"
    public static let edifactSyntax: Self = "EDIFACT_SYNTAX"
    public static let edifactEnvelope: Self = "EDIFACT_ENVELOPE"
    public static let jsonInvalid: Self = "JSON_INVALID"
    public static let gs1AIInvalid: Self = "GS1_AI_INVALID"
    public static let dateInvalid: Self = "DATE_INVALID"
    public static let partnerUnknown: Self = "PARTNER_UNKNOWN"
    public static let partnerMismatch: Self = "PARTNER_MISMATCH"
    public static let partnerFormat: Self = "PARTNER_FORMAT"
    public static let codeUnmapped: Self = "CODE_UNMAPPED"
    public static let itemUnknown: Self = "ITEM_UNKNOWN"
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
    public static let stateTransitionInvalid: Self = "STATE_TRANSITION_INVALID"
    public static let valueConflict: Self = "VALUE_CONFLICT"
    public static let findingsOmitted: Self = "FINDINGS_OMITTED"
    public static let hashTotal: Self = "HASH_TOTAL"
    public static let timeZoneUnknown: Self = "TIME_ZONE_UNKNOWN"
    public static let timeFromRecorded: Self = "TIME_FROM_RECORDED"
    public static let timeAmbiguous: Self = "TIME_AMBIGUOUS"
    public static let centuryAssumed: Self = "CENTURY_ASSUMED"
    public static let valueDefaulted: Self = "VALUE_DEFAULTED"
    public static let weightUnqualified: Self = "WEIGHT_UNQUALIFIED"
    public static let fieldNotUsed: Self = "FIELD_NOT_USED"
    public static let lotMissing: Self = "LOT_MISSING"
    public static let expiryMissing: Self = "EXPIRY_MISSING"
    public static let serialMissing: Self = "SERIAL_MISSING"
    public static let scanLate: Self = "SCAN_LATE"
    public static let scanInFuture: Self = "SCAN_IN_FUTURE"
    public static let reconciliationTruncated: Self = "RECONCILIATION_TRUNCATED"
    public static let yamlSyntax: Self = "YAML_SYNTAX"
    public static let fieldInvalid: Self = "FIELD_INVALID"
    public static let locationDuplicate: Self = "LOCATION_DUPLICATE"
    public static let locationParentUnknown: Self = "LOCATION_PARENT_UNKNOWN"
    public static let locationCycle: Self = "LOCATION_CYCLE"
    public static let locationTypeOrder: Self = "LOCATION_TYPE_ORDER"
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

    /// The table, in the order of the documentation: rejections by stage, then warnings,
    /// information and master-data findings.
    public static let catalog: [Entry] = [
        Entry(code: .messageTooLarge, kind: .rejection, stage: .decode, meaning: "The record is larger than maxRecordBytes (or, as a JSON input, holds more than 1,000,000 values, or a scan batch more than 100,000 scans); or a canonical event is larger than maxOutputBytes; or an X12 transaction set has more than 1,000,000 segments; or a carrier message has more than 10,000 statuses, or its statuses would carry more than 100,000 references in all (each carries its message's and its consignment's), or repeat more than 10 MiB of its tracking numbers, shipment references and references in all."),
        Entry(code: .messageEmpty, kind: .rejection, stage: .decode, meaning: "The record has no value (a null value, or zero bytes)."),
        Entry(code: .headerInvalid, kind: .rejection, stage: .decode, meaning: "A transport header Crossdock reads (crossdock-partner) is not UTF-8 text, or is empty."),
        Entry(code: .sourceMismatch, kind: .rejection, stage: .decode, meaning: "The record is plainly another kind of input (ship notice, scan, carrier status) than its raw topic's route or normalize --source says."),
        Entry(code: .x12Syntax, kind: .rejection, stage: .parse, meaning: "X12 that cannot be read: no ISA, a cut-short segment, set or interchange, a segment outside a set; also a record that is neither X12, EDIFACT nor JSON on an EDI topic."),
        Entry(code: .x12Envelope, kind: .rejection, stage: .parse, meaning: "X12 envelope counts, control numbers or nesting that do not match (SE01, GE01, IEA01, SE02/ST02, duplicate ST02); a set of a type the source does not take. A profile can lower it to a warning."),
        Entry(code: .edifactSyntax, kind: .rejection, stage: .parse, meaning: "EDIFACT that cannot be read: no UNB, a segment outside a message, a cut-short message or interchange."),
        Entry(code: .edifactEnvelope, kind: .rejection, stage: .parse, meaning: "EDIFACT envelope counts and references (UNT, UNE, UNZ) that do not match; a message of a type the source does not take. A profile can lower it to a warning."),
        Entry(code: .jsonInvalid, kind: .rejection, stage: .parse, meaning: "JSON that does not parse, or does not have the input format's shape (an unknown member, a missing one, a wrong type)."),
        Entry(code: .gs1AIInvalid, kind: .rejection, stage: .parse, meaning: "A GS1 element string or Digital Link that does not follow the GS1 syntax (an unknown AI, a wrong length or character set)."),
        Entry(code: .dateInvalid, kind: .rejection, stage: .parse, meaning: "A date or time that does not exist (month 13, 30 February, 25:61), once its century is known."),
        Entry(code: .partnerUnknown, kind: .rejection, stage: .map, meaning: "The sender matches no partner profile."),
        Entry(code: .partnerMismatch, kind: .rejection, stage: .map, meaning: "The document names another sender than the transport says (the crossdock-partner header, or a raw topic that belongs to one partner); or two crossdock-partner headers."),
        Entry(code: .partnerFormat, kind: .rejection, stage: .map, meaning: "The partner's profile does not send this kind or format of document."),
        Entry(code: .codeUnmapped, kind: .rejection, stage: .map, meaning: "A code (action, status, qualifier, purpose) that neither the standard's table nor the partner's profile maps."),
        Entry(code: .itemUnknown, kind: .rejection, stage: .validate, meaning: "An item the document names (GTIN or supplier item) is not in master data."),
        Entry(code: .uomUnknown, kind: .rejection, stage: .validate, meaning: "A unit of measure that is not a known code and has no partner mapping."),
        Entry(code: .uomNotConvertible, kind: .rejection, stage: .validate, meaning: "A quantity whose unit cannot be converted to the item's base unit."),
        Entry(code: .uomFractionalBase, kind: .rejection, stage: .validate, meaning: "A quantity that would be a fraction of a base unit that is counted in whole pieces."),
        Entry(code: .quantityInvalid, kind: .rejection, stage: .validate, meaning: "A quantity that is not a positive number Crossdock can keep exactly."),
        Entry(code: .locationUnknown, kind: .rejection, stage: .validate, meaning: "A location that is neither an enterprise location id nor an alias at the site."),
        Entry(code: .locationWrongSite, kind: .rejection, stage: .validate, meaning: "A location, or a claimed site, of another site than the sender's."),
        Entry(code: .locationWrongType, kind: .rejection, stage: .validate, meaning: "A location whose type or role the step does not allow (a putaway to a dock)."),
        Entry(code: .locationNotLeaf, kind: .rejection, stage: .validate, meaning: "A location that holds other locations where a storage place is needed."),
        Entry(code: .glnUnknown, kind: .rejection, stage: .validate, meaning: "A GLN (ship-to, party) that is no site of the network."),
        Entry(code: .checkDigit, kind: .rejection, stage: .validate, meaning: "A GS1 key (GTIN, SSCC, GLN) whose check digit is wrong, or that is not of its form."),
        Entry(code: .stateTransitionInvalid, kind: .rejection, stage: .validate, meaning: "A step the inventory state machine does not allow from the stock's state."),
        Entry(code: .valueConflict, kind: .rejection, stage: .validate, meaning: "The document states two values for one field, or contradicts itself (a handling unit inside itself)."),
        Entry(code: .findingsOmitted, kind: .information, stage: nil, meaning: "A document had more than 1,000 findings; the message says how many more are not listed."),
        Entry(code: .hashTotal, kind: .warning, stage: nil, meaning: "A control total (X12 CTT, EDIFACT CNT) that does not match the document."),
        Entry(code: .timeZoneUnknown, kind: .warning, stage: nil, meaning: "A time sent without a UTC offset where neither the site nor the partner has a timeZone: kept as local time (the ...Local field), no instant made up."),
        Entry(code: .timeFromRecorded, kind: .warning, stage: nil, meaning: "The document states no instant for the event, so its time is its recordedtime."),
        Entry(code: .timeAmbiguous, kind: .warning, stage: nil, meaning: "A local time in a daylight-saving change (it occurs twice, or never); the message says which instant was chosen."),
        Entry(code: .centuryAssumed, kind: .warning, stage: nil, meaning: "A six-digit date's century was placed by the sliding window around the processing year."),
        Entry(code: .valueDefaulted, kind: .warning, stage: nil, meaning: "A value the sender left out was read as the standard says it defaults."),
        Entry(code: .weightUnqualified, kind: .warning, stage: nil, meaning: "A weight whose qualifier says neither gross nor net, left out."),
        Entry(code: .fieldNotUsed, kind: .warning, stage: nil, meaning: "A value not of its element's form, not used (a TD503 that is no SCAC)."),
        Entry(code: .lotMissing, kind: .warning, stage: nil, meaning: "A lot-controlled item scanned without a lot."),
        Entry(code: .expiryMissing, kind: .warning, stage: nil, meaning: "An expiry-controlled item scanned without an expiry date."),
        Entry(code: .serialMissing, kind: .warning, stage: nil, meaning: "A serialized item scanned without a serial number."),
        Entry(code: .scanLate, kind: .warning, stage: nil, meaning: "A scan that reached the hub more than 15 minutes after it was taken; the message says by how much."),
        Entry(code: .scanInFuture, kind: .warning, stage: nil, meaning: "A scan dated more than 5 minutes after it reached the hub (a scanner clock is wrong); its time is kept as sent."),
        Entry(code: .reconciliationTruncated, kind: .warning, stage: nil, meaning: "A receipt reconciliation left out scans beyond the most one shipment keeps (10,000); they stay on the canonical topic."),
        Entry(code: .yamlSyntax, kind: .masterData, stage: nil, meaning: "A master-data file that is not YAML, is empty, nests more than 64 levels, or gives a key twice in one mapping."),
        Entry(code: .fieldInvalid, kind: .masterData, stage: nil, meaning: "A master-data field that is unknown, missing or not of its form."),
        Entry(code: .locationDuplicate, kind: .masterData, stage: nil, meaning: "Two locations with one id."),
        Entry(code: .locationParentUnknown, kind: .masterData, stage: nil, meaning: "A location whose parent does not exist."),
        Entry(code: .locationCycle, kind: .masterData, stage: nil, meaning: "Locations whose parents form a cycle."),
        Entry(code: .locationTypeOrder, kind: .masterData, stage: nil, meaning: "A location inside one of a type it cannot be in (site > zone > aisle > bay > bin)."),
        Entry(code: .locationTooDeep, kind: .masterData, stage: nil, meaning: "A location more than 15 levels below its site."),
        Entry(code: .glnDuplicate, kind: .masterData, stage: nil, meaning: "Two locations with one GLN."),
        Entry(code: .aliasLocationUnknown, kind: .masterData, stage: nil, meaning: "An alias of a location that does not exist."),
        Entry(code: .aliasWrongSite, kind: .masterData, stage: nil, meaning: "An alias whose location belongs to another site."),
        Entry(code: .aliasDuplicate, kind: .masterData, stage: nil, meaning: "Two aliases with one code at one site."),
        Entry(code: .itemDuplicate, kind: .masterData, stage: nil, meaning: "Two items with one sku."),
        Entry(code: .gtinDuplicate, kind: .masterData, stage: nil, meaning: "Two items with one GTIN."),
        Entry(code: .partnerDuplicate, kind: .masterData, stage: nil, meaning: "Two partner profiles with one id."),
        Entry(code: .partnerIdentifierDuplicate, kind: .masterData, stage: nil, meaning: "Two partner profiles that claim one sender identifier in one format."),
        Entry(code: .partnerSiteUnknown, kind: .masterData, stage: nil, meaning: "A partner profile whose site is not a site."),
        Entry(code: .codeTargetUnknown, kind: .masterData, stage: nil, meaning: "A partner code map whose target (item, location, code) does not exist."),
    ]

    /// Every code: what a partner profile's `severity:` may name.
    public static let known: Set<DiagnosticCode> = Set(catalog.map(\.code))

    /// The entry of a code, if it is one of Crossdock's.
    public var entry: Entry? { Self.catalog.first { $0.code == self } }
}
