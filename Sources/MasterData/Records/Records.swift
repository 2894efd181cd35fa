public import Model

/// Where in a master-data file a record was written, for diagnostics (`locations.yaml:12`).
public struct SourceLine: Sendable, Hashable, CustomStringConvertible {
    public var file: String
    public var line: Int?

    public init(file: String, line: Int? = nil) {
        self.file = file
        self.line = line
    }

    public var description: String { line.map { "\(file):\($0)" } ?? file }
}

/// One entry of `locations.yaml` (or one record of `masterdata.locations.v1`).
public struct LocationRecord: Sendable, Hashable {
    public var id: String
    public var type: LocationType
    public var parent: String?
    public var role: LocationRole?
    public var gln: String?
    public var name: String?
    /// Sites only.
    public var region: String?
    /// Sites only: the 3PL partner that operates the site.
    public var `operator`: String?
    /// Sites only: the IANA time zone (`America/New_York`) of times sent without an offset for
    /// something that happens at the site (an ASN's expected arrival).
    public var timeZone: String?
    public var source: SourceLine?

    public init(
        id: String, type: LocationType, parent: String? = nil, role: LocationRole? = nil, gln: String? = nil,
        name: String? = nil, region: String? = nil, operator: String? = nil, timeZone: String? = nil,
        source: SourceLine? = nil
    ) {
        self.id = id
        self.type = type
        self.parent = parent
        self.role = role
        self.gln = gln
        self.name = name
        self.region = region
        self.operator = `operator`
        self.timeZone = timeZone
        self.source = source
    }
}

/// A site-local code for an enterprise location, resolved only within its site.
public struct AliasRecord: Sendable, Hashable {
    public var site: String
    public var code: String
    public var location: String
    public var source: SourceLine?

    public init(site: String, code: String, location: String, source: SourceLine? = nil) {
        self.site = site
        self.code = code
        self.location = location
        self.source = source
    }
}

/// One entry of `items.yaml` (or one record of `masterdata.items.v1`).
public struct ItemRecord: Sendable, Hashable, CustomReflectable {
    struct Fields: Sendable, Hashable {
        var sku: String
        var gtin: String?
        var description: String?
        var baseUnit: String {
            didSet { baseDimension = UnitsOfMeasure.table[baseUnit]?.dimension }
        }
        /// The base unit's dimension, looked up once (every conversion to the base asks for it).
        var baseDimension: UnitDimension?
        var units: [String: ExactDecimal] {
            didSet { unitFactors = UnitFactor.list(units) }
        }
        /// The same as a list: an item has a few units, and comparing a code with each is
        /// cheaper than hashing it (once for every ship-notice line and scan with a quantity).
        var unitFactors: [UnitFactor]
        var lotControlled: Bool
        var expiryControlled: Bool
        var serialized: Bool
        var weighed: Bool
        var hazmat: String?
        var source: SourceLine?
    }

    struct UnitFactor: Sendable, Hashable {
        var unit: String
        var perUnit: ExactDecimal

        /// The factors of a unit table, for the record's initialiser and its `units` setter.
        static func list(_ units: [String: ExactDecimal]) -> [UnitFactor] {
            units.map { UnitFactor(unit: $0.key, perUnit: $0.value) }
        }
    }

    // A record is copied for every line and scan that names its item, and a copy of the eleven
    // fields retained and released each of its strings and its unit table; a copy of the box is
    // one reference.
    private var fields: CopyOnWrite<Fields>

    public var sku: String {
        get { fields.value.sku }
        set { fields.value.sku = newValue }
    }
    /// 14 digits, check digit verified.
    public var gtin: String? {
        get { fields.value.gtin }
        set { fields.value.gtin = newValue }
    }
    public var description: String? {
        get { fields.value.description }
        set { fields.value.description = newValue }
    }
    /// The unit stock is counted in (an enterprise code).
    public var baseUnit: String {
        get { fields.value.baseUnit }
        set { fields.value.baseUnit = newValue }
    }
    /// The base unit's dimension in the unit table (nil for a code the table does not know).
    public var baseDimension: UnitDimension? { fields.value.baseDimension }
    /// How many base units one of each unit holds, e.g. `CS: 12`.
    public var units: [String: ExactDecimal] {
        get { fields.value.units }
        set { fields.value.units = newValue }
    }
    /// How many base units one `unit` holds, when it is one of `units`.
    public func perUnit(_ unit: String) -> ExactDecimal? {
        for factor in fields.value.unitFactors where factor.unit == unit { return factor.perUnit }
        return nil
    }
    public var lotControlled: Bool {
        get { fields.value.lotControlled }
        set { fields.value.lotControlled = newValue }
    }
    public var expiryControlled: Bool {
        get { fields.value.expiryControlled }
        set { fields.value.expiryControlled = newValue }
    }
    public var serialized: Bool {
        get { fields.value.serialized }
        set { fields.value.serialized = newValue }
    }
    public var weighed: Bool {
        get { fields.value.weighed }
        set { fields.value.weighed = newValue }
    }
    /// The UN number when the item is dangerous goods (`UN1993`), or `true` without one.
    public var hazmat: String? {
        get { fields.value.hazmat }
        set { fields.value.hazmat = newValue }
    }
    public var source: SourceLine? {
        get { fields.value.source }
        set { fields.value.source = newValue }
    }

    public init(
        sku: String, gtin: String? = nil, description: String? = nil, baseUnit: String,
        units: [String: ExactDecimal] = [:], lotControlled: Bool = false, expiryControlled: Bool = false,
        serialized: Bool = false, weighed: Bool = false, hazmat: String? = nil, source: SourceLine? = nil
    ) {
        fields = CopyOnWrite(
            Fields(
                sku: sku, gtin: gtin, description: description, baseUnit: baseUnit,
                baseDimension: UnitsOfMeasure.table[baseUnit]?.dimension, units: units,
                unitFactors: UnitFactor.list(units), lotControlled: lotControlled,
                expiryControlled: expiryControlled, serialized: serialized, weighed: weighed, hazmat: hazmat, source: source))
    }

    public var customMirror: Mirror {
        Mirror(self, children: Mirror(reflecting: fields.value).children, displayStyle: .struct)
    }
}

/// What kind of partner a profile describes.
public enum PartnerKind: String, Sendable, Hashable, CaseIterable {
    case supplier, carrier
    case scannerGateway = "scanner-gateway"
    case thirdPartyLogistics = "3pl"
}

/// The code lists a partner profile can map (`codes:` in the profile).
public enum CodeListName: String, Sendable, Hashable, CaseIterable {
    case uom, item, step, status, location
}

/// A partner profile (`partners/*.yaml`): who the partner is, how it appears in envelopes, and
/// how its codes map to enterprise codes.
public struct PartnerProfile: Sendable, Hashable, CustomReflectable {
    struct Fields: Sendable, Hashable {
        var partner: String
        var kind: PartnerKind
        var name: String?
        var gln: String?
        var scac: String?
        var site: String?
        var identifiers: [String: [String]]
        var formats: [String]
        var codes: [CodeListName: [String: String]]
        var severity: [String: Severity]
        var options: [String: String]
        var timeZone: String?
        var acknowledgments: [String: String] = [:]
        var tolerances: ReceivingTolerances = ReceivingTolerances()
        var source: SourceLine?
    }

    // A profile is copied out of the snapshot for every record it speaks for, and a copy of the
    // twelve fields would retain and release each of its strings and tables; a copy of the box is
    // one reference.
    private var fields: CopyOnWrite<Fields>

    public var partner: String {
        get { fields.value.partner }
        set { fields.value.partner = newValue }
    }
    public var kind: PartnerKind {
        get { fields.value.kind }
        set { fields.value.kind = newValue }
    }
    public var name: String? {
        get { fields.value.name }
        set { fields.value.name = newValue }
    }
    public var gln: String? {
        get { fields.value.gln }
        set { fields.value.gln = newValue }
    }
    public var scac: String? {
        get { fields.value.scac }
        set { fields.value.scac = newValue }
    }
    /// Scanner gateways: the site they scan for.
    public var site: String? {
        get { fields.value.site }
        set { fields.value.site = newValue }
    }
    /// How the partner identifies itself per format: `x12` (ISA06/GS02), `edifact` (UNB sender),
    /// `json` (the sender field).
    public var identifiers: [String: [String]] {
        get { fields.value.identifiers }
        set { fields.value.identifiers = newValue }
    }
    public var formats: [String] {
        get { fields.value.formats }
        set { fields.value.formats = newValue }
    }
    /// Per code list, the partner's code to the enterprise code.
    public var codes: [CodeListName: [String: String]] {
        get { fields.value.codes }
        set { fields.value.codes = newValue }
    }
    /// Per diagnostic code, a lowered severity for this partner (real partners get envelope counts
    /// wrong): `severity: {X12_ENVELOPE: warning}`.
    public var severity: [String: Severity] {
        get { fields.value.severity }
        set { fields.value.severity = newValue }
    }
    /// Options adapters read (for example `permitUnknownAIs: true`).
    public var options: [String: String] {
        get { fields.value.options }
        set { fields.value.options = newValue }
    }
    /// The IANA time zone of the times this partner sends without an offset (X12 `LT` or no time
    /// code, EDIFACT 203/204), for a partner that works in one zone; none for one that spans
    /// several (their local times are then kept as sent, with `TIME_ZONE_UNKNOWN`).
    public var timeZone: String? {
        get { fields.value.timeZone }
        set { fields.value.timeZone = newValue }
    }
    /// What acknowledgments the partner gets (`acknowledgments:` in its profile): `x12` (997 or
    /// none), `ta1` (on-error, always, never), `detail` (group, set, element), `edifact` (contrl or
    /// none); a setting not given takes its default (``acknowledgmentDefaults``).
    public var acknowledgments: [String: String] {
        get { fields.value.acknowledgments }
        set { fields.value.acknowledgments = newValue }
    }
    /// How far a receipt may differ from the supplier's ship notice and still be exact
    /// (`receiving:` in its profile); none by default.
    public var tolerances: ReceivingTolerances {
        get { fields.value.tolerances }
        set { fields.value.tolerances = newValue }
    }
    public var source: SourceLine? {
        get { fields.value.source }
        set { fields.value.source = newValue }
    }

    public init(
        partner: String, kind: PartnerKind, name: String? = nil, gln: String? = nil, scac: String? = nil,
        site: String? = nil, identifiers: [String: [String]] = [:], formats: [String] = [],
        codes: [CodeListName: [String: String]] = [:], severity: [String: Severity] = [:],
        options: [String: String] = [:], timeZone: String? = nil, source: SourceLine? = nil
    ) {
        fields = CopyOnWrite(
            Fields(
                partner: partner, kind: kind, name: name, gln: gln, scac: scac, site: site, identifiers: identifiers,
                formats: formats, codes: codes, severity: severity, options: options, timeZone: timeZone, source: source))
    }

    /// Printed as its fields, as before they moved into the box.
    public var customMirror: Mirror {
        Mirror(self, children: Mirror(reflecting: fields.value).children, displayStyle: .struct)
    }

    /// The formats `identifiers:` can name.
    public static let identifierFormats: Set<String> = ["x12", "edifact", "json"]

    /// The document formats `formats:` can name (`json-carrier` is the tracking JSON's other name).
    public static let formatNames: Set<String> = [
        "x12-856", "x12-214", "edifact-desadv", "edifact-iftsta", "json-asn", "json-scan", "json-tracking", "json-carrier",
    ]

    /// The options adapters read, each with its allowed values (nil: any text, checked elsewhere).
    /// `shipTo`: the site a ship notice goes to when it names no ship-to party (a location id);
    /// `permitUnknownAIs`: scans may carry GS1 AIs the syntax dictionary does not know;
    /// `x12AlternateTerminators`: further bytes that end X12 segments (a partner mixing `~` into `$`).
    public static let options: [String: Set<String>?] = [
        "shipTo": nil, "permitUnknownAIs": ["true", "false"], "x12AlternateTerminators": nil,
    ]

    /// The settings `acknowledgments:` can give, each with its values; the first is the default
    /// (`contrl` for EDIFACT means: when the interchange asks for it, UNB 0031 = 1).
    public static let acknowledgmentSettings: [String: [String]] = [
        "x12": ["997", "none"], "ta1": ["on-error", "always", "never"], "detail": ["element", "set", "group"],
        "edifact": ["contrl", "always", "none"],
    ]

    /// The settings `receiving:` can give: percentages of the announced quantity.
    public static let receivingSettings = ["overTolerancePercent", "underTolerancePercent"]

    /// A setting of ``acknowledgments``, or its default.
    public func acknowledgment(_ setting: String) -> String {
        acknowledgments[setting] ?? Self.acknowledgmentSettings[setting]?.first ?? ""
    }

    /// The partner's map for one code list (empty when it has none).
    public func codes(_ list: CodeListName) -> [String: String] { codes[list] ?? [:] }
}

/// A supplier's receiving tolerances: a line whose received base quantity is within these
/// percentages of the announced one is not over- or short-shipped (SAP EWM and Dynamics call
/// them over- and under-delivery tolerances).
public struct ReceivingTolerances: Sendable, Hashable {
    public var overPercent: ExactDecimal
    public var underPercent: ExactDecimal

    public init(overPercent: ExactDecimal = .zero, underPercent: ExactDecimal = .zero) {
        self.overPercent = overPercent
        self.underPercent = underPercent
    }
}
