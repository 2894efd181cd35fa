public import Model

/// Content checks of AI values: component character sets and lengths, and the dictionary's
/// linters. Each failure carries the linter result code the GS1 syntax tests use
/// (`GS1_LINTER_INCORRECT_CHECK_DIGIT`, ...) and a message.
enum GS1Linters {
    static let cset82Characters = Array("!\"%&'()*+,-./0123456789:;<=>?ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz".utf8)
    static let cset82 = ASCIISet("!\"%&'()*+,-./0123456789:;<=>?ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz")
    static let cset39 = ASCIISet("#-/0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ")
    static let cset64 = ASCIISet("-0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz=")
    static let cset32 = Array("23456789ABCDEFGHJKLMNPQRSTUVWXYZ".utf8)

    struct Problem: Error {
        var code: String
        var message: String

        var diagnosticCode: DiagnosticCode {
            code == "GS1_LINTER_INCORRECT_CHECK_DIGIT" || code == "GS1_LINTER_INCORRECT_CHECK_PAIR" ? .checkDigit : .gs1AIInvalid
        }
    }

    /// The first problem of an element's value, or nil.
    /// A wrong check digit or check-character pair is `CHECK_DIGIT`, as for the same key in a
    /// ship notice; every other fault of a value is `GS1_AI_INVALID`.
    static func check(_ element: GS1Element, entry: GS1SyntaxDictionary.Entry, at location: @autoclosure () -> String?) -> Diagnostic? {
        problem(element, entry: entry).map { .error($0.diagnosticCode, "(\(element.ai)) \($0.message)", at: location()) }
    }

    static func problem(_ element: GS1Element, entry: GS1SyntaxDictionary.Entry) -> Problem? {
        let value = Array(element.value.utf8)
        guard !value.isEmpty else { return Problem(code: "GS1_LINTER_TOO_SHORT", message: "has no value") }
        guard value.count <= entry.maximumLength else {
            return Problem(code: "GS1_LINTER_TOO_LONG", message: "is \(value.count) characters long, at most \(entry.maximumLength) are allowed")
        }
        var position = 0
        for component in entry.components {
            if position >= value.count {
                if component.optional { break }
                return Problem(code: "GS1_LINTER_TOO_SHORT", message: "is too short: \(value.count) characters")
            }
            let length = component.minimum == component.maximum ? component.minimum : min(component.maximum, value.count - position)
            guard position + length <= value.count else {
                return Problem(code: "GS1_LINTER_TOO_SHORT", message: "is too short: \(value.count) characters")
            }
            let part = Array(value[position..<(position + length)])
            position += length
            if let problem = charset(component.charset, part) { return problem }
            for linter in component.linters {
                if let problem = lint(linter, part) { return problem }
            }
        }
        if position < value.count {
            return Problem(code: "GS1_LINTER_TOO_LONG", message: "is \(value.count) characters long, at most \(position) are allowed")
        }
        return nil
    }

    static func charset(_ charset: GS1SyntaxDictionary.Charset, _ part: [UInt8]) -> Problem? {
        func bad(_ byte: UInt8) -> String {
            byte < 0x80 && byte >= 0x20 ? "'\(Character(Unicode.Scalar(byte)))'" : "byte 0x\(String(byte, radix: 16))"
        }
        switch charset {
        case .numeric:
            if let byte = part.first(where: { !isDigit($0) }) {
                return Problem(code: "GS1_LINTER_NON_DIGIT_CHARACTER", message: "contains \(bad(byte)) where digits belong")
            }
        case .cset82:
            if let byte = part.first(where: { !cset82.contains($0) }) {
                return Problem(code: "GS1_LINTER_INVALID_CSET82_CHARACTER", message: "contains \(bad(byte)), outside CSET 82")
            }
        case .cset39:
            if let byte = part.first(where: { !cset39.contains($0) }) {
                return Problem(code: "GS1_LINTER_INVALID_CSET39_CHARACTER", message: "contains \(bad(byte)), outside CSET 39")
            }
        case .cset64:
            // Up to two trailing '=' pads, and only when the length is a multiple of three.
            let pads = part.reversed().prefix { $0 == UInt8(ascii: "=") }.count
            if pads > 2 || (pads > 0 && part.count % 3 != 0) {
                return Problem(code: "GS1_LINTER_INVALID_CSET64_PADDING", message: "has misplaced base64 padding")
            }
            if let byte = part.dropLast(pads).first(where: { !cset64.contains($0) || $0 == UInt8(ascii: "=") }) {
                return Problem(code: "GS1_LINTER_INVALID_CSET64_CHARACTER", message: "contains \(bad(byte)), outside CSET 64")
            }
        }
        return nil
    }

    static func isDigit(_ byte: UInt8) -> Bool { byte >= 48 && byte <= 57 }

    static func digits(_ bytes: ArraySlice<UInt8>) -> Int? {
        guard !bytes.isEmpty, bytes.allSatisfy(isDigit) else { return nil }
        return bytes.reduce(0) { $0 * 10 + Int($1 - 48) }
    }

    static func date(_ part: ArraySlice<UInt8>, dayZero: Bool, fourDigitYear: Bool = false) -> Problem? {
        let yearLength = fourDigitYear ? 4 : 2
        guard part.count == yearLength + 4 else {
            return Problem(code: part.count < yearLength + 4 ? "GS1_LINTER_DATE_TOO_SHORT" : "GS1_LINTER_DATE_TOO_LONG", message: "is not a date")
        }
        guard let y = digits(part.prefix(yearLength)),
            let m = digits(part.dropFirst(yearLength).prefix(2)), let d = digits(part.dropFirst(yearLength + 2).prefix(2))
        else { return Problem(code: "GS1_LINTER_NON_DIGIT_CHARACTER", message: "is not a date") }
        guard (1...12).contains(m) else { return Problem(code: "GS1_LINTER_ILLEGAL_MONTH", message: "has month \(m)") }
        // The syntax tests' century rule: 72-99 are 19xx, 00-71 are 20xx.
        let year = fourDigitYear ? y : (y >= 72 ? 1900 + y : 2000 + y)
        if d == 0 && dayZero { return nil }
        guard d >= 1, d <= CalendarDate.daysIn(month: m, year: year) else {
            return Problem(code: "GS1_LINTER_ILLEGAL_DAY", message: "has day \(d)")
        }
        return nil
    }

    /// The problem a linter finds, or nil. Linters not implemented here accept the value.
    static func lint(_ name: String, _ part: [UInt8]) -> Problem? { linters[name]?(part) }

    typealias Linter = @Sendable ([UInt8]) -> Problem?

    static func fail(_ code: String, _ message: String) -> Problem { Problem(code: "GS1_LINTER_" + code, message: message) }

    /// A linter that accepts what `accepts` accepts and otherwise fails with `code`.
    static func rule(_ code: String, _ message: String, _ accepts: @escaping @Sendable ([UInt8]) -> Bool) -> Linter {
        { accepts($0) ? nil : fail(code, message) }
    }

    /// A linter whose value must be in a code list.
    static func listed(_ code: String, _ message: String, _ list: Set<String>) -> Linter {
        rule(code, message) { list.contains(String(decoding: $0, as: UTF8.self)) }
    }

    /// A linter of a number in `range` (`code` also for a value that is not digits).
    static func number(_ code: String, _ message: String, _ range: ClosedRange<Int>) -> Linter {
        rule(code, message) { digits($0[...]).map(range.contains) ?? false }
    }

    /// The GS1 Barcode Syntax Dictionary's linters, by name.
    static let linters: [String: Linter] = [
        "csum": checkDigit,
        "csumalpha": checkPair,
        "gcppos1": { gcp($0[...]) },
        "gcppos2": { $0.count >= 2 ? gcp($0.dropFirst()) : fail("TOO_SHORT_FOR_GCP", "is too short for a GS1 Company Prefix") },
        "hasnondigit": rule("REQUIRES_NON_DIGIT_CHARACTER", "needs a character that is not a digit") { $0.contains { !isDigit($0) } },
        "mediatype": listed("INVALID_MEDIA_TYPE", "is not an AIDC media type", ISOCodeLists.mediaTypes),
        "packagetype": listed("INVALID_PACKAGE_TYPE", "is not a package type code", ISOCodeLists.packageTypes),
        "importeridx": importerIndex,
        "yymmd0": { date($0[...], dayZero: true) },
        "yymmdd": { date($0[...], dayZero: false) },
        "yyyymmdd": { date($0[...], dayZero: false, fourDigitYear: true) },
        "hhmi": hourMinute,
        "hh": number("ILLEGAL_HOUR", "has an invalid hour", 0...23),
        "mi": number("ILLEGAL_MINUTE", "has an invalid minute", 0...59),
        "ss": number("ILLEGAL_SECOND", "has an invalid second", 0...59),
        "yesno": rule("NOT_ZERO_OR_ONE", "must be 0 or 1") { $0 == [48] || $0 == [49] },
        "zero": rule("NOT_ZERO", "must be zero") { $0.allSatisfy { $0 == 48 } },
        "nonzero": rule("ILLEGAL_ZERO_VALUE", "must not be zero") { $0.contains { $0 != 48 } },
        "nozeroprefix": rule("ILLEGAL_ZERO_PREFIX", "must not start with a zero") { $0.count == 1 || $0.first != 48 },
        "winding": rule("INVALID_WINDING_DIRECTION", "must be 0, 1 or 9") { $0 == [48] || $0 == [49] || $0 == [57] },
        "iso5218": rule("INVALID_BIOLOGICAL_SEX_CODE", "must be 0, 1, 2 or 9") { [[48], [49], [50], [57]].contains($0) },
        "iso3166": listed("NOT_ISO3166", "is not an ISO 3166 country code", ISOCodeLists.countryNumeric),
        "iso3166999": listed("NOT_ISO3166_OR_999", "is neither an ISO 3166 country code nor 999", ISOCodeLists.countryNumeric.union(["999"])),
        "iso3166alpha2": listed("NOT_ISO3166_ALPHA2", "is not an ISO 3166 alpha-2 country code", ISOCodeLists.countryAlpha2),
        "iso4217": listed("NOT_ISO4217", "is not an ISO 4217 currency code", ISOCodeLists.currencyNumeric),
        "iban": iban,
        "pieceoftotal": pieceOfTotal,
        "pcenc": percentEncoding,
        "latitude": number("INVALID_LATITUDE", "is not a latitude", 0...1_800_000_000),
        "longitude": number("INVALID_LONGITUDE", "is not a longitude", 0...3_600_000_000),
        "hyphen": rule("NOT_HYPHEN", "must be '-'") { $0.allSatisfy { $0 == UInt8(ascii: "-") } },
        "posinseqslash": positionInSequence,
        "couponcode": GS1Coupons.lintCouponCode,
        "couponposoffer": GS1Coupons.lintPositiveOffer,
    ]

    /// `csum`: the GS1 mod-10 check digit.
    static func checkDigit(_ part: [UInt8]) -> Problem? {
        guard let expected = GS1CheckDigit.compute(for: part.dropLast()), part.last == 48 + expected else {
            let digit = GS1CheckDigit.compute(for: part.dropLast()).map(String.init) ?? "?"
            return fail("INCORRECT_CHECK_DIGIT", "has a wrong check digit (expected \(digit))")
        }
        return nil
    }

    /// `csumalpha`: the two check characters of an alphanumeric key (GS1 GenSpecs 7.9.5).
    static func checkPair(_ part: [UInt8]) -> Problem? {
        guard part.count >= 2 else { return fail("TOO_SHORT_FOR_CHECK_PAIR", "is too short for its check characters") }
        guard part.count <= 99 else { return fail("TOO_LONG_FOR_CHECK_PAIR_IMPLEMENTATION", "is too long for check characters") }
        if part.count == 2 {
            return part == Array("22".utf8) ? nil : fail("INCORRECT_CHECK_PAIR", "has wrong check characters")
        }
        var sum = 0
        for (offset, byte) in part.dropLast(2).reversed().enumerated() {
            guard let index = cset82Characters.firstIndex(of: byte) else {
                return fail("INVALID_CSET82_CHARACTER", "contains a character outside CSET 82")
            }
            sum += index * primes[offset]
        }
        sum %= 1021
        guard part[part.count - 2] == cset32[sum >> 5], part[part.count - 1] == cset32[sum & 31] else {
            return fail("INCORRECT_CHECK_PAIR", "has wrong check characters")
        }
        return nil
    }

    /// `importeridx`: one CSET 64 character other than the pad.
    static func importerIndex(_ part: [UInt8]) -> Problem? {
        guard part.count == 1 else { return fail("IMPORTER_IDX_MUST_BE_ONE_CHARACTER", "must be one character") }
        guard cset64.contains(part[0]), part[0] != UInt8(ascii: "=") else {
            return fail("INVALID_IMPORT_IDX_CHARACTER", "has an invalid importer index")
        }
        return nil
    }

    /// `hhmi`: an hour and a minute.
    static func hourMinute(_ part: [UInt8]) -> Problem? {
        guard let h = digits(part.prefix(2)), h < 24 else { return fail("ILLEGAL_HOUR", "has an invalid hour") }
        guard let m = digits(part.suffix(2)), m < 60 else { return fail("ILLEGAL_MINUTE", "has an invalid minute") }
        return nil
    }

    /// `pieceoftotal`: a piece number and a total of equal lengths, neither zero, the piece not
    /// above the total.
    static func pieceOfTotal(_ part: [UInt8]) -> Problem? {
        guard part.allSatisfy(isDigit) else { return fail("NON_DIGIT_CHARACTER", "is not a piece and total") }
        guard !part.isEmpty, part.count % 2 == 0 else { return fail("INVALID_LENGTH_FOR_PIECE_OF_TOTAL", "has an odd length") }
        let piece = part.prefix(part.count / 2)
        let total = part.suffix(part.count / 2)
        if piece.allSatisfy({ $0 == 48 }) { return fail("ZERO_PIECE_NUMBER", "has piece number zero") }
        if total.allSatisfy({ $0 == 48 }) { return fail("ZERO_TOTAL_PIECES", "has total zero") }
        if piece.lexicographicallyPrecedes(total) == false && piece != total {
            return fail("PIECE_NUMBER_EXCEEDS_TOTAL", "has a piece number above the total")
        }
        return nil
    }

    /// `pcenc`: every `%` starts a two-digit hexadecimal escape.
    static func percentEncoding(_ part: [UInt8]) -> Problem? {
        var index = 0
        while index < part.count {
            guard part[index] == UInt8(ascii: "%") else {
                index += 1
                continue
            }
            guard index + 2 < part.count, isHex(part[index + 1]), isHex(part[index + 2]) else {
                return fail("INVALID_PERCENT_SEQUENCE", "has an invalid percent-encoding")
            }
            index += 3
        }
        return nil
    }

    /// `posinseqslash`: position/end, both numbers without a leading zero, the position not after
    /// the end.
    static func positionInSequence(_ part: [UInt8]) -> Problem? {
        let pieces = part.split(separator: UInt8(ascii: "/"), omittingEmptySubsequences: false)
        guard pieces.count == 2, !pieces[0].isEmpty, !pieces[1].isEmpty, pieces.allSatisfy({ $0.allSatisfy(isDigit) }) else {
            return fail("POSITION_IN_SEQUENCE_MALFORMED", "must be position/end")
        }
        if pieces[0].first == 48 || pieces[1].first == 48 { return fail("ILLEGAL_ZERO_PREFIX", "must not start with zero") }
        if pieces[0].count > pieces[1].count
            || (pieces[0].count == pieces[1].count && pieces[1].lexicographicallyPrecedes(pieces[0]))
        {
            return fail("POSITION_EXCEEDS_END", "has a position after the end")
        }
        return nil
    }

    /// `iban`: country, length and the ISO 13616 mod-97 checksum.
    static func iban(_ part: [UInt8]) -> Problem? {
        guard part.count >= 4 else { return fail("IBAN_TOO_SHORT", "is too short for an IBAN") }
        guard ISOCodeLists.countryAlpha2.contains(String(decoding: part.prefix(2), as: UTF8.self)) else {
            return fail("ILLEGAL_IBAN_COUNTRY_CODE", "does not start with a country code")
        }
        guard part.count <= 34 else { return fail("IBAN_TOO_LONG", "is too long for an IBAN") }
        guard part.count > 10 else { return fail("IBAN_TOO_SHORT", "is too short for an IBAN") }
        var remainder = 0
        for byte in part.dropFirst(4) + part.prefix(4) {
            if isDigit(byte) {
                remainder = (remainder * 10 + Int(byte - 48)) % 97
            } else if byte >= 65, byte <= 90 {
                remainder = (remainder * 100 + Int(byte - 55)) % 97
            } else {
                return fail("INVALID_IBAN_CHARACTER", "has characters an IBAN may not")
            }
        }
        guard remainder == 1 else { return fail("INCORRECT_IBAN_CHECKSUM", "has a wrong IBAN checksum") }
        return nil
    }

    static func gcp(_ part: ArraySlice<UInt8>) -> Problem? {
        guard part.count >= 4 else { return Problem(code: "GS1_LINTER_TOO_SHORT_FOR_GCP", message: "is too short for a GS1 Company Prefix") }
        guard part.prefix(4).allSatisfy(isDigit) else {
            return Problem(code: "GS1_LINTER_INVALID_GCP_PREFIX", message: "does not start with a GS1 Company Prefix")
        }
        return nil
    }

    /// The first 97 primes, the weights of the alphanumeric check pair.
    static let primes: [Int] = {
        var found: [Int] = []
        var candidate = 2
        while found.count < 97 {
            if found.allSatisfy({ candidate % $0 != 0 }) { found.append(candidate) }
            candidate += 1
        }
        return found
    }()

    static func isHex(_ byte: UInt8) -> Bool {
        (48...57).contains(byte) || (65...70).contains(byte) || (97...102).contains(byte)
    }
}

/// GS1 six-digit dates.
public enum GS1Dates {
    /// A YYMMDD value as a date; DD 00 means the last day of the month. The century is GS1's
    /// sliding window (General Specifications 7.12: from 49 years before `referenceYear` to 50
    /// after), with the year the record is processed as the reference.
    public static func date(_ text: String, referenceYear: Int) -> CalendarDate? {
        let b = Array(text.utf8)
        guard b.count == 6, let yy = GS1Linters.digits(b.prefix(2)), let mm = GS1Linters.digits(b[2..<4]),
            let dd = GS1Linters.digits(b.suffix(2)), (1...12).contains(mm)
        else { return nil }
        let year = SentTime.slidingWindow(twoDigitYear: yy, referenceYear: referenceYear)
        return CalendarDate(year: year, month: mm, day: dd == 0 ? CalendarDate.daysIn(month: mm, year: year) : dd)
    }
}

/// A set of ASCII bytes as two 64-bit masks: membership is a shift, not a hash.
struct ASCIISet: Sendable {
    private var low: UInt64 = 0
    private var high: UInt64 = 0

    init(_ members: StaticString) {
        for index in 0..<members.utf8CodeUnitCount {
            let byte = members.utf8Start[index]
            precondition(byte < 0x80, "ASCII only")
            if byte < 64 { low |= 1 << UInt64(byte) } else { high |= 1 << UInt64(byte - 64) }
        }
    }

    @inline(__always)
    func contains(_ byte: UInt8) -> Bool {
        byte < 64 ? low & (1 << UInt64(byte)) != 0 : byte < 128 && high & (1 << UInt64(byte - 64)) != 0
    }
}
