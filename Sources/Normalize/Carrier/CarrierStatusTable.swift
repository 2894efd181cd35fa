public import Model

/// The status codes carriers send, mapped to the canonical statuses. One table, in data.
public enum CarrierStatusTable {
    /// X12 214 AT701 (shipment status code, element 1650).
    public static let x12: [String: CarrierStatusCode] = [
        "XB": .tendered,  // shipment acknowledged
        "X3": .tendered,  // arrived at pick-up location
        "X8": .tendered,  // arrived at pick-up location loading dock
        "AF": .pickedUp,  // carrier departed pick-up location with shipment
        "CP": .pickedUp,  // completed loading at pick-up location
        "P1": .departed,  // departed terminal location
        "OA": .departed,  // out-gate
        "I1": .inTransit,  // in-gate
        "J1": .inTransit,  // delivered to connecting line
        "K1": .inTransit,  // arrived at customs
        "L1": .inTransit,  // loading
        "AM": .inTransit,  // loaded on truck
        "R1": .inTransit,  // received from prior carrier
        "X4": .inTransit,  // arrived at terminal location
        "X6": .inTransit,  // en route to delivery location
        "AJ": .outForDelivery,  // tendered for delivery
        "AV": .outForDelivery,  // available for delivery
        "X1": .arrived,  // arrived at delivery location
        "X5": .arrived,  // arrived at delivery location loading dock
        "S1": .arrived,  // trailer spotted at consignee's location
        "D1": .delivered,  // completed unloading at delivery location
        "CD": .delivered,  // carrier departed delivery location
        "SD": .delayed,  // shipment delayed
        "AP": .delayed,  // delivery not completed
        "A3": .exception,  // shipment returned to shipper
        "A7": .exception,  // refused by consignee
        "A9": .exception,  // shipment damaged
        "CA": .exception,  // shipment cancelled
        "OO": .exception,  // paperwork received, did not receive shipment or equipment
        "AG": .etaUpdated,  // estimated delivery
        "X2": .etaUpdated,  // estimated date and/or time of arrival at consignee's location
        "B6": .etaUpdated,  // estimated to arrive at carrier terminal
    ]

    /// EDIFACT IFTSTA STS event codes (UN/EDIFACT 9011 as EANCOM and carriers use it).
    public static let edifact: [String: CarrierStatusCode] = [
        "1": .tendered,  // consignment received / booked
        "2": .pickedUp,  // collected
        "3": .departed,  // departed
        "4": .inTransit,  // in transit
        "5": .arrived,  // arrived
        "6": .outForDelivery,  // out for delivery
        "21": .delivered,  // delivered
        "22": .exception,  // not delivered
        "23": .delayed,  // delayed
        "24": .exception,  // damaged
        "25": .etaUpdated,  // estimated time of arrival
    ]

    /// Codes that announce an estimated delivery: their date is `estimatedDeliveryAt`.
    public static let estimateCodes: Set<String> = ["AG", "X2", "B6", "25"]
}
