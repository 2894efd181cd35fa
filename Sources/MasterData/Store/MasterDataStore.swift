public import Model
import Synchronization

/// One change to master data, as it arrives on the compacted topics.
public enum MasterDataChange: Sendable, Hashable {
    case upsertLocation(LocationRecord)
    case deleteLocation(id: String)
    case upsertAlias(AliasRecord)
    case deleteAlias(site: String, code: String)
    case upsertItem(ItemRecord)
    case deleteItem(sku: String)
    case upsertPartner(PartnerProfile)
    case deletePartner(id: String)
}

/// Live master data: an immutable snapshot that updates replace atomically.
///
/// Readers on the hot path keep their own snapshot and compare ``version`` (one atomic load, no
/// lock) before each record, fetching a new snapshot only after an update. Writers apply a batch
/// of changes: the whole resulting snapshot is validated again, so a change that breaks something
/// that depends on it (deleting a parent, an alias's target, a partner's mapped item) is refused
/// and the previous snapshot stays in force.
public final class MasterDataStore: Sendable {
    private let state: Mutex<MasterDataSnapshot>
    private let currentVersion = Atomic<UInt64>(1)

    public init(_ snapshot: MasterDataSnapshot) {
        state = Mutex(snapshot)
    }

    /// Increases with every applied change.
    public var version: UInt64 { currentVersion.load(ordering: .acquiring) }

    /// The current snapshot and its version.
    public func snapshot() -> (snapshot: MasterDataSnapshot, version: UInt64) {
        state.withLock { ($0, currentVersion.load(ordering: .acquiring)) }
    }

    /// The outcome of applying changes.
    public struct Outcome: Sendable {
        /// Whether the new snapshot is in force.
        public var applied: Bool
        /// Errors the changes would have introduced (when refused), or nothing.
        public var diagnostics: [Diagnostic]
    }

    /// Applies the changes as one unit: all of them, or (when they would introduce an error) none.
    @discardableResult
    public func apply(_ changes: [MasterDataChange]) -> Outcome {
        state.withLock { snapshot in
            let candidate = snapshot.applying(changes)
            let before = Set(snapshot.diagnostics.filter { $0.severity == .error })
            let introduced = candidate.diagnostics.filter { $0.severity == .error && !before.contains($0) }
            guard introduced.isEmpty else { return Outcome(applied: false, diagnostics: introduced) }
            snapshot = candidate
            currentVersion.add(1, ordering: .releasing)
            return Outcome(applied: true, diagnostics: [])
        }
    }
}

extension MasterDataSnapshot {
    /// A new snapshot with the changes applied, validated from scratch.
    public func applying(_ changes: [MasterDataChange]) -> MasterDataSnapshot {
        var locations = self.locations
        var aliases = self.aliases
        var items = self.items
        var partners = self.partners
        for change in changes {
            switch change {
            case .upsertLocation(let record): locations[record.id] = record
            case .deleteLocation(let id): locations[id] = nil
            case .upsertAlias(let alias):
                aliases.removeAll { $0.site == alias.site && $0.code == alias.code }
                aliases.append(alias)
            case .deleteAlias(let site, let code): aliases.removeAll { $0.site == site && $0.code == code }
            case .upsertItem(let item): items[item.sku] = item
            case .deleteItem(let sku): items[sku] = nil
            case .upsertPartner(let profile): partners[profile.partner] = profile
            case .deletePartner(let id): partners[id] = nil
            }
        }
        return MasterDataSnapshot.build(
            locations: locations.values.sorted { $0.id < $1.id }, aliases: aliases,
            items: items.values.sorted { $0.sku < $1.sku }, partners: partners.values.sorted { $0.partner < $1.partner })
    }
}
