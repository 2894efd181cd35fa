/// Where a datum sits in its input: `ST 0001 / segment 14 SN1 / element 03`, `UNH 1 / segment 7
/// QTY`, a JSON pointer. Readers note a location for every datum they keep, and most are never
/// shown, so a segment's location is kept as its parts and written out only when a diagnostic
/// needs it.
public struct InputLocation: Sendable, Hashable, CustomStringConvertible, ExpressibleByStringLiteral {
    /// The envelope that numbers the segments.
    public enum Scope: Sendable, Hashable {
        /// An X12 transaction set (`ST` and its control number).
        case transactionSet
        /// An EDIFACT message (`UNH` and its reference).
        case message
    }

    private enum Form: Sendable, Hashable {
        case text(String)
        case segment(scope: Scope, control: String?, number: Int, tag: String, element: Int?)
    }

    private let form: Form

    public init(_ text: String) { form = .text(text) }
    public init(stringLiteral value: String) { form = .text(value) }

    /// Segment `number` (`tag`) of the set or message with control number `control`, and one of
    /// its elements.
    public init(_ scope: Scope, control: String?, segment number: Int, tag: String, element: Int? = nil) {
        form = .segment(scope: scope, control: control, number: number, tag: tag, element: element)
    }

    public var description: String {
        switch form {
        case .text(let text):
            return text
        case .segment(let scope, let control, let number, let tag, let element):
            var text = ""
            text.reserveCapacity(40)
            if let control {
                text += scope == .transactionSet ? "ST " : "UNH "
                text += control
                text += " / "
            }
            text += "segment "
            text += String(number)
            text += " "
            text += tag
            if let element {
                text += element < 10 ? " / element 0" : " / element "
                text += String(element)
            }
            return text
        }
    }
}
