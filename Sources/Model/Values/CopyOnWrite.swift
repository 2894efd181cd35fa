/// A value kept in one shared box: copying it copies one reference, however many fields it has;
/// changing it copies the box first when another copy shares it. For values copied far more often
/// than changed, such as master-data records handed to every input record (`Location`,
/// `PartnerProfile`). Equal and hashed by the value.
@frozen
public struct CopyOnWrite<Value: Hashable & Sendable>: Hashable, Sendable {
    @usableFromInline
    final class Box: @unchecked Sendable {
        // Changed only through `value`'s `_modify`, after the box was made unique: no other copy
        // can read it meanwhile, so reads skip the run-time exclusivity check of a class's `var`
        // (one for every field read of a record: an item's sku, units and base unit per line).
        @exclusivity(unchecked) @usableFromInline var value: Value

        @inlinable init(_ value: Value) { self.value = value }
    }

    @usableFromInline var box: Box

    @inlinable
    public init(_ value: Value) { box = Box(value) }

    @inlinable
    public var value: Value {
        get { box.value }
        _modify {
            if !isKnownUniquelyReferenced(&box) { box = Box(box.value) }
            yield &box.value
        }
    }

    @inlinable
    public static func == (left: Self, right: Self) -> Bool {
        left.box === right.box || left.box.value == right.box.value
    }

    @inlinable
    public func hash(into hasher: inout Hasher) { hasher.combine(box.value) }
}
