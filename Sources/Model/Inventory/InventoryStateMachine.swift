/// The enterprise inventory states. `counted` is a count assertion, not a state.
public enum InventoryState: String, Sendable, Hashable, CaseIterable {
    case received, available, reserved
    case inTransfer = "in_transfer"
    case onHold = "on_hold"
    case damaged
}

/// One side of a state change: an enterprise state, or outside the enterprise's stock (before a
/// receipt, after shipping to a customer).
public enum StateRef: Sendable, Hashable, CustomStringConvertible {
    case outside
    case state(InventoryState)

    public var rawValue: String {
        switch self {
        case .outside: "outside"
        case .state(let state): state.rawValue
        }
    }

    public init?(rawValue: String) {
        if rawValue == "outside" {
            self = .outside
        } else if let state = InventoryState(rawValue: rawValue) {
            self = .state(state)
        } else {
            return nil
        }
    }

    public var description: String { rawValue }
}

/// What a scan says happened, whatever code the site or gateway used for it.
public enum InventoryStep: String, Sendable, Hashable, CaseIterable {
    case received, putaway, moved, held, released, damaged, reserved, shipped
    case transferReceived = "transfer_received"
    case counted
}

/// Which locations a step may happen at.
public struct LocationRule: Sendable, Hashable {
    /// Allowed effective roles; empty means any.
    public var roles: Set<LocationRole>
    /// Allowed types; empty means any.
    public var types: Set<LocationType>
    /// Stock must be placed on a leaf (a bin or dock), not on a zone or aisle.
    public var leafRequired: Bool
    /// The step moves stock: a `toLocation` in the same site is required.
    public var needsToLocation: Bool
    /// The location must belong to the site of the destination of a transfer, not the sender.
    public var atDestinationSite: Bool

    public init(
        roles: Set<LocationRole> = [], types: Set<LocationType> = [], leafRequired: Bool = false,
        needsToLocation: Bool = false, atDestinationSite: Bool = false
    ) {
        self.roles = roles
        self.types = types
        self.leafRequired = leafRequired
        self.needsToLocation = needsToLocation
        self.atDestinationSite = atDestinationSite
    }

    /// Whether a location of this type and effective role satisfies the rule (leaf-ness is
    /// checked against the hierarchy by master data).
    public func accepts(type: LocationType, role: LocationRole?) -> Bool {
        (types.isEmpty || types.contains(type)) && (roles.isEmpty || role.map(roles.contains) == true)
    }
}

/// The outcome of a step: the state change and its EPCIS (CBV 2.0) meaning.
public struct Transition: Sendable, Hashable {
    public var step: InventoryStep
    /// Nil when the prior state is not known and the step allows several.
    public var from: StateRef?
    /// Nil for a count, and for a move whose state is not known (a move keeps the state).
    public var to: StateRef?
    /// CBV bizStep, e.g. `receiving`.
    public var bizStep: String
    /// CBV disposition, e.g. `in_progress`; nil when the step leaves it unchanged.
    public var disposition: String?
    public var location: LocationRule
}

/// The one table that decides every step (docs/canonical-model.md):
///
/// | step | from | to | where |
/// |---|---|---|---|
/// | received | outside | received | a receiving location of the site |
/// | putaway | received | available | a storage bin |
/// | moved | s | s | both locations in the same site |
/// | held | available, received | on_hold | any |
/// | released | on_hold | available | any |
/// | damaged | any | damaged | any |
/// | reserved | available | reserved | any |
/// | shipped | reserved, available | in_transfer (own site) or outside | a shipping location |
/// | transfer_received | in_transfer | received | a receiving location of the destination site |
/// | counted | n/a | n/a | a bin |
public struct InventoryStateMachine: Sendable {
    public struct Row: Sendable, Hashable {
        public var step: InventoryStep
        /// Allowed prior states; nil means any state.
        public var from: Set<StateRef>?
        public var bizStep: String
        public var disposition: String?
        public var location: LocationRule
    }

    public static let rows: [InventoryStep: Row] = {
        let leafReceiving = LocationRule(roles: [.receiving], leafRequired: true)
        let rows: [Row] = [
            Row(
                step: .received, from: [.outside], bizStep: "receiving", disposition: "in_progress",
                location: leafReceiving),
            Row(
                step: .putaway, from: [.state(.received)], bizStep: "storing", disposition: "sellable_accessible",
                location: LocationRule(roles: [.storage], types: [.bin], leafRequired: true)),
            Row(
                step: .moved, from: nil, bizStep: "storing", disposition: nil,
                location: LocationRule(leafRequired: true, needsToLocation: true)),
            Row(
                step: .held, from: [.state(.available), .state(.received)], bizStep: "holding",
                disposition: "non_sellable_other", location: LocationRule()),
            Row(
                step: .released, from: [.state(.onHold)], bizStep: "inspecting", disposition: "sellable_accessible",
                location: LocationRule()),
            Row(
                step: .damaged, from: nil, bizStep: "inspecting", disposition: "damaged", location: LocationRule()),
            Row(
                step: .reserved, from: [.state(.available)], bizStep: "reserving", disposition: "reserved",
                location: LocationRule()),
            Row(
                step: .shipped, from: [.state(.reserved), .state(.available)], bizStep: "shipping",
                disposition: "in_transit", location: LocationRule(roles: [.shipping], leafRequired: true)),
            Row(
                step: .transferReceived, from: [.state(.inTransfer)], bizStep: "receiving",
                disposition: "in_progress",
                location: LocationRule(roles: [.receiving], leafRequired: true, atDestinationSite: true)),
            Row(
                step: .counted, from: nil, bizStep: "cycle_counting", disposition: nil,
                location: LocationRule(types: [.bin], leafRequired: true)),
        ]
        return Dictionary(uniqueKeysWithValues: rows.map { ($0.step, $0) })
    }()

    /// The transition for a step.
    ///
    /// - Parameters:
    ///   - prior: the state before the step, when known (`nil` = unknown; `.outside` = not yet
    ///     stock).
    ///   - shipsToOwnSite: for `shipped`: the destination is one of the enterprise's sites, so the
    ///     stock goes `in_transfer` instead of leaving.
    /// - Returns: the transition, or a `STATE_TRANSITION_INVALID` diagnostic when the prior state
    ///   does not allow the step.
    public static func transition(
        for step: InventoryStep, from prior: StateRef? = nil, shipsToOwnSite: Bool = false
    ) -> Result<Transition, Diagnostic> {
        let row = rows[step]!
        if let prior, let allowed = row.from, !allowed.contains(prior) {
            let expected = allowed.map(\.rawValue).sorted().joined(separator: " or ")
            return .failure(
                .error(
                    .stateTransitionInvalid,
                    "step '\(step.rawValue)' is not possible from state '\(prior.rawValue)' (it needs \(expected))"))
        }
        let from: StateRef? = prior ?? (row.from?.count == 1 ? row.from!.first : nil)
        let to: StateRef?
        switch step {
        case .received, .transferReceived: to = .state(.received)
        case .putaway, .released: to = .state(.available)
        case .moved: to = prior
        case .held: to = .state(.onHold)
        case .damaged: to = .state(.damaged)
        case .reserved: to = .state(.reserved)
        case .shipped: to = shipsToOwnSite ? .state(.inTransfer) : .outside
        case .counted: to = nil
        }
        // A count asserts a quantity; it does not change state.
        let changeFrom = step == .counted ? nil : from
        return .success(
            Transition(
                step: step, from: changeFrom, to: to, bizStep: row.bizStep, disposition: row.disposition,
                location: row.location))
    }
}
