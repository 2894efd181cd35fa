import MasterData
import Model
import Testing

@Suite("Units of measure")
struct UnitsTests {
    static var snapshot: MasterDataSnapshot { NetworkFixture.snapshot }

    @Test(
        "codes resolve: partner codes first, then the format's list, then enterprise codes",
        arguments: [
            ("CA", UnitsOfMeasure.CodeList.x12, "ACME-INDUSTRIAL", "CS"),
            ("PC", .x12, "ACME-INDUSTRIAL", "EA"),
            ("PL", .x12, nil, "PF"),
            ("DZ", .x12, nil, "DZN"),
            ("LB", .x12, nil, "LBR"),
            ("GA", .x12, nil, "GLL"),
            ("PCE", .edifact, nil, "EA"),
            ("CT", .edifact, "NORDWERK", "CS"),
            ("KGM", .edifact, nil, "KGM"),
            ("case", .enterprise, "BRIGHTLITE", "CS"),
            ("CS", .enterprise, nil, "CS"),
        ] as [(String, UnitsOfMeasure.CodeList, String?, String)])
    func resolve(code: String, list: UnitsOfMeasure.CodeList, partner: String?, expected: String) throws {
        let codes = partner.flatMap { Self.snapshot.partner(id: $0) }?.codes(.uom) ?? [:]
        #expect(try UnitsOfMeasure.resolve(code, list: list, partnerCodes: codes).get() == expected)
    }

    @Test("an unknown code is UOM_UNKNOWN naming the code")
    func unknownCode() {
        guard case .failure(let diagnostic) = UnitsOfMeasure.resolve("ZZ", list: .x12, at: "segment 14 SN1 / element 03")
        else {
            Issue.record("ZZ resolved")
            return
        }
        #expect(diagnostic.code == .uomUnknown)
        #expect(diagnostic.message.contains("'ZZ'"))
        #expect(diagnostic.location == "segment 14 SN1 / element 03")
    }

    @Test(
        "conversion to the base unit is exact",
        arguments: [
            ("WID-100", "4", "CS", "48", "EA"),
            ("WID-100", "1", "PF", "720", "EA"),
            ("WID-100", "0.5", "CS", "6", "EA"),
            ("WID-100", "2", "DZN", "24", "EA"),
            ("WID-100", "7", "EA", "7", "EA"),
            ("GAS-050", "0.25", "BX", "25", "EA"),
            ("BLT-M8", "2", "BG", "50", "KGM"),
            ("BLT-M8", "10", "LBR", "4.5359237", "KGM"),
            ("BLT-M8", "250", "GRM", "0.25", "KGM"),
            ("BLT-M8", "12.5", "KGM", "12.5", "KGM"),
            ("BLT-M8", "16", "ONZ", "0.45359237", "KGM"),
            ("CBL-CU6", "10", "FOT", "3.048", "MTR"),
            ("CBL-CU6", "1", "RL", "100", "MTR"),
            ("CBL-CU6", "250", "CMT", "2.5", "MTR"),
            ("GLV-NIT", "2", "CS", "20", "BX"),
            ("GLV-NIT", "1", "PF", "400", "BX"),
        ])
    func convert(sku: String, value: String, uom: String, expected: String, base: String) throws {
        let item = try #require(Self.snapshot.item(sku: sku))
        let result = try UnitsOfMeasure.toBase(Quantity(ExactDecimal(value)!, uom), item: item).get()
        #expect(result == Quantity(ExactDecimal(expected)!, base))
        #expect(result.value.description == expected)
    }

    @Test(
        "what cannot be converted says why",
        arguments: [
            ("WID-100", "1", "KGM", DiagnosticCode.uomNotConvertible),
            ("WID-100", "1", "BX", .uomNotConvertible),
            ("GLV-NIT", "5", "EA", .uomNotConvertible),
            ("BLT-M8", "1", "MTR", .uomNotConvertible),
            ("ADH-500", "0.25", "CS", .uomFractionalBase),
            ("WID-100", "0.1", "CS", .uomFractionalBase),
            ("WID-100", "1.5", "EA", .uomFractionalBase),
        ])
    func notConvertible(sku: String, value: String, uom: String, code: DiagnosticCode) throws {
        let item = try #require(Self.snapshot.item(sku: sku))
        guard case .failure(let diagnostic) = UnitsOfMeasure.toBase(Quantity(ExactDecimal(value)!, uom), item: item) else {
            Issue.record("\(value) \(uom) of \(sku) converted")
            return
        }
        #expect(diagnostic.code == code)
        #expect(diagnostic.message.contains(sku))
    }

    @Test("a count item known by weight converts weights through its units; a non-terminating result is rounded at 9 digits")
    func combined() throws {
        let byWeight = ItemRecord(sku: "NUT-1", baseUnit: "EA", units: ["KGM": ExactDecimal(40)])
        #expect(try UnitsOfMeasure.toBase(Quantity(ExactDecimal(500), "GRM"), item: byWeight).get().value.description == "20")
        // 5 lb is 90.718474 pieces: not a whole count.
        #expect(throws: Diagnostic.self) { try UnitsOfMeasure.toBase(Quantity(ExactDecimal(5), "LBR"), item: byWeight).get() }
        let pounds = ItemRecord(sku: "SALT", baseUnit: "LBR", weighed: true)
        #expect(try UnitsOfMeasure.toBase(Quantity(ExactDecimal(1), "KGM"), item: pounds).get().value.description == "2.204622622")
    }

    @Test("a record's units changed after it was made convert by the new factors, in a copy too")
    func changedUnits() throws {
        var item = ItemRecord(sku: "WID-1", baseUnit: "EA", units: ["CS": ExactDecimal(12)])
        let before = item
        item.units["CS"] = ExactDecimal(24)
        item.units["PF"] = ExactDecimal(480)
        #expect(item.perUnit("CS") == ExactDecimal(24) && item.perUnit("PF") == ExactDecimal(480) && item.perUnit("BX") == nil)
        #expect(try UnitsOfMeasure.toBase(Quantity(ExactDecimal(2), "CS"), item: item).get().value == ExactDecimal(48))
        #expect(try UnitsOfMeasure.toBase(Quantity(ExactDecimal(2), "CS"), item: before).get().value == ExactDecimal(24))
        #expect(before.perUnit("PF") == nil)
        item.units = [:]
        #expect(item.perUnit("CS") == nil)
    }

    @Test("quantities: zero, negative and absurd values are QUANTITY_INVALID")
    func quantityRules() {
        #expect(QuantityRules.check(.zero)?.code == .quantityInvalid)
        #expect(QuantityRules.check(.zero, allowZero: true) == nil)
        #expect(QuantityRules.check(ExactDecimal(-3))?.code == .quantityInvalid)
        #expect(QuantityRules.check(ExactDecimal(-3), allowNegative: true) == nil)
        #expect(QuantityRules.check(ExactDecimal("5000000000000")!)?.code == .quantityInvalid)
        #expect(QuantityRules.check(ExactDecimal("12.5")!) == nil)
    }
}
