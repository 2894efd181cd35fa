import Synchronization
public import Model

/// Remembers barcodes that read well, so a barcode seen again (the same pallet's SSCC at receiving,
/// put-away and picking; the same GTIN label on every case of a product) is not parsed and
/// validated again. Reading is a pure function of the text and the options against the shipped
/// dictionary; only successes are kept (a failure's diagnostic names where in its record it
/// was). Bounded: when `capacity` barcodes are held, it starts again empty; a capacity of 0
/// remembers nothing.
public final class GS1ReadCache: Sendable {
    private struct Key: Hashable {
        var text: String
        var options: GS1Options
    }

    private let entries = Mutex<[Key: [GS1Element]]>([:])
    public let capacity: Int

    public init(capacity: Int = 10_000) {
        self.capacity = capacity
    }

    /// ``GS1Barcode/read(_:dictionary:options:at:)`` against the shipped dictionary, remembered.
    public func read(_ text: String, options: GS1Options, at location: @autoclosure () -> String? = nil) -> Result<[GS1Element], Diagnostic> {
        let key = Key(text: text, options: options)
        if let known = entries.withLock({ $0[key] }) { return .success(known) }
        let result = GS1Barcode.read(text, options: options, at: location())
        if capacity > 0, case .success(let elements) = result {
            entries.withLock { entries in
                if entries.count >= capacity { entries.removeAll(keepingCapacity: true) }
                entries[key] = elements
            }
        }
        return result
    }

    /// Barcodes held now.
    public var count: Int { entries.withLock { $0.count } }
}
