public import Model

extension MasterDataSnapshot {
    /// Resolves the location a message names (enterprise id or alias of `site`) and checks it
    /// against a step's rule: `LOCATION_UNKNOWN`, `LOCATION_WRONG_SITE`, `LOCATION_WRONG_TYPE`,
    /// `LOCATION_NOT_LEAF`. `what` names the field in messages (`location`, `toLocation`).
    public func checkLocation(
        _ code: String, site: String, rule: LocationRule, what: String = "location", at pointer: @autoclosure () -> String? = nil
    ) -> Result<Location, Diagnostic> {
        guard let location = location(code: code, site: site) else {
            return .failure(
                .error(
                    .locationUnknown, "\(what) '\(code)' is neither an enterprise location id nor an alias of site \(site)",
                    at: pointer()))
        }
        guard location.site == site else {
            return .failure(
                .error(
                    .locationWrongSite, "\(what) '\(location.id)' belongs to site \(location.site), not \(site)",
                    at: pointer()))
        }
        if !rule.accepts(type: location.type, role: location.role) {
            var needs: [String] = []
            if !rule.roles.isEmpty { needs.append("role " + rule.roles.map(\.rawValue).sorted().joined(separator: " or ")) }
            if !rule.types.isEmpty { needs.append("type " + rule.types.map(\.rawValue).sorted().joined(separator: " or ")) }
            return .failure(
                .error(
                    .locationWrongType,
                    "\(what) '\(location.id)' is a \(location.type.rawValue) with role \(location.role?.rawValue ?? "none"); "
                        + "this step needs \(needs.joined(separator: " and "))",
                    at: pointer()))
        }
        if rule.leafRequired, !isLeaf(location.id) {
            return .failure(
                .error(
                    .locationNotLeaf,
                    "\(what) '\(location.id)' is a \(location.type.rawValue) that holds other locations; "
                        + "stock goes on a bin or dock",
                    at: pointer()))
        }
        return .success(location)
    }
}
