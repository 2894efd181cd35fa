/// Why a JSON document does not have the shape of a model value, and where.
public struct JSONShapeError: Error, Sendable, Hashable, CustomStringConvertible {
    public var message: String
    public var pointer: JSONPointer

    public init(_ message: String, at pointer: JSONPointer) {
        self.message = message
        self.pointer = pointer
    }

    public var description: String { "\(pointer.tokens.isEmpty ? "/" : pointer.description): \(message)" }
}

/// A model value that can be read back from its JSON form.
public protocol JSONDecodable {
    init(json: JSONValue, at pointer: JSONPointer) throws(JSONShapeError)
}

extension JSONDecodable {
    /// Parses and decodes a whole document.
    public init(jsonBytes: [UInt8]) throws {
        self = try Self(json: JSONParser.parse(jsonBytes), at: .root)
    }
}

/// Reads the members of one object, with pointers for every error.
public struct JSONObjectReader {
    public let object: JSONObject
    public let pointer: JSONPointer

    public init(_ value: JSONValue, at pointer: JSONPointer) throws(JSONShapeError) {
        guard case .object(let object) = value else {
            throw JSONShapeError("expected an object, found \(value.typeName)", at: pointer)
        }
        self.object = object
        self.pointer = pointer
    }

    public func has(_ key: String) -> Bool { object[key] != nil }

    public func value(_ key: String) throws(JSONShapeError) -> JSONValue {
        guard let value = object[key] else { throw JSONShapeError("required member \"\(key)\" is missing", at: pointer) }
        return value
    }

    public func string(_ key: String) throws(JSONShapeError) -> String {
        let value = try value(key)
        guard case .string(let text) = value else {
            throw JSONShapeError("expected a string, found \(value.typeName)", at: pointer.appending(key))
        }
        return text
    }

    public func optionalString(_ key: String) throws(JSONShapeError) -> String? {
        guard let value = object[key], !value.isNull else { return nil }
        return try string(key)
    }

    public func int(_ key: String) throws(JSONShapeError) -> Int {
        let value = try value(key)
        guard case .number(let text) = value, let number = Int(text) else {
            throw JSONShapeError("expected an integer, found \(value.typeName)", at: pointer.appending(key))
        }
        return number
    }

    public func bool(_ key: String) throws(JSONShapeError) -> Bool {
        let value = try value(key)
        guard let flag = value.boolValue else {
            throw JSONShapeError("expected true or false, found \(value.typeName)", at: pointer.appending(key))
        }
        return flag
    }

    public func optionalInt(_ key: String) throws(JSONShapeError) -> Int? {
        guard let value = object[key], !value.isNull else { return nil }
        return try int(key)
    }

    public func decimal(_ key: String) throws(JSONShapeError) -> ExactDecimal {
        let value = try value(key)
        guard case .number(let text) = value else {
            throw JSONShapeError("expected a number, found \(value.typeName)", at: pointer.appending(key))
        }
        guard let decimal = ExactDecimal(text) else {
            throw JSONShapeError("number \(text) is out of range", at: pointer.appending(key))
        }
        return decimal
    }

    public func optionalDecimal(_ key: String) throws(JSONShapeError) -> ExactDecimal? {
        guard let value = object[key], !value.isNull else { return nil }
        return try decimal(key)
    }

    public func decode<T: JSONDecodable>(_ key: String, as type: T.Type = T.self) throws(JSONShapeError) -> T {
        try T(json: value(key), at: pointer.appending(key))
    }

    public func optional<T: JSONDecodable>(_ key: String, as type: T.Type = T.self) throws(JSONShapeError) -> T? {
        guard let value = object[key], !value.isNull else { return nil }
        return try T(json: value, at: pointer.appending(key))
    }

    /// An array member; absent means empty.
    public func array<T: JSONDecodable>(_ key: String, of type: T.Type = T.self) throws(JSONShapeError) -> [T] {
        guard let value = object[key], !value.isNull else { return [] }
        guard case .array(let elements) = value else {
            throw JSONShapeError("expected an array, found \(value.typeName)", at: pointer.appending(key))
        }
        var result: [T] = []
        result.reserveCapacity(elements.count)
        for (index, element) in elements.enumerated() {
            result.append(try T(json: element, at: pointer.appending(key).appending(index)))
        }
        return result
    }

    public func strings(_ key: String) throws(JSONShapeError) -> [String] {
        guard let value = object[key], !value.isNull else { return [] }
        guard case .array(let elements) = value else {
            throw JSONShapeError("expected an array, found \(value.typeName)", at: pointer.appending(key))
        }
        var result: [String] = []
        for (index, element) in elements.enumerated() {
            guard case .string(let text) = element else {
                throw JSONShapeError(
                    "expected a string, found \(element.typeName)", at: pointer.appending(key).appending(index))
            }
            result.append(text)
        }
        return result
    }

    /// A string member holding one of a fixed set of codes.
    public func code<T: RawRepresentable<String>>(_ key: String, as type: T.Type = T.self) throws(JSONShapeError) -> T {
        let text = try string(key)
        guard let value = T(rawValue: text) else {
            throw JSONShapeError("\"\(text)\" is not a valid \(key)", at: pointer.appending(key))
        }
        return value
    }

    public func optionalCode<T: RawRepresentable<String>>(_ key: String, as type: T.Type = T.self) throws(JSONShapeError)
        -> T?
    {
        guard let value = object[key], !value.isNull else { return nil }
        return try code(key)
    }
}

extension String: JSONDecodable, JSONEncodable {
    public init(json: JSONValue, at pointer: JSONPointer) throws(JSONShapeError) {
        guard case .string(let text) = json else {
            throw JSONShapeError("expected a string, found \(json.typeName)", at: pointer)
        }
        self = text
    }

    public func write(to writer: inout JSONWriter) { writer.string(self) }
}
