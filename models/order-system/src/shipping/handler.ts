// The shipping (logistics) service: one shipment per confirmed order.
// ShipOrder (from the order saga) dispatches the parcel; the carrier's
// ParcelDelivered webhook confirms delivery. The two arrive on different
// channels in either order: a delivery confirmation that overtakes its
// shipment request is kept and applied when the request arrives (buffering of
// early events), and the shipment's status is a function of the two facts.
import type { ParcelDelivered, ShipmentDelivered, ShipmentDispatched, ShipOrder, ShippingInbound, Step, StockLine } from "../shared/events.js";
import { lookup, put, type Table } from "../shared/records.js";

export type ShipmentStatus = "pending" | "shipped" | "delivered";

export interface Shipment {
  id: string;
  orderId: string;
  carrier: string;
  trackingNumber: string;
  items: StockLine[];
  /** The order saga asked for this shipment. */
  requested: boolean;
  /** The carrier confirmed delivery. */
  carrierConfirmed: boolean;
  status: ShipmentStatus;
}

export interface ShippingState {
  shipments: Table<Shipment>;
}

export type ShippingEmission = ShipmentDispatched | ShipmentDelivered;
type Result = Step<ShippingState, ShippingEmission>;

export const CARRIER = "acme-parcel";

function statusOf(s: Pick<Shipment, "requested" | "carrierConfirmed">): ShipmentStatus {
  if (!s.requested) return "pending";
  return s.carrierConfirmed ? "delivered" : "shipped";
}

function blank(orderId: string): Shipment {
  return {
    id: `shp-${orderId}`,
    orderId,
    carrier: CARRIER,
    trackingNumber: `TRK-${orderId}`,
    items: [],
    requested: false,
    carrierConfirmed: false,
    status: "pending",
  };
}

function update(state: ShippingState, orderId: string, learn: (s: Shipment) => Shipment): Result {
  const before = lookup(state.shipments, orderId) ?? blank(orderId);
  const learnt = learn(before);
  if (learnt === before) return { state };
  const after = { ...learnt, status: statusOf(learnt) };
  const emit: ShippingEmission[] = [];
  if (before.status === "pending" && after.status !== "pending") {
    emit.push({
      type: "ShipmentDispatched",
      id: `${orderId}:ShipmentDispatched`,
      orderId,
      shipmentId: after.id,
      trackingNumber: after.trackingNumber,
    });
  }
  if (before.status !== "delivered" && after.status === "delivered") {
    emit.push({ type: "ShipmentDelivered", id: `${orderId}:ShipmentDelivered`, orderId, shipmentId: after.id });
  }
  return { state: { shipments: put(state.shipments, orderId, after) }, emit };
}

function ship(state: ShippingState, e: ShipOrder): Result {
  const items = Array.isArray(e.items) ? e.items : [];
  return update(state, e.orderId, (s) => (s.requested ? s : { ...s, requested: true, items }));
}

function delivered(state: ShippingState, e: ParcelDelivered): Result {
  return update(state, e.orderId, (s) => (s.carrierConfirmed ? s : { ...s, carrierConfirmed: true }));
}

export const shipping = {
  initialState: (): ShippingState => ({ shipments: {} }),

  handle(state: ShippingState, event: ShippingInbound): Result {
    switch (event.type) {
      case "ShipOrder":
        return ship(state, event);
      case "ParcelDelivered":
        return delivered(state, event);
      default:
        return { state };
    }
  },
};
