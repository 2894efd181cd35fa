import Model

/// Builds a ``MasterDataSnapshot`` phase by phase: locations and their hierarchy, GLNs and time
/// zones, aliases, items, partners. Every problem is collected in ``diagnostics``.
struct SnapshotBuilder {
    typealias SiteCode = MasterDataSnapshot.SiteCode
    typealias FormatIdentifier = MasterDataSnapshot.FormatIdentifier

    let records: [LocationRecord]
    /// Locations by id, the first of each id.
    private(set) var locations: [String: LocationRecord] = [:]
    private(set) var diagnostics: [Diagnostic] = []
    /// Paths from the site down, as far as found (nil for a location with no path to a site).
    private var pathOf: [String: [String]?] = [:]
    private var reportedCycles = Set<[String]>()

    /// Locations: unique ids.
    init(locations records: [LocationRecord]) {
        self.records = records
        for record in records {
            if let first = locations[record.id] {
                error(
                    .locationDuplicate,
                    "location id '\(record.id)' is defined twice (first at \(first.source?.description ?? "?"))",
                    record.source)
                continue
            }
            locations[record.id] = record
        }
    }

    mutating func error(_ code: DiagnosticCode, _ message: String, _ source: SourceLine?) {
        diagnostics.append(.error(code, message, at: source?.description))
    }

    /// The records kept, each id's first.
    private var kept: some Sequence<LocationRecord> { records.lazy.filter { locations[$0.id] == $0 } }

    /// Parents and type order; the ids that have children.
    mutating func checkParents() -> Set<String> {
        var hasChildren = Set<String>()
        for record in kept {
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
            if !MasterDataSnapshot.typeMayNest(child: record.type, in: parent.type) {
                error(
                    .locationTypeOrder,
                    "location '\(record.id)' is a \(record.type.rawValue) inside a \(parent.type.rawValue) ('\(parentID)'); "
                        + (record.type == .dock
                            ? "a dock sits in a zone" : "a child must be of a later type (site > zone > aisle > bay > bin)"),
                    record.source)
            }
        }
        return hasChildren
    }

    /// A location's path from its site down, memoised, found by walking up from the location (not
    /// by recursion: a chain of 10,000 parents must not exhaust the stack); a chain that comes back
    /// to itself is a cycle, one deeper than `maximumDepth` levels an error.
    mutating func path(_ id: String) -> [String]? {
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
                reportCycle(Array(chain[start...]), at: current)
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
            if let path = extended, path.count > MasterDataSnapshot.maximumDepth {
                error(
                    .locationTooDeep,
                    "location '\(member)' is \(path.count - 1) levels below site '\(path[0])'; at most \(MasterDataSnapshot.maximumDepth - 1) are allowed",
                    locations[member]?.source)
                extended = nil
            }
            pathOf[member] = .some(extended)
            base = extended
        }
        return base
    }

    /// A cycle is reported once, a long one named by its first members and its length.
    private mutating func reportCycle(_ members: [String], at current: String) {
        guard reportedCycles.insert(members.sorted()).inserted else { return }
        let shown = members.count <= 12 ? members + [current] : Array(members.prefix(10)) + ["… (\(members.count) locations)"]
        error(.locationCycle, "locations form a cycle: \(shown.joined(separator: " > "))", locations[current]?.source)
    }

    /// Every location with a path to its site, with its effective role (its own or the nearest
    /// ancestor's).
    mutating func resolveLocations() -> [String: Location] {
        for id in locations.keys.sorted() { _ = path(id) }
        let locations = self.locations
        var resolved: [String: Location] = [:]
        for (id, record) in locations {
            guard let path = path(id), let site = path.first else { continue }
            let role = path.reversed().lazy.compactMap { locations[$0]?.role }.first
            resolved[id] = Location(
                id: id, site: site, path: path, type: record.type, role: role,
                gln: record.gln, name: record.name)
        }
        return resolved
    }

    /// GLNs: valid and unique; sites by GLN.
    mutating func indexGLNs() -> [String: String] {
        var glnOwner: [String: String] = [:]
        var siteByGLN: [String: String] = [:]
        for record in kept {
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
        return siteByGLN
    }

    /// Time zones: sites only, and a zone of the IANA database.
    mutating func checkTimeZones() {
        for record in kept {
            guard let zone = record.timeZone else { continue }
            if record.type != .site {
                error(.fieldInvalid, "location '\(record.id)': timeZone is set on sites only", record.source)
            } else if !MasterDataSnapshot.isTimeZone(zone) {
                error(.fieldInvalid, "location '\(record.id)': timeZone '\(zone)' is not an IANA time zone (such as America/New_York)", record.source)
            }
        }
    }

    /// Aliases: to known locations of the same site, unique per site.
    mutating func indexAliases(_ aliases: [AliasRecord], resolved: [String: Location]) -> [SiteCode: String] {
        var aliasIndex: [SiteCode: String] = [:]
        for alias in aliases {
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
        return aliasIndex
    }

    /// Items: unique skus and GTINs (normalised to 14 digits), known units. Returns the items by
    /// sku and the skus by GTIN.
    mutating func indexItems(_ records: [ItemRecord]) -> (items: [String: ItemRecord], skuByGTIN: [String: String]) {
        var items: [String: ItemRecord] = [:]
        var skuByGTIN: [String: String] = [:]
        for var item in records {
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
                    if let other = skuByGTIN[normalized] {
                        error(.gtinDuplicate, "GTIN \(normalized) of '\(item.sku)' is already used by '\(other)'", item.source)
                    } else {
                        skuByGTIN[normalized] = item.sku
                    }
                }
            }
            checkUnits(item)
            items[item.sku] = item
        }
        return (items, skuByGTIN)
    }

    /// An item's base unit is an enterprise unit, its other units known and positive.
    private mutating func checkUnits(_ item: ItemRecord) {
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
    }

    /// Partners: unique ids and identifiers, known sites and code targets. Returns the partners
    /// by id and by identifier.
    mutating func indexPartners(
        _ profiles: [PartnerProfile], items: [ItemRecord]
    ) -> (partners: [String: PartnerProfile], byIdentifier: [FormatIdentifier: String]) {
        var partners: [String: PartnerProfile] = [:]
        var byIdentifier: [FormatIdentifier: String] = [:]
        for profile in profiles {
            if partners[profile.partner] != nil {
                error(.partnerDuplicate, "partner '\(profile.partner)' is defined twice", profile.source)
                continue
            }
            partners[profile.partner] = profile
            for (format, identifiers) in profile.identifiers.sorted(by: { $0.key < $1.key }) {
                for identifier in identifiers {
                    let key = FormatIdentifier(format: format, identifier: identifier)
                    if let other = byIdentifier[key] {
                        error(
                            .partnerIdentifierDuplicate,
                            "\(format) identifier '\(identifier)' of partner '\(profile.partner)' already identifies '\(other)'",
                            profile.source)
                    } else {
                        byIdentifier[key] = profile.partner
                    }
                }
            }
            checkProfile(profile)
            checkCodeTargets(profile, items: items)
        }
        return (partners, byIdentifier)
    }

    /// A profile's site, zone, ship-to option and GLN.
    private mutating func checkProfile(_ profile: PartnerProfile) {
        if let site = profile.site, locations[site]?.type != .site {
            error(.partnerSiteUnknown, "partner '\(profile.partner)': site '\(site)' is not a site", profile.source)
        }
        if let zone = profile.timeZone, !MasterDataSnapshot.isTimeZone(zone) {
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
    }

    /// Every code a profile maps must map to something master data knows.
    private mutating func checkCodeTargets(_ profile: PartnerProfile, items: [ItemRecord]) {
        for (list, map) in profile.codes.sorted(by: { $0.key.rawValue < $1.key.rawValue }) {
            for (code, target) in map.sorted(by: { $0.key < $1.key }) {
                let known: Bool =
                    switch list {
                    case .uom: UnitsOfMeasure.table[target] != nil
                    case .item: items.contains { $0.sku == target }
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

    /// Partners by the identifier part of their qualified identifiers. Where two partners share
    /// one, the first by partner id answers.
    static func bareIdentifiers(_ partners: [String: PartnerProfile]) -> [FormatIdentifier: String] {
        var byBareIdentifier: [FormatIdentifier: String] = [:]
        for profile in partners.values.sorted(by: { $0.partner < $1.partner }) {
            for (format, identifiers) in profile.identifiers {
                for written in identifiers where written.contains(":") {
                    let parts = written.split(separator: ":", maxSplits: 1).map(String.init)
                    // X12 writes QUALIFIER:ID, EDIFACT ID:QUALIFIER.
                    guard let bare = format == "x12" ? parts.last : parts.first else { continue }
                    let key = FormatIdentifier(format: format, identifier: bare)
                    if byBareIdentifier[key] == nil { byBareIdentifier[key] = profile.partner }
                }
            }
        }
        return byBareIdentifier
    }
}
