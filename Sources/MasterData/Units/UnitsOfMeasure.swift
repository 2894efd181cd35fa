public import Model

/// What a unit measures. Units of one physical dimension convert by definition; counts and
/// packages convert only through an item's `units`.
public enum UnitDimension: String, Sendable, Hashable {
    case count, mass, length, volume, area
    /// A package used as a unit (case, pallet, box): its size depends on the item.
    case package

    public var isPhysical: Bool { self == .mass || self == .length || self == .volume || self == .area }

    /// Units of this dimension convert into each other by definition (DZN = 12 EA, LBR to KGM).
    public var convertsByDefinition: Bool { isPhysical || self == .count }
}

/// One enterprise unit code (UN/ECE Recommendation 20, plus package codes used as units).
public struct UnitDefinition: Sendable, Hashable {
    public var code: String
    public var name: String
    public var dimension: UnitDimension
    /// For physical units: how many of the dimension's reference unit (KGM, MTR, LTR, MTK) one is,
    /// exactly. For counts: how many EA one is (DZN = 12). Nil for packages.
    public var factor: ExactDecimal?
}

/// The enterprise unit table and the format code lists that map into it.
public enum UnitsOfMeasure {
    private static func d(_ text: String) -> ExactDecimal { ExactDecimal(text)! }

    /// Enterprise codes. Physical factors are the exact legal definitions (1 lb = 0.45359237 kg,
    /// 1 ft = 0.3048 m, 1 US gal = 3.785411784 l).
    public static let table: [String: UnitDefinition] = {
        let rows: [UnitDefinition] = [
            UnitDefinition(code: "EA", name: "each", dimension: .count, factor: .one),
            UnitDefinition(code: "C62", name: "one", dimension: .count, factor: .one),
            UnitDefinition(code: "PR", name: "pair", dimension: .count, factor: ExactDecimal(2)),
            UnitDefinition(code: "DZN", name: "dozen", dimension: .count, factor: ExactDecimal(12)),
            UnitDefinition(code: "GRO", name: "gross", dimension: .count, factor: ExactDecimal(144)),
            UnitDefinition(code: "KGM", name: "kilogram", dimension: .mass, factor: .one),
            UnitDefinition(code: "GRM", name: "gram", dimension: .mass, factor: d("0.001")),
            UnitDefinition(code: "MGM", name: "milligram", dimension: .mass, factor: d("0.000001")),
            UnitDefinition(code: "TNE", name: "tonne", dimension: .mass, factor: ExactDecimal(1000)),
            UnitDefinition(code: "LBR", name: "pound", dimension: .mass, factor: d("0.45359237")),
            UnitDefinition(code: "ONZ", name: "ounce", dimension: .mass, factor: d("0.028349523125")),
            UnitDefinition(code: "MTR", name: "metre", dimension: .length, factor: .one),
            UnitDefinition(code: "CMT", name: "centimetre", dimension: .length, factor: d("0.01")),
            UnitDefinition(code: "MMT", name: "millimetre", dimension: .length, factor: d("0.001")),
            UnitDefinition(code: "KMT", name: "kilometre", dimension: .length, factor: ExactDecimal(1000)),
            UnitDefinition(code: "FOT", name: "foot", dimension: .length, factor: d("0.3048")),
            UnitDefinition(code: "INH", name: "inch", dimension: .length, factor: d("0.0254")),
            UnitDefinition(code: "YRD", name: "yard", dimension: .length, factor: d("0.9144")),
            UnitDefinition(code: "LTR", name: "litre", dimension: .volume, factor: .one),
            UnitDefinition(code: "MLT", name: "millilitre", dimension: .volume, factor: d("0.001")),
            UnitDefinition(code: "MTQ", name: "cubic metre", dimension: .volume, factor: ExactDecimal(1000)),
            UnitDefinition(code: "GLL", name: "US gallon", dimension: .volume, factor: d("3.785411784")),
            UnitDefinition(code: "QT", name: "US liquid quart", dimension: .volume, factor: d("0.946352946")),
            UnitDefinition(code: "OZA", name: "US fluid ounce", dimension: .volume, factor: d("0.0295735295625")),
            UnitDefinition(code: "MTK", name: "square metre", dimension: .area, factor: .one),
            UnitDefinition(code: "FTK", name: "square foot", dimension: .area, factor: d("0.09290304")),
            UnitDefinition(code: "CS", name: "case", dimension: .package, factor: nil),
            UnitDefinition(code: "CT", name: "carton", dimension: .package, factor: nil),
            UnitDefinition(code: "BX", name: "box", dimension: .package, factor: nil),
            UnitDefinition(code: "PF", name: "pallet", dimension: .package, factor: nil),
            UnitDefinition(code: "BG", name: "bag", dimension: .package, factor: nil),
            UnitDefinition(code: "RL", name: "roll", dimension: .package, factor: nil),
            UnitDefinition(code: "PK", name: "pack", dimension: .package, factor: nil),
            UnitDefinition(code: "DR", name: "drum", dimension: .package, factor: nil),
            UnitDefinition(code: "BO", name: "bottle", dimension: .package, factor: nil),
            UnitDefinition(code: "CA", name: "can", dimension: .package, factor: nil),
        ]
        return Dictionary(uniqueKeysWithValues: rows.map { ($0.code, $0) })
    }()

    /// X12 element 355 (unit or basis for measurement) to enterprise codes. X12 `CA` is a case.
    public static let x12: [String: String] = [
        "EA": "EA", "PC": "EA", "UN": "EA", "CA": "CS", "CS": "CS", "CT": "CT", "BX": "BX", "PL": "PF", "PF": "PF",
        "DZ": "DZN", "PR": "PR", "GR": "GRO", "BG": "BG", "RL": "RL", "PK": "PK", "DR": "DR", "BO": "BO",
        "LB": "LBR", "KG": "KGM", "GM": "GRM", "OZ": "ONZ", "TN": "TNE", "FT": "FOT", "IN": "INH", "YD": "YRD",
        "MR": "MTR", "CM": "CMT", "MM": "MMT", "GA": "GLL", "GL": "GLL", "LT": "LTR", "ML": "MLT", "QT": "QT",
        "FO": "OZA", "SF": "FTK", "SM": "MTK",
    ]

    /// EDIFACT / EANCOM measure unit qualifiers (6411): Rec 20 codes, plus `PCE` for pieces and the
    /// Rec 21 package codes EANCOM users send.
    public static let edifact: [String: String] = [
        "PCE": "EA", "EA": "EA", "C62": "C62", "NAR": "EA", "PR": "PR", "DZN": "DZN", "KGM": "KGM", "GRM": "GRM",
        "MGM": "MGM", "TNE": "TNE", "LBR": "LBR", "ONZ": "ONZ", "MTR": "MTR", "CMT": "CMT", "MMT": "MMT",
        "KMT": "KMT", "FOT": "FOT", "INH": "INH", "LTR": "LTR", "MLT": "MLT", "MTQ": "MTQ", "GLL": "GLL",
        "MTK": "MTK", "CT": "CT", "CS": "CS", "BX": "BX", "PF": "PF", "BG": "BG", "RO": "RL", "PK": "PK",
        "DR": "DR", "BO": "BO",
    ]

    /// The code lists a unit can arrive in.
    public enum CodeList: String, Sendable {
        case x12, edifact
        /// Crossdock's own JSON formats: enterprise codes.
        case enterprise
    }

    /// Maps a sender's unit code to the enterprise code: the partner's own codes first, then the
    /// format's standard list, then enterprise codes as they are. `UOM_UNKNOWN` when none knows it.
    public static func resolve(
        _ code: String, list: CodeList, partnerCodes: [String: String] = [:], at location: @autoclosure () -> String? = nil
    ) -> Result<String, Diagnostic> {
        if let mapped = partnerCodes[code], table[mapped] != nil { return .success(mapped) }
        let standard: String? =
            switch list {
            case .x12: x12[code]
            case .edifact: edifact[code]
            case .enterprise: nil
            }
        if let standard { return .success(standard) }
        if table[code] != nil { return .success(code) }
        let listName = list == .enterprise ? "enterprise" : list.rawValue.uppercased()
        return .failure(
            .error(.uomUnknown, "unit '\(code)' is not a known \(listName) unit code and has no partner mapping", at: location()))
    }
}
