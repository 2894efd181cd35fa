import Synchronization

/// What carriers can refer to a shipment by (ASN number, bill of lading, PRO and tracking
/// numbers), learnt from the ship notices that passed, so carrier status can carry the ASN's
/// `shipmentId`. Shared by the records of one process; bounded, oldest first out.
public final class ShipmentLinks: Sendable {
    private struct State {
        var byReference: [String: String] = [:]
        var order: [String] = []
    }

    private let state = Mutex(State())
    private let capacity: Int

    public init(capacity: Int = 200_000) { self.capacity = capacity }

    public func remember(_ references: [String], shipmentId: String) {
        state.withLock { state in
            for reference in references where !reference.isEmpty {
                if state.byReference.updateValue(shipmentId, forKey: reference) == nil { state.order.append(reference) }
            }
            if state.order.count > capacity {
                let excess = state.order.count - capacity
                for reference in state.order.prefix(excess) { state.byReference[reference] = nil }
                state.order.removeFirst(excess)
            }
        }
    }

    public func shipment(for reference: String) -> String? { state.withLock { $0.byReference[reference] } }
}
