// Stored optionals are spelled `Optional<T>` so that initialisers move their arguments into place
// (see `Item`).
/// A state change as carried in an inventory event.
public struct StateChange: Sendable, Hashable, JSONEncodable, JSONDecodable {
    /// Nil when the prior state is not known and the step allows several.
    public var from: Optional<StateRef>
    /// Nil when a move's state is not known (a move keeps whatever state the stock had).
    public var to: Optional<StateRef>

    public init(from: StateRef?, to: StateRef?) {
        self.from = from
        self.to = to
    }

    public func write(to w: inout JSONWriter) {
        w.beginObject()
        w.field("from", from?.rawValue)
        w.field("to", to?.rawValue)
        w.endObject()
    }

    public init(json: JSONValue, at pointer: JSONPointer) throws(JSONShapeError) {
        let r = try JSONObjectReader(json, at: pointer)
        func state(_ key: String) throws(JSONShapeError) -> StateRef? {
            guard let text = try r.optionalString(key) else { return nil }
            guard let value = StateRef(rawValue: text) else {
                throw JSONShapeError("\"\(text)\" is not an inventory state", at: pointer.appending(key))
            }
            return value
        }
        self.init(from: try state("from"), to: try state("to"))
    }
}

/// `crossdock.inventory.event.v1`: one scan from a warehouse scanner gateway, in enterprise
/// terms: the step, the state change, the item or handling unit, and where.
public struct InventoryEvent: EventPayload, JSONDecodable {
    public static var eventType: EventType { .inventoryEvent }

    public var step: InventoryStep
    /// Absent for a count (a count asserts a quantity, it changes no state).
    public var stateChange: Optional<StateChange>
    /// EPCIS 2.0 / CBV bizStep, e.g. `receiving`.
    public var bizStep: String
    /// EPCIS 2.0 / CBV disposition, e.g. `in_progress`; absent when unchanged.
    public var disposition: Optional<String>
    public var item: Optional<Item>
    public var handlingUnit: Optional<HandlingUnit>
    public var quantity: Optional<Quantity>
    public var baseQuantity: Optional<Quantity>
    /// Where the stock is after the event (for a move: the destination).
    public var location: Location
    /// For moves: where the stock came from.
    public var fromLocation: Optional<Location>
    /// For moves: where the stock went (the same as `location`).
    public var toLocation: Optional<Location>
    public var reason: Optional<String>
    public var device: Optional<String>
    public var `operator`: String?
    /// The ASN the scan refers to.
    public var shipmentId: Optional<String>
    /// For counts.
    public var countedQuantity: Optional<Quantity>
    public var expectedQuantity: Optional<Quantity>
    /// counted − expected, when both are known.
    public var variance: Optional<Quantity>
    public var warnings: [Diagnostic]

    public init(
        step: InventoryStep, stateChange: StateChange?, bizStep: String, disposition: String?, item: Item? = nil,
        handlingUnit: HandlingUnit? = nil, quantity: Quantity? = nil, baseQuantity: Quantity? = nil,
        location: Location, fromLocation: Location? = nil, toLocation: Location? = nil, reason: String? = nil,
        device: String? = nil, operator: String? = nil, shipmentId: String? = nil, countedQuantity: Quantity? = nil,
        expectedQuantity: Quantity? = nil, variance: Quantity? = nil, warnings: [Diagnostic] = []
    ) {
        self.step = step
        self.stateChange = stateChange
        self.bizStep = bizStep
        self.disposition = disposition
        self.item = item
        self.handlingUnit = handlingUnit
        self.quantity = quantity
        self.baseQuantity = baseQuantity
        self.location = location
        self.fromLocation = fromLocation
        self.toLocation = toLocation
        self.reason = reason
        self.device = device
        self.operator = `operator`
        self.shipmentId = shipmentId
        self.countedQuantity = countedQuantity
        self.expectedQuantity = expectedQuantity
        self.variance = variance
        self.warnings = warnings
    }

    /// Builds the step, state change and CBV terms from a state-machine transition.
    public init(transition: Transition, location: Location) {
        self.init(
            step: transition.step,
            stateChange: transition.step == .counted ? nil : StateChange(from: transition.from, to: transition.to),
            bizStep: transition.bizStep, disposition: transition.disposition, location: location)
    }

    public func write(to w: inout JSONWriter) {
        w.beginObject()
        w.field("step", step.rawValue)
        w.field("stateChange", stateChange)
        w.field("bizStep", bizStep)
        w.field("disposition", disposition)
        w.field("item", item)
        w.field("handlingUnit", handlingUnit)
        w.field("quantity", quantity)
        w.field("baseQuantity", baseQuantity)
        w.field("location", location)
        w.field("fromLocation", fromLocation)
        w.field("toLocation", toLocation)
        w.field("reason", reason)
        w.field("device", device)
        w.field("operator", `operator`)
        w.field("shipmentId", shipmentId)
        w.field("countedQuantity", countedQuantity)
        w.field("expectedQuantity", expectedQuantity)
        w.field("variance", variance)
        w.field("warnings", warnings, always: true)
        w.endObject()
    }

    public init(json: JSONValue, at pointer: JSONPointer) throws(JSONShapeError) {
        let r = try JSONObjectReader(json, at: pointer)
        self.init(
            step: try r.code("step"), stateChange: try r.optional("stateChange"), bizStep: try r.string("bizStep"),
            disposition: try r.optionalString("disposition"), item: try r.optional("item"),
            handlingUnit: try r.optional("handlingUnit"), quantity: try r.optional("quantity"),
            baseQuantity: try r.optional("baseQuantity"), location: try r.decode("location"),
            fromLocation: try r.optional("fromLocation"), toLocation: try r.optional("toLocation"),
            reason: try r.optionalString("reason"), device: try r.optionalString("device"),
            operator: try r.optionalString("operator"), shipmentId: try r.optionalString("shipmentId"),
            countedQuantity: try r.optional("countedQuantity"), expectedQuantity: try r.optional("expectedQuantity"),
            variance: try r.optional("variance"), warnings: try r.array("warnings"))
    }
}
