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
public struct PartnerProfile: Sendable, Hashable {
    public var partner: String
    public var kind: PartnerKind
    public var name: String?
    public var gln: String?
    public var scac: String?
    /// Scanner gateways: the site they scan for.
    public var site: String?
    /// How the partner identifies itself per format: `x12` (ISA06/GS02), `edifact` (UNB sender),
    /// `json` (the sender field).
    public var identifiers: [String: [String]]
    public var formats: [String]
    /// Per code list, the partner's code to the enterprise code.
    public var codes: [CodeListName: [String: String]]
    /// Per diagnostic code, a lowered severity for this partner (real partners get envelope counts
    /// wrong): `severity: {X12_ENVELOPE: warning}`.
    public var severity: [String: Severity]
    /// Options adapters read (for example `permitUnknownAIs: true`).
    public var options: [String: String]
    public var source: SourceLine?

    public init(
        partner: String, kind: PartnerKind, name: String? = nil, gln: String? = nil, scac: String? = nil,
        site: String? = nil, identifiers: [String: [String]] = [:], formats: [String] = [],
        codes: [CodeListName: [String: String]] = [:], severity: [String: Severity] = [:],
        options: [String: String] = [:], source: SourceLine? = nil
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

    /// The partner's map for one code list (empty when it has none).
    public func codes(_ list: CodeListName) -> [String: String] { codes[list] ?? [:] }
}
