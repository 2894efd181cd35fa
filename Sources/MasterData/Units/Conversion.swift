public import Model

/// Quantity checks and conversion to an item's base unit, all in exact decimals.
public enum QuantityRules {
    /// Larger quantities are taken for data errors, not stock.
    public static let maximum = ExactDecimal(1_000_000_000_000)

    /// `QUANTITY_INVALID` for zero (unless allowed), negative (unless allowed) or absurdly large.
    public static func check(
        _ value: ExactDecimal, allowZero: Bool = false, allowNegative: Bool = false, what: String = "quantity",
        at location: @autoclosure () -> String? = nil
    ) -> Diagnostic? {
        if value.isZero, !allowZero {
            return .error(.quantityInvalid, "\(what) is zero", at: location())
        }
        if value.isNegative, !allowNegative {
            return .error(.quantityInvalid, "\(what) \(value) is negative", at: location())
        }
        let magnitude = value.isNegative ? value.negated : value
        if magnitude > maximum {
            return .error(.quantityInvalid, "\(what) \(value) is larger than \(maximum)", at: location())
        }
        return nil
    }
}

extension UnitsOfMeasure {
    /// Digits kept when a conversion does not terminate (KGM to LBR): far below any scale's
    /// resolution, and fixed so the result is the same on every run.
    public static let conversionScale = 9

    /// Converts a quantity (in an enterprise unit) to the item's base unit:
    /// - the base unit itself;
    /// - a unit in the item's `units` (a package: `CS: 12`);
    /// - a unit of the base unit's dimension, by definition (LBR for an item counted in KGM, DZN
    ///   for one counted in EA);
    /// - a physical unit of the dimension of one of the item's `units`, through it (a count item
    ///   with `KGM: 40` received in LBR).
    ///
    /// `UOM_NOT_CONVERTIBLE` when there is no path; `UOM_FRACTIONAL_BASE` when a count-based item
    /// would get a fractional base quantity (0.5 CS of 3).
    public static func toBase(_ quantity: Quantity, item: ItemRecord, at location: @autoclosure () -> String? = nil) -> Result<
        Quantity, Diagnostic
    > {
        let base = item.baseUnit
        func overflow() -> Diagnostic {
            .error(.quantityInvalid, "\(quantity) of '\(item.sku)' cannot be expressed in \(base)", at: location())
        }
        let value: ExactDecimal
        if quantity.uom == base {
            value = quantity.value
        } else if let perUnit = item.perUnit(quantity.uom) {
            guard let product = quantity.value.multiplied(by: perUnit) else { return .failure(overflow()) }
            value = product
        } else if let converted = physical(quantity.value, from: quantity.uom, to: base) {
            guard let converted = converted else { return .failure(overflow()) }
            value = converted
        } else if let (via, perUnit) = item.units.sorted(by: { $0.key < $1.key }).lazy.compactMap({ unit, amount in
            physical(quantity.value, from: quantity.uom, to: unit).map { ($0, amount) }
        }).first {
            guard let via, let product = via.multiplied(by: perUnit) else { return .failure(overflow()) }
            value = product
        } else {
            let known = ([base] + item.units.keys.sorted()).joined(separator: ", ")
            return .failure(
                .error(
                    .uomNotConvertible,
                    "\(quantity.uom) cannot be converted to \(base) for item '\(item.sku)' (it is known in \(known))",
                    at: location()))
        }
        if item.baseDimension?.isPhysical != true, !value.isWhole {
            return .failure(
                .error(
                    .uomFractionalBase,
                    "\(quantity) of '\(item.sku)' is \(value) \(base); a counted item needs a whole number", at: location()))
        }
        return .success(Quantity(value, base))
    }

    /// Converts between two units of one dimension that convert by definition (physical units, and
    /// count units such as DZN and EA): nil when there is no such path; `.some(nil)` on overflow.
    static func physical(_ value: ExactDecimal, from: String, to: String) -> ExactDecimal?? {
        guard let source = table[from], let target = table[to], source.dimension.convertsByDefinition,
            source.dimension == target.dimension, let sourceFactor = source.factor, let targetFactor = target.factor
        else { return nil }
        guard let inReference = value.multiplied(by: sourceFactor) else { return .some(nil) }
        if targetFactor == .one { return .some(inReference) }
        return .some(inReference.divided(by: targetFactor, scale: conversionScale)?.value)
    }
}
