import Foundation

/// The North American coupon data structures of AI (8110) and (8112): variable-length fields,
/// each introduced by a length indicator (VLI), checked field by field.
enum GS1Coupons {
    typealias Problem = GS1Linters.Problem

    /// Reads digits field by field; each failure names the field.
    struct Cursor {
        let data: [UInt8]
        var position = 0

        var atEnd: Bool { position >= data.count }

        /// One digit, or nil at the end.
        mutating func digit() -> Int? {
            guard position < data.count else { return nil }
            defer { position += 1 }
            return Int(data[position] - 48)
        }

        /// `count` digits, or nil when fewer remain.
        mutating func digits(_ count: Int) -> ArraySlice<UInt8>? {
            guard position + count <= data.count else { return nil }
            defer { position += count }
            return data[position..<(position + count)]
        }
    }

    static func fail(_ code: String) -> Problem { Problem(code: "GS1_LINTER_COUPON_" + code, message: "coupon: \(code.lowercased().replacingOccurrences(of: "_", with: " "))") }

    /// A VLI with its allowed values, then a field of VLI + `offset` digits.
    static func vliField(
        _ cursor: inout Cursor, allowed: ClosedRange<Int>, extra: Set<Int> = [], offset: Int, missing: String, invalid: String?, truncated: String
    ) -> Result<ArraySlice<UInt8>?, Problem> {
        guard let vli = cursor.digit() else { return .failure(fail(missing)) }
        if extra.contains(vli) { return .success(nil) }
        guard allowed.contains(vli) else { return .failure(fail(invalid ?? truncated)) }
        guard let field = cursor.digits(vli + offset) else { return .failure(fail(truncated)) }
        return .success(field)
    }

    static func lintPositiveOffer(_ part: [UInt8]) -> Problem? {
        guard part.allSatisfy(GS1Linters.isDigit) else {
            return Problem(code: "GS1_LINTER_NON_DIGIT_CHARACTER", message: "coupon data must be digits")
        }
        var cursor = Cursor(data: part)
        guard let format = cursor.digit() else { return fail("MISSING_FORMAT_CODE") }
        guard format == 0 || format == 1 else { return fail("INVALID_FORMAT_CODE") }
        if case .failure(let problem) = vliField(
            &cursor, allowed: 0...6, offset: 6, missing: "MISSING_FUNDER_VLI", invalid: "INVALID_FUNDER_LENGTH", truncated: "TRUNCATED_FUNDER")
        {
            return problem
        }
        guard cursor.digits(6) != nil else { return fail("TRUNCATED_OFFER_CODE") }
        if case .failure(let problem) = vliField(
            &cursor, allowed: 0...9, offset: 6, missing: "MISSING_SERIAL_NUMBER_VLI", invalid: nil, truncated: "TRUNCATED_SERIAL_NUMBER")
        {
            return problem
        }
        return cursor.atEnd ? nil : fail("EXCESS_DATA")
    }

    static func lintCouponCode(_ part: [UInt8]) -> Problem? {
        guard part.allSatisfy(GS1Linters.isDigit) else {
            return Problem(code: "GS1_LINTER_NON_DIGIT_CHARACTER", message: "coupon data must be digits")
        }
        var cursor = Cursor(data: part)
        func field(_ allowed: ClosedRange<Int>, extra: Set<Int> = [], offset: Int, _ name: String, invalid: Bool = true) -> Problem? {
            if case .failure(let problem) = vliField(
                &cursor, allowed: allowed, extra: extra, offset: offset, missing: "MISSING_\(name)_VLI",
                invalid: invalid ? "INVALID_\(name)_LENGTH" : nil, truncated: "TRUNCATED_\(name)")
            {
                return problem
            }
            return nil
        }
        func code(_ allowed: Set<Int>, _ name: String) -> Problem? {
            guard let value = cursor.digit() else { return fail("MISSING_\(name)") }
            return allowed.contains(value) ? nil : fail("INVALID_\(name)")
        }
        // Primary GS1 Company Prefix, offer code, save value, first purchase requirement.
        let gcpStart = cursor.position + 1
        if let problem = field(0...6, offset: 6, "GCP") { return problem }
        if let problem = GS1Linters.gcp(part[gcpStart..<cursor.position]) { return problem }
        guard cursor.digits(6) != nil else { return fail("TRUNCATED_OFFER_CODE") }
        if let problem = field(1...5, offset: 0, "SAVE_VALUE") { return problem }
        if let problem = field(1...5, offset: 0, "1ST_PURCHASE_REQUIREMENT") { return problem }
        if let problem = code([0, 1, 2, 3, 4, 9], "1ST_PURCHASE_REQUIREMENT_CODE") { return problem }
        guard cursor.digits(3) != nil else { return fail("TRUNCATED_1ST_PURCHASE_FAMILY_CODE") }

        // Optional fields, each at most once and in increasing order of their indicator.
        var expiry: ArraySlice<UInt8>? = nil
        for indicator in [1, 2, 3, 4, 5, 6, 9] {
            guard !cursor.atEnd, Int(cursor.data[cursor.position] - 48) == indicator else { continue }
            cursor.position += 1
            switch indicator {
            case 1, 2:
                let ordinal = indicator == 1 ? "2ND" : "3RD"
                if indicator == 1, let problem = code([0, 1, 2, 3], "ADDITIONAL_PURCHASE_RULES_CODE") { return problem }
                if let problem = field(1...5, offset: 0, "\(ordinal)_PURCHASE_REQUIREMENT") { return problem }
                if let problem = code([0, 1, 2, 3, 4, 9], "\(ordinal)_PURCHASE_REQUIREMENT_CODE") { return problem }
                guard cursor.digits(3) != nil else { return fail("TRUNCATED_\(ordinal)_PURCHASE_FAMILY_CODE") }
                if let problem = field(0...6, extra: [9], offset: 6, "\(ordinal)_PURCHASE_GCP") { return problem }
            case 3:
                guard let date = cursor.digits(6) else { return fail("TOO_SHORT_FOR_EXPIRATION_DATE") }
                if GS1Linters.lint("yymmdd", Array(date)) != nil { return fail("INVALID_EXIPIRATION_DATE") }
                expiry = date
            case 4:
                guard let date = cursor.digits(6) else { return fail("TOO_SHORT_FOR_START_DATE") }
                if GS1Linters.lint("yymmdd", Array(date)) != nil { return fail("INVALID_START_DATE") }
                if let expiry, expiry.lexicographicallyPrecedes(date) { return fail("EXPIRATION_BEFORE_START") }
            case 5:
                if let problem = field(0...9, offset: 6, "SERIAL_NUMBER", invalid: false) { return problem }
            case 6:
                let start = cursor.position + 1
                if let problem = field(1...7, offset: 6, "RETAILER_GCP_OR_GLN") { return problem }
                if let problem = GS1Linters.gcp(part[start..<cursor.position]) { return problem }
            default:  // 9
                if let problem = code([0, 1, 2, 5, 6], "SAVE_VALUE_CODE") { return problem }
                if let problem = code([0, 1, 2], "SAVE_VALUE_APPLIES_TO_ITEM") { return problem }
                guard cursor.digit() != nil else { return fail("MISSING_STORE_COUPON_FLAG") }
                if let problem = code([0, 1], "DONT_MULTIPLY_FLAG") { return problem }
            }
        }
        return cursor.atEnd ? nil : fail("EXCESS_DATA")
    }
}
