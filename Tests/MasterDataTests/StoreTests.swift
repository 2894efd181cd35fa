import Foundation
import MasterData
import Model
import Testing

@Suite("Live master data")
struct StoreTests {
    @Test("an upsert becomes visible atomically and bumps the version")
    func upsert() throws {
        let store = MasterDataStore(NetworkFixture.snapshot)
        let before = store.version
        #expect(store.snapshot().snapshot.location(id: "DC-ATL/RCV/D05") == nil)
        let outcome = store.apply([
            .upsertLocation(LocationRecord(id: "DC-ATL/RCV/D05", type: .dock, parent: "DC-ATL/RCV")),
            .upsertAlias(AliasRecord(site: "DC-ATL", code: "DOCK5", location: "DC-ATL/RCV/D05")),
        ])
        #expect(outcome.applied && outcome.diagnostics.isEmpty)
        #expect(store.version == before + 1)
        let snapshot = store.snapshot().snapshot
        #expect(snapshot.location(code: "DOCK5", site: "DC-ATL")?.role == .receiving)
    }

    @Test("a change that breaks what depends on it is refused and the old data stays")
    func refused() throws {
        let store = MasterDataStore(NetworkFixture.snapshot)
        let before = store.version
        // DC-ATL/RCV holds four docks and is the target of aliases.
        let outcome = store.apply([.deleteLocation(id: "DC-ATL/RCV")])
        #expect(!outcome.applied)
        #expect(outcome.diagnostics.contains { $0.code == .locationParentUnknown })
        #expect(store.version == before)
        #expect(store.snapshot().snapshot.location(code: "DOCK3", site: "DC-ATL") != nil)

        let item = store.apply([.deleteItem(sku: "WID-100")])
        #expect(!item.applied, "ACME's code map names WID-100")
        #expect(item.diagnostics.contains { $0.code == .codeTargetUnknown })
    }

    @Test("items update and delete; the records travel as JSON on the compacted topics")
    func items() throws {
        let store = MasterDataStore(NetworkFixture.snapshot)
        var lamp = try #require(store.snapshot().snapshot.item(sku: "LMP-LED"))
        lamp.units["CS"] = ExactDecimal(4)
        let change = try MasterDataChange.item(key: lamp.sku, value: lamp.jsonBytes())
        #expect(store.apply([change]).applied)
        let updated = try #require(store.snapshot().snapshot.item(gtin: "00614141000104"))
        #expect(updated.units["CS"] == ExactDecimal(4))
        #expect(try UnitsOfMeasure.toBase(Quantity(ExactDecimal(2), "CS"), item: updated).get().value == ExactDecimal(8))

        #expect(store.apply([try MasterDataChange.item(key: "LMP-LED", value: [])]).applied)
        #expect(store.snapshot().snapshot.item(sku: "LMP-LED") == nil)

        let location = LocationRecord(id: "DC-ATL/X", type: .zone, parent: "DC-ATL", role: .staging, name: "Staging")
        let decoded = try MasterDataChange.location(key: location.id, value: location.jsonBytes())
        #expect(decoded == .upsertLocation(location))
        let alias = AliasRecord(site: "DC-ATL", code: "STG", location: "DC-ATL/X")
        #expect(try MasterDataChange.location(key: alias.key, value: alias.jsonBytes()) == .upsertAlias(alias))
        #expect(try MasterDataChange.location(key: alias.key, value: []) == .deleteAlias(site: "DC-ATL", code: "STG"))
    }
}

extension StoreTests {
    static let newGateway = """
        # Scanner gateway of the new cross-dock at DC-ATL.
        partner: GW-DC-ATL-XD
        kind: scanner-gateway
        site: DC-ATL
        identifiers:
          json: ["dc-atl-xd"]
        formats: [json-scan]
        codes:
          step: {RCV: received, PUT: putaway}
        """

    @Test("partner profiles travel as their YAML text: added, replaced and deleted while running; a bad one is refused")
    func partners() throws {
        let store = MasterDataStore(NetworkFixture.snapshot)
        #expect(store.snapshot().snapshot.partner(identifier: "dc-atl-xd", format: "json") == nil)
        let added = try MasterDataChange.partner(key: "GW-DC-ATL-XD", value: Array(Self.newGateway.utf8))
        #expect(store.apply([added]).applied)
        #expect(store.snapshot().snapshot.partner(identifier: "dc-atl-xd", format: "json")?.partner == "GW-DC-ATL-XD")
        // A profile whose site does not exist is refused by the store: the earlier one stays.
        let broken = try MasterDataChange.partner(
            key: "GW-DC-ATL-XD", value: Array(Self.newGateway.replacingOccurrences(of: "site: DC-ATL", with: "site: DC-NOWHERE").utf8))
        #expect(!store.apply([broken]).applied)
        #expect(store.snapshot().snapshot.partner(id: "GW-DC-ATL-XD")?.site == "DC-ATL")
        #expect(store.apply([try MasterDataChange.partner(key: "GW-DC-ATL-XD", value: [])]).applied)
        #expect(store.snapshot().snapshot.partner(id: "GW-DC-ATL-XD") == nil)
        // Not a profile, or another partner's: an error naming why.
        #expect(throws: MasterDataChange.PartnerRecordError.self) { try MasterDataChange.partner(key: "X", value: Array("partner: [".utf8)) }
        #expect(throws: MasterDataChange.PartnerRecordError.self) {
            try MasterDataChange.partner(key: "OTHER", value: Array(Self.newGateway.utf8))
        }
        #expect(throws: MasterDataChange.PartnerRecordError.self) {
            try MasterDataChange.partner(key: "GW-DC-ATL-XD", value: Array(Self.newGateway.replacingOccurrences(of: "kind:", with: "knd:").utf8))
        }
    }
}

@Suite("Partner profiles")
struct PartnerProfileTests {
    @Test("a profile is a value: changing a copy leaves the original as it was; equal profiles hash alike")
    func valueSemantics() {
        let original = PartnerProfile(
            partner: "DC-ATL-GW", kind: .scannerGateway, site: "DC-ATL", identifiers: ["json": ["dc-atl-rf"]],
            codes: [.step: ["RCV": "received"]], options: ["permitUnknownAIs": "false"])
        var copy = original
        #expect(copy == original)
        copy.codes[.step]?["MOV"] = "moved"
        copy.site = "DC-DEN"
        copy.options["permitUnknownAIs"] = "true"
        #expect(original.codes(.step) == ["RCV": "received"])
        #expect(original.site == "DC-ATL")
        #expect(original.options == ["permitUnknownAIs": "false"])
        #expect(copy.codes(.step) == ["RCV": "received", "MOV": "moved"])
        #expect(copy.site == "DC-DEN")
        #expect(copy != original)
        // Built apart from each other, with the same fields: equal, and the same hash.
        let twin = PartnerProfile(
            partner: "DC-ATL-GW", kind: .scannerGateway, site: "DC-ATL", identifiers: ["json": ["dc-atl-rf"]],
            codes: [.step: ["RCV": "received"]], options: ["permitUnknownAIs": "false"])
        #expect(twin == original)
        #expect(Set([twin, original]).count == 1)
        var changedBack = copy
        changedBack.codes[.step]?["MOV"] = nil
        changedBack.site = "DC-ATL"
        changedBack.options["permitUnknownAIs"] = "false"
        #expect(changedBack == original)
        #expect(copy.site == "DC-DEN")
    }
}

@Suite("Item records")
struct ItemRecordTests {
    @Test("an item record is a value: changing a copy leaves the original as it was; equal records hash alike")
    func valueSemantics() {
        let original = ItemRecord(sku: "WID-100", gtin: "00614141000012", baseUnit: "EA", units: ["CS": ExactDecimal(12)], lotControlled: true)
        var copy = original
        #expect(copy == original)
        copy.units["PF"] = ExactDecimal(720)
        copy.baseUnit = "CS"
        copy.lotControlled = false
        #expect(original.units == ["CS": ExactDecimal(12)] && original.baseUnit == "EA" && original.lotControlled)
        #expect(copy.units == ["CS": ExactDecimal(12), "PF": ExactDecimal(720)] && copy.baseUnit == "CS" && !copy.lotControlled)
        #expect(copy != original)
        let twin = ItemRecord(sku: "WID-100", gtin: "00614141000012", baseUnit: "EA", units: ["CS": ExactDecimal(12)], lotControlled: true)
        #expect(twin == original)
        #expect(Set([twin, original]).count == 1)
        var changedBack = copy
        changedBack.units["PF"] = nil
        changedBack.baseUnit = "EA"
        changedBack.lotControlled = true
        #expect(changedBack == original)
        #expect(copy.baseUnit == "CS")
    }
}
