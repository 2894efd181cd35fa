import Foundation
public import Model

/// An immutable, validated view of all master data: locations with their hierarchy, aliases,
/// items and partner profiles, indexed for the lookups the adapters make per record.
///
/// Build one with ``build(locations:aliases:items:partners:)``; every problem found is in
/// ``diagnostics`` (all of them, not just the first). Snapshots are values: the live store swaps
/// in a new one on update, so readers never lock.
public struct MasterDataSnapshot: Sendable {
    public let locations: [String: LocationRecord]
    public let aliases: [AliasRecord]
    public let items: [String: ItemRecord]
    public let partners: [String: PartnerProfile]
    /// Every problem found while building, errors and warnings.
    public internal(set) var diagnostics: [Diagnostic]

    private let resolved: [String: Location]
    private let hasChildren: Set<String>
    private let aliasIndex: [SiteCode: String]
    private let siteByGLN: [String: String]
    /// Items by GTIN-14, the records themselves (one lookup per line of a ship notice).
    private let itemsByGTIN: [String: ItemRecord]
    private let partnerByIdentifier: [FormatIdentifier: String]
    /// Partners by the identifier part of their qualified identifiers (`ZZ:ACME` → `ACME`), for
    /// group senders, which carry no qualifier.
    private let partnerByBareIdentifier: [FormatIdentifier: String]

    struct SiteCode: Hashable {
        var site: String
        var code: String
    }

    struct FormatIdentifier: Hashable {
        var format: String
        var identifier: String
    }

    public var hasErrors: Bool { diagnostics.contains { $0.severity == .error } }

    public static let empty = build(locations: [], aliases: [], items: [], partners: [])

    // MARK: Lookups

    /// An enterprise location by id, resolved (site, path, effective role).
    public func location(id: String) -> Location? { resolved[id] }

    /// A location as a message names it: an enterprise id, or an alias of `site`.
    public func location(code: String, site: String?) -> Location? {
        if let location = resolved[code] { return location }
        guard let site, let id = aliasIndex[SiteCode(site: site, code: code)] else { return nil }
        return resolved[id]
    }

    /// Whether stock can be placed on the location itself (it has no child locations).
    public func isLeaf(_ id: String) -> Bool { !hasChildren.contains(id) }

    /// The site with this GLN.
    public func site(gln: String) -> Location? { siteByGLN[gln].flatMap { resolved[$0] } }

    public func item(sku: String) -> ItemRecord? { items[sku] }

    /// An item by GTIN (any length; normalised to 14 digits).
    public func item(gtin: String) -> ItemRecord? {
        let padded = gtin.utf8.count < 14 ? String(repeating: "0", count: 14 - gtin.utf8.count) + gtin : gtin
        return itemsByGTIN[padded]
    }

    public func partner(id: String) -> PartnerProfile? { partners[id] }

    /// The IANA time zone of a site (`timeZone` in locations.yaml), when it has one.
    public func timeZone(site: String) -> String? { locations[site]?.timeZone }

    /// Whether `identifier` names a time zone of the IANA database as this system has it.
    public static func isTimeZone(_ identifier: String) -> Bool { TimeZone(identifier: identifier) != nil }

    /// The partner that identifies itself with `identifier` in `format` (`x12`, `edifact`, `json`).
    public func partner(identifier: String, format: String) -> PartnerProfile? {
        partnerByIdentifier[FormatIdentifier(format: format, identifier: identifier)].flatMap { partners[$0] }
    }

    /// The partner a group sender (X12 GS02, a UNG sender without qualifier) names: one whose
    /// identifier is this, with or without the qualifier the profile gives the interchange's.
    public func partner(groupIdentifier identifier: String, format: String) -> PartnerProfile? {
        if let exact = partner(identifier: identifier, format: format) { return exact }
        return partnerByBareIdentifier[FormatIdentifier(format: format, identifier: identifier)].flatMap { partners[$0] }
    }

    // MARK: Building

    /// Builds and validates a snapshot. Records with problems are still indexed where that is
    /// safe, so one run reports every problem.
    public static func build(
        locations locationRecords: [LocationRecord], aliases aliasRecords: [AliasRecord], items itemRecords: [ItemRecord],
        partners partnerRecords: [PartnerProfile]
    ) -> MasterDataSnapshot {
        var diagnostics: [Diagnostic] = []
        func error(_ code: DiagnosticCode, _ message: String, _ source: SourceLine?) {
            diagnostics.append(.error(code, message, at: source?.description))
        }

        // Locations: unique ids.
        var locations: [String: LocationRecord] = [:]
        for record in locationRecords {
            if let first = locations[record.id] {
                error(
                    .locationDuplicate,
                    "location id '\(record.id)' is defined twice (first at \(first.source?.description ?? "?"))",
                    record.source)
                continue
            }
            locations[record.id] = record
        }

        // Parents, type order, cycles.
        var hasChildren = Set<String>()
        for record in locationRecords where locations[record.id] == record {
            if record.type == .site {
                if let parent = record.parent {
                    error(.locationTypeOrder, "site '\(record.id)' cannot have a parent ('\(parent)')", record.source)
                }
                continue
            }
            guard let parentID = record.parent else {
                error(.locationParentUnknown, "location '\(record.id)' (\(record.type.rawValue)) has no parent", record.source)
                continue
            }
            guard let parent = locations[parentID] else {
                error(.locationParentUnknown, "location '\(record.id)': parent '\(parentID)' does not exist", record.source)
                continue
            }
            hasChildren.insert(parentID)
            if !typeMayNest(child: record.type, in: parent.type) {
                error(
                    .locationTypeOrder,
                    "location '\(record.id)' is a \(record.type.rawValue) inside a \(parent.type.rawValue) ('\(parentID)'); "
                        + (record.type == .dock
                            ? "a dock sits in a zone" : "a child must be of a later type (site > zone > aisle > bay > bin)"),
                    record.source)
            }
        }
        // Paths from the site down, memoised, each found by walking up from the location (not by
        // recursion: a chain of 10,000 parents must not exhaust the stack); a chain that comes back
        // to itself is a cycle, one deeper than `maximumDepth` levels an error.
        var pathOf: [String: [String]?] = [:]
        var reportedCycles = Set<[String]>()
        func path(_ id: String) -> [String]? {
            if let known = pathOf[id] { return known }
            var chain: [String] = []
            var position: [String: Int] = [:]
            var current = id
            var base: [String]? = nil
            while true {
                if let known = pathOf[current] {
                    base = known
                    break
                }
                if let start = position[current] {
                    let members = Array(chain[start...])
                    if reportedCycles.insert(members.sorted()).inserted {
                        // A long cycle is named by its first members and its length.
                        let shown = members.count <= 12 ? members + [current] : Array(members.prefix(10)) + ["… (\(members.count) locations)"]
                        error(.locationCycle, "locations form a cycle: \(shown.joined(separator: " > "))", locations[current]?.source)
                    }
                    break
                }
                guard let record = locations[current] else { break }
                if record.type == .site {
                    base = [current]
                    pathOf[current] = .some(base)
                    break
                }
                position[current] = chain.count
                chain.append(current)
                guard let parent = record.parent, locations[parent] != nil else { break }
                current = parent
            }
            for member in chain.reversed() {
                var extended = base.map { $0 + [member] }
                if let path = extended, path.count > Self.maximumDepth {
                    error(
                        .locationTooDeep,
                        "location '\(member)' is \(path.count - 1) levels below site '\(path[0])'; at most \(Self.maximumDepth - 1) are allowed",
                        locations[member]?.source)
                    extended = nil
                }
                pathOf[member] = .some(extended)
                base = extended
            }
            return base
        }
        for id in locations.keys.sorted() { _ = path(id) }

        // Effective roles and resolved locations.
        var resolved: [String: Location] = [:]
        for (id, record) in locations {
            guard let path = path(id), let site = path.first else { continue }
            let role = path.reversed().lazy.compactMap { locations[$0]?.role }.first
            resolved[id] = Location(
                id: id, site: site, path: path, type: record.type, role: role,
                gln: record.gln, name: record.name)
        }

        // GLNs: valid and unique; sites by GLN.
        var glnOwner: [String: String] = [:]
        var siteByGLN: [String: String] = [:]
        for record in locationRecords where locations[record.id] == record {
            guard let gln = record.gln else { continue }
            switch GS1Keys.gln(gln, what: "GLN of location '\(record.id)'", at: record.source?.description) {
            case .failure(let diagnostic):
                diagnostics.append(diagnostic)
            case .success(let normalized):
                if let owner = glnOwner[normalized] {
                    error(.glnDuplicate, "GLN \(normalized) of '\(record.id)' is already used by '\(owner)'", record.source)
                } else {
                    glnOwner[normalized] = record.id
                    if record.type == .site { siteByGLN[normalized] = record.id }
                }
            }
        }

        // Time zones: sites only, and a zone of the IANA database.
        for record in locationRecords where locations[record.id] == record {
            guard let zone = record.timeZone else { continue }
            if record.type != .site {
                error(.fieldInvalid, "location '\(record.id)': timeZone is set on sites only", record.source)
            } else if !isTimeZone(zone) {
                error(.fieldInvalid, "location '\(record.id)': timeZone '\(zone)' is not an IANA time zone (such as America/New_York)", record.source)
            }
        }

        // Aliases: to known locations of the same site, unique per site.
        var aliasIndex: [SiteCode: String] = [:]
        for alias in aliasRecords {
            guard let target = resolved[alias.location] else {
                error(
                    .aliasLocationUnknown,
                    "alias '\(alias.code)' of site \(alias.site) points to unknown location '\(alias.location)'",
                    alias.source)
                continue
            }
            guard target.site == alias.site else {
                error(
                    .aliasWrongSite,
                    "alias '\(alias.code)' of site \(alias.site) points to '\(alias.location)' of site \(target.site)",
                    alias.source)
                continue
            }
            let key = SiteCode(site: alias.site, code: alias.code)
            if let existing = aliasIndex[key], existing != alias.location {
                error(
                    .aliasDuplicate,
                    "alias '\(alias.code)' of site \(alias.site) is defined twice ('\(existing)' and '\(alias.location)')",
                    alias.source)
                continue
            }
            aliasIndex[key] = alias.location
        }

        // Items: unique skus and GTINs, known units.
        var items: [String: ItemRecord] = [:]
        var itemsByGTIN: [String: String] = [:]
        for var item in itemRecords {
            if items[item.sku] != nil {
                error(.itemDuplicate, "item sku '\(item.sku)' is defined twice", item.source)
                continue
            }
            if let gtin = item.gtin {
                switch GS1Keys.gtin14(gtin, what: "GTIN of item '\(item.sku)'", at: item.source?.description) {
                case .failure(let diagnostic):
                    diagnostics.append(diagnostic)
                    item.gtin = nil
                case .success(let normalized):
                    item.gtin = normalized
                    if let other = itemsByGTIN[normalized] {
                        error(.gtinDuplicate, "GTIN \(normalized) of '\(item.sku)' is already used by '\(other)'", item.source)
                    } else {
                        itemsByGTIN[normalized] = item.sku
                    }
                }
            }
            if item.baseDimension == nil {
                error(.uomUnknown, "item '\(item.sku)': base unit '\(item.baseUnit)' is not an enterprise unit code", item.source)
            } else if item.baseDimension == .package, item.units[item.baseUnit] != nil {
                error(.fieldInvalid, "item '\(item.sku)': the base unit cannot also be in units", item.source)
            }
            for (unit, amount) in item.units.sorted(by: { $0.key < $1.key }) {
                if UnitsOfMeasure.table[unit] == nil {
                    error(.uomUnknown, "item '\(item.sku)': unit '\(unit)' is not an enterprise unit code", item.source)
                }
                if amount <= .zero {
                    error(.quantityInvalid, "item '\(item.sku)': units.\(unit) must be positive, is \(amount)", item.source)
                }
            }
            items[item.sku] = item
        }

        // Partners: unique ids and identifiers, known sites and code targets.
        var partners: [String: PartnerProfile] = [:]
        var partnerByIdentifier: [FormatIdentifier: String] = [:]
        for profile in partnerRecords {
            if partners[profile.partner] != nil {
                error(.partnerDuplicate, "partner '\(profile.partner)' is defined twice", profile.source)
                continue
            }
            partners[profile.partner] = profile
            for (format, identifiers) in profile.identifiers.sorted(by: { $0.key < $1.key }) {
                for identifier in identifiers {
                    let key = FormatIdentifier(format: format, identifier: identifier)
                    if let other = partnerByIdentifier[key] {
                        error(
                            .partnerIdentifierDuplicate,
                            "\(format) identifier '\(identifier)' of partner '\(profile.partner)' already identifies '\(other)'",
                            profile.source)
                    } else {
                        partnerByIdentifier[key] = profile.partner
                    }
                }
            }
            if let site = profile.site, locations[site]?.type != .site {
                error(.partnerSiteUnknown, "partner '\(profile.partner)': site '\(site)' is not a site", profile.source)
            }
            if let zone = profile.timeZone, !isTimeZone(zone) {
                error(.fieldInvalid, "partner '\(profile.partner)': timeZone '\(zone)' is not an IANA time zone (such as Europe/Berlin)", profile.source)
            }
            if let shipTo = profile.options["shipTo"], locations[shipTo] == nil {
                error(.fieldInvalid, "partner '\(profile.partner)': options.shipTo '\(shipTo)' is not a location", profile.source)
            }
            if profile.kind == .scannerGateway, profile.site == nil {
                error(.fieldInvalid, "scanner gateway '\(profile.partner)' needs a site", profile.source)
            }
            if let gln = profile.gln, case .failure(let diagnostic) = GS1Keys.gln(
                gln, what: "GLN of partner '\(profile.partner)'", at: profile.source?.description)
            {
                diagnostics.append(diagnostic)
            }
            for (list, map) in profile.codes.sorted(by: { $0.key.rawValue < $1.key.rawValue }) {
                for (code, target) in map.sorted(by: { $0.key < $1.key }) {
                    let known: Bool =
                        switch list {
                        case .uom: UnitsOfMeasure.table[target] != nil
                        case .item: itemRecords.contains { $0.sku == target }
                        case .step: InventoryStep(rawValue: target) != nil
                        case .status: CarrierStatusCode(rawValue: target) != nil
                        case .location: locations[target] != nil
                        }
                    if !known {
                        error(
                            .codeTargetUnknown,
                            "partner '\(profile.partner)': codes.\(list.rawValue) maps '\(code)' to unknown \(list.rawValue) '\(target)'",
                            profile.source)
                    }
                }
            }
        }

        // Bare identifiers: where two partners share one, the first by partner id answers.
        var partnerByBareIdentifier: [FormatIdentifier: String] = [:]
        for profile in partners.values.sorted(by: { $0.partner < $1.partner }) {
            for (format, identifiers) in profile.identifiers {
                for written in identifiers where written.contains(":") {
                    let parts = written.split(separator: ":", maxSplits: 1).map(String.init)
                    // X12 writes QUALIFIER:ID, EDIFACT ID:QUALIFIER.
                    guard let bare = format == "x12" ? parts.last : parts.first else { continue }
                    let key = FormatIdentifier(format: format, identifier: bare)
                    if partnerByBareIdentifier[key] == nil { partnerByBareIdentifier[key] = profile.partner }
                }
            }
        }

        return MasterDataSnapshot(
            locations: locations, aliases: aliasRecords, items: items, partners: partners, diagnostics: diagnostics,
            resolved: resolved, hasChildren: hasChildren, aliasIndex: aliasIndex, siteByGLN: siteByGLN,
            itemsByGTIN: itemsByGTIN.compactMapValues { items[$0] }, partnerByIdentifier: partnerByIdentifier,
            partnerByBareIdentifier: partnerByBareIdentifier)
    }

    /// A child's type must come after its parent's (site > zone > aisle > bay > bin); a dock sits
    /// in a zone.
    /// The most levels of a location's path, its site included. Sites hold zones, aisles, bays and
    /// bins (five levels, six with a dock); deeper chains are mistakes, and unbounded ones a way to
    /// make every lookup slow.
    public static let maximumDepth = 16

    static func typeMayNest(child: LocationType, in parent: LocationType) -> Bool {
        if child == .dock { return parent == .zone }
        if parent == .dock { return false }
        func rank(_ type: LocationType) -> Int {
            switch type {
            case .site: 0
            case .zone: 1
            case .aisle: 2
            case .bay: 3
            case .bin, .dock: 4
            }
        }
        return rank(child) > rank(parent)
    }
}
