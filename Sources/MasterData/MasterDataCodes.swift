public import Model

/// Codes of master-data loading problems (besides the shared `CHECK_DIGIT` and `UOM_UNKNOWN`).
/// Stable: `crossdock masterdata check` prints them and users script against them.
extension DiagnosticCode {
    public static let yamlSyntax: Self = "YAML_SYNTAX"
    public static let fieldInvalid: Self = "FIELD_INVALID"
    public static let locationDuplicate: Self = "LOCATION_DUPLICATE"
    public static let locationParentUnknown: Self = "LOCATION_PARENT_UNKNOWN"
    public static let locationCycle: Self = "LOCATION_CYCLE"
    public static let locationTypeOrder: Self = "LOCATION_TYPE_ORDER"
    public static let glnDuplicate: Self = "GLN_DUPLICATE"
    public static let aliasLocationUnknown: Self = "ALIAS_LOCATION_UNKNOWN"
    public static let aliasWrongSite: Self = "ALIAS_WRONG_SITE"
    public static let aliasDuplicate: Self = "ALIAS_DUPLICATE"
    public static let itemDuplicate: Self = "ITEM_DUPLICATE"
    public static let gtinDuplicate: Self = "GTIN_DUPLICATE"
    public static let partnerDuplicate: Self = "PARTNER_DUPLICATE"
    public static let partnerIdentifierDuplicate: Self = "PARTNER_IDENTIFIER_DUPLICATE"
    public static let partnerSiteUnknown: Self = "PARTNER_SITE_UNKNOWN"
    public static let codeTargetUnknown: Self = "CODE_TARGET_UNKNOWN"
}
