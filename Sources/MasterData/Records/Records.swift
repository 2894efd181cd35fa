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
    public var source: SourceLine?

    public init(
        id: String, type: LocationType, parent: String? = nil, role: LocationRole? = nil, gln: String? = nil,
        name: String? = nil, region: String? = nil, operator: String? = nil, source: SourceLine? = nil
    ) {
        self.id = id
        self.type = type
        self.parent = parent
        self.role = role
        self.gln = gln
        self.name = name
        self.region = region
        self.operator = `operator`
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
public struct ItemRecord: Sendable, Hashable {
    public var sku: String
    /// 14 digits, check digit verified.
    public var gtin: String?
    public var description: String?
    /// The unit stock is counted in (an enterprise code).
    public var baseUnit: String
    /// How many base units one of each unit holds, e.g. `CS: 12`.
    public var units: [String: ExactDecimal]
    public var lotControlled: Bool
    public var expiryControlled: Bool
    public var serialized: Bool
    public var weighed: Bool
    /// The UN number when the item is dangerous goods (`UN1993`), or `true` without one.
    public var hazmat: String?
    public var source: SourceLine?

    public init(
        sku: String, gtin: String? = nil, description: String? = nil, baseUnit: String,
        units: [String: ExactDecimal] = [:], lotControlled: Bool = false, expiryControlled: Bool = false,
        serialized: Bool = false, weighed: Bool = false, hazmat: String? = nil, source: SourceLine? = nil
    ) {
        self.sku = sku
        self.gtin = gtin
        self.description = description
        self.baseUnit = baseUnit
        self.units = units
        self.lotControlled = lotControlled
        self.expiryControlled = expiryControlled
        self.serialized = serialized
        self.weighed = weighed
        self.hazmat = hazmat
        self.source = source
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
    // The fields live in one shared, copy-on-write box: a profile is copied out of the snapshot for
    // every record it speaks for, and a copy of twelve fields retained and released each of its
    // strings and tables (3-4 % of the hub's CPU on scans); a copy of the box is one reference.
    private final class Storage: @unchecked Sendable {
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
        var source: SourceLine?

        init(
            partner: String, kind: PartnerKind, name: String?, gln: String?, scac: String?, site: String?,
            identifiers: [String: [String]], formats: [String], codes: [CodeListName: [String: String]],
            severity: [String: Severity], options: [String: String], source: SourceLine?
        ) {
            self.partner = partner
            self.kind = kind
            self.name = name
            self.gln = gln
            self.scac = scac
            self.site = site
            self.identifiers = identifiers
            self.formats = formats
            self.codes = codes
            self.severity = severity
            self.options = options
            self.source = source
        }
    }

    private var storage: Storage

    /// The box to write into: this profile's own (copied first when another profile shares it).
    private var unique: Storage {
        mutating get {
            if !isKnownUniquelyReferenced(&storage) {
                storage = Storage(
                    partner: partner, kind: kind, name: name, gln: gln, scac: scac, site: site, identifiers: identifiers,
                    formats: formats, codes: codes, severity: severity, options: options, source: source)
            }
            return storage
        }
    }

    public var partner: String {
        get { storage.partner }
        set { unique.partner = newValue }
    }
    public var kind: PartnerKind {
        get { storage.kind }
        set { unique.kind = newValue }
    }
    public var name: String? {
        get { storage.name }
        set { unique.name = newValue }
    }
    public var gln: String? {
        get { storage.gln }
        set { unique.gln = newValue }
    }
    public var scac: String? {
        get { storage.scac }
        set { unique.scac = newValue }
    }
    /// Scanner gateways: the site they scan for.
    public var site: String? {
        get { storage.site }
        set { unique.site = newValue }
    }
    /// How the partner identifies itself per format: `x12` (ISA06/GS02), `edifact` (UNB sender),
    /// `json` (the sender field).
    public var identifiers: [String: [String]] {
        get { storage.identifiers }
        set { unique.identifiers = newValue }
    }
    public var formats: [String] {
        get { storage.formats }
        set { unique.formats = newValue }
    }
    /// Per code list, the partner's code to the enterprise code.
    public var codes: [CodeListName: [String: String]] {
        get { storage.codes }
        set { unique.codes = newValue }
    }
    /// Per diagnostic code, a lowered severity for this partner (real partners get envelope counts
    /// wrong): `severity: {X12_ENVELOPE: warning}`.
    public var severity: [String: Severity] {
        get { storage.severity }
        set { unique.severity = newValue }
    }
    /// Options adapters read (for example `permitUnknownAIs: true`).
    public var options: [String: String] {
        get { storage.options }
        set { unique.options = newValue }
    }
    public var source: SourceLine? {
        get { storage.source }
        set { unique.source = newValue }
    }

    public init(
        partner: String, kind: PartnerKind, name: String? = nil, gln: String? = nil, scac: String? = nil,
        site: String? = nil, identifiers: [String: [String]] = [:], formats: [String] = [],
        codes: [CodeListName: [String: String]] = [:], severity: [String: Severity] = [:],
        options: [String: String] = [:], source: SourceLine? = nil
    ) {
        storage = Storage(
            partner: partner, kind: kind, name: name, gln: gln, scac: scac, site: site, identifiers: identifiers,
            formats: formats, codes: codes, severity: severity, options: options, source: source)
    }

    public static func == (left: PartnerProfile, right: PartnerProfile) -> Bool {
        if left.storage === right.storage { return true }
        return left.partner == right.partner && left.kind == right.kind && left.name == right.name && left.gln == right.gln && left.scac == right.scac && left.site == right.site
            && left.identifiers == right.identifiers && left.formats == right.formats && left.codes == right.codes && left.severity == right.severity && left.options == right.options && left.source == right.source
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(partner)
        hasher.combine(kind)
        hasher.combine(name)
        hasher.combine(gln)
        hasher.combine(scac)
        hasher.combine(site)
        hasher.combine(identifiers)
        hasher.combine(formats)
        hasher.combine(codes)
        hasher.combine(severity)
        hasher.combine(options)
        hasher.combine(source)
    }

    /// Printed as its fields, as before they moved into the box.
    public var customMirror: Mirror {
        Mirror(
            self,
            children: [
                "partner": partner, "kind": kind, "name": name as Any, "gln": gln as Any, "scac": scac as Any, "site": site as Any,
                "identifiers": identifiers, "formats": formats, "codes": codes, "severity": severity, "options": options,
                "source": source as Any,
            ],
            displayStyle: .struct)
    }

    /// The partner's map for one code list (empty when it has none).
    public func codes(_ list: CodeListName) -> [String: String] { codes[list] ?? [:] }
}
