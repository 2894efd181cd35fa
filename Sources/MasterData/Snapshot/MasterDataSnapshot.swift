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
        var builder = SnapshotBuilder(locations: locationRecords)
        let hasChildren = builder.checkParents()
        let resolved = builder.resolveLocations()
        let siteByGLN = builder.indexGLNs()
        builder.checkTimeZones()
        let aliasIndex = builder.indexAliases(aliasRecords, resolved: resolved)
        let (items, itemsByGTIN) = builder.indexItems(itemRecords)
        let (partners, partnerByIdentifier) = builder.indexPartners(partnerRecords, items: itemRecords)
        return MasterDataSnapshot(
            locations: builder.locations, aliases: aliasRecords, items: items, partners: partners, diagnostics: builder.diagnostics,
            resolved: resolved, hasChildren: hasChildren, aliasIndex: aliasIndex, siteByGLN: siteByGLN,
            itemsByGTIN: itemsByGTIN.compactMapValues { items[$0] }, partnerByIdentifier: partnerByIdentifier,
            partnerByBareIdentifier: SnapshotBuilder.bareIdentifiers(partners))
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
