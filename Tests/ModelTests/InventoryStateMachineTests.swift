import Model
import Testing

/// Every row of the step table in docs/canonical-model.md.
@Suite("Inventory state machine")
struct InventoryStateMachineTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var step: InventoryStep
        var prior: StateRef?
        var shipsToOwnSite = false
        var from: StateRef?
        var to: StateRef?
        var bizStep: String
        var disposition: String?
        var testDescription: String { "\(step.rawValue) from \(prior?.rawValue ?? "unknown")" }
    }

    static let valid: [Case] = [
        Case(step: .received, prior: .outside, from: .outside, to: .state(.received), bizStep: "receiving", disposition: "in_progress"),
        Case(step: .received, prior: nil, from: .outside, to: .state(.received), bizStep: "receiving", disposition: "in_progress"),
        Case(step: .putaway, prior: .state(.received), from: .state(.received), to: .state(.available), bizStep: "storing", disposition: "sellable_accessible"),
        Case(step: .putaway, prior: nil, from: .state(.received), to: .state(.available), bizStep: "storing", disposition: "sellable_accessible"),
        Case(step: .moved, prior: .state(.available), from: .state(.available), to: .state(.available), bizStep: "storing", disposition: nil),
        Case(step: .moved, prior: .state(.onHold), from: .state(.onHold), to: .state(.onHold), bizStep: "storing", disposition: nil),
        Case(step: .moved, prior: nil, from: nil, to: nil, bizStep: "storing", disposition: nil),
        Case(step: .held, prior: .state(.available), from: .state(.available), to: .state(.onHold), bizStep: "holding", disposition: "non_sellable_other"),
        Case(step: .held, prior: .state(.received), from: .state(.received), to: .state(.onHold), bizStep: "holding", disposition: "non_sellable_other"),
        Case(step: .held, prior: nil, from: nil, to: .state(.onHold), bizStep: "holding", disposition: "non_sellable_other"),
        Case(step: .released, prior: .state(.onHold), from: .state(.onHold), to: .state(.available), bizStep: "inspecting", disposition: "sellable_accessible"),
        Case(step: .damaged, prior: .state(.reserved), from: .state(.reserved), to: .state(.damaged), bizStep: "inspecting", disposition: "damaged"),
        Case(step: .damaged, prior: .state(.inTransfer), from: .state(.inTransfer), to: .state(.damaged), bizStep: "inspecting", disposition: "damaged"),
        Case(step: .reserved, prior: .state(.available), from: .state(.available), to: .state(.reserved), bizStep: "reserving", disposition: "reserved"),
        Case(step: .shipped, prior: .state(.reserved), from: .state(.reserved), to: .outside, bizStep: "shipping", disposition: "in_transit"),
        Case(step: .shipped, prior: .state(.available), shipsToOwnSite: true, from: .state(.available), to: .state(.inTransfer), bizStep: "shipping", disposition: "in_transit"),
        Case(step: .shipped, prior: nil, from: nil, to: .outside, bizStep: "shipping", disposition: "in_transit"),
        Case(step: .transferReceived, prior: .state(.inTransfer), from: .state(.inTransfer), to: .state(.received), bizStep: "receiving", disposition: "in_progress"),
        Case(step: .counted, prior: .state(.available), from: nil, to: nil, bizStep: "cycle_counting", disposition: nil),
    ]

    @Test("allowed transitions give the state change and CBV terms of the table", arguments: valid)
    func allowed(_ c: Case) throws {
        let transition = try InventoryStateMachine.transition(for: c.step, from: c.prior, shipsToOwnSite: c.shipsToOwnSite).get()
        #expect(transition.from == c.from)
        #expect(transition.to == c.to)
        #expect(transition.bizStep == c.bizStep)
        #expect(transition.disposition == c.disposition)
    }

    static let invalid: [(InventoryStep, StateRef)] = [
        (.received, .state(.available)), (.putaway, .state(.available)), (.putaway, .outside),
        (.held, .state(.reserved)), (.held, .state(.onHold)), (.released, .state(.available)),
        (.reserved, .state(.onHold)), (.reserved, .state(.received)), (.shipped, .state(.onHold)),
        (.shipped, .state(.received)), (.transferReceived, .state(.available)), (.transferReceived, .outside),
    ]

    @Test("impossible transitions are STATE_TRANSITION_INVALID", arguments: invalid)
    func impossible(step: InventoryStep, prior: StateRef) {
        guard case .failure(let diagnostic) = InventoryStateMachine.transition(for: step, from: prior) else {
            Issue.record("\(step) from \(prior) was accepted")
            return
        }
        #expect(diagnostic.code == .stateTransitionInvalid)
        #expect(diagnostic.severity == .error)
        #expect(diagnostic.message.contains(step.rawValue) && diagnostic.message.contains(prior.rawValue))
    }

    @Test("every step has exactly one row, and the location rules of the table")
    func locationRules() {
        #expect(Set(InventoryStateMachine.rows.keys) == Set(InventoryStep.allCases))
        func rule(_ step: InventoryStep) -> LocationRule { InventoryStateMachine.rows[step]!.location }
        #expect(rule(.received).roles == [.receiving] && rule(.received).leafRequired)
        #expect(rule(.putaway).accepts(type: .bin, role: .storage))
        #expect(!rule(.putaway).accepts(type: .dock, role: .receiving))
        #expect(!rule(.putaway).accepts(type: .bin, role: .receiving))
        #expect(rule(.moved).needsToLocation && rule(.moved).leafRequired)
        #expect(rule(.shipped).accepts(type: .dock, role: .shipping) && !rule(.shipped).accepts(type: .dock, role: .receiving))
        #expect(rule(.transferReceived).atDestinationSite && rule(.transferReceived).roles == [.receiving])
        #expect(rule(.counted).accepts(type: .bin, role: .storage) && !rule(.counted).accepts(type: .zone, role: .storage))
        for step in [InventoryStep.held, .released, .damaged, .reserved] {
            #expect(rule(step).accepts(type: .zone, role: nil), "\(step) may happen anywhere")
        }
    }
}
