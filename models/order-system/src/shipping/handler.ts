// The shipping (logistics) service: one shipment per confirmed order.
// ShipOrder (from the order saga) dispatches the parcel; the carrier's
// ParcelDelivered webhook confirms delivery. The two arrive on different
// channels in either order: a delivery confirmation that overtakes its
// shipment request is kept and applied when the request arrives (buffering of
// early events), and the shipment's status is a function of the two facts.
import type { Address, ParcelDelivered, ShipmentDelivered, ShipmentDispatched, ShipOrder, ShippingInbound, Step, StockLine } from "../shared/events.js";
import { addressProblem, copyAddress } from "../shared/address.js";
import { isCount, isRecord, isText, lookup, put, type Table } from "../shared/records.js";

export type ShipmentStatus = "pending" | "shipped" | "delivered";

export interface Shipment {
  id: string;
  orderId: string;
  carrier: string;
  trackingNumber: string;
  items: StockLine[];
  /** Where the parcel goes (null until the order saga asks for the shipment). */
  address: Address | null;
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
    address: null,
    requested: false,
    carrierConfirmed: false,
    status: "pending",
  };
}

function update(state: ShippingState, orderId: unknown, learn: (s: Shipment) => Shipment): Result {
  if (!isText(orderId)) return { state };
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

/** The lines of a shipment request, or null when they or the address are unusable (a request to ignore). */
function validRequest(e: ShipOrder): { items: StockLine[]; address: Address } | null {
  const items: unknown = e.items;
  if (!Array.isArray(items) || items.length === 0) return null;
  for (const l of items as unknown[]) if (!isRecord(l) || !isText(l["productId"]) || !isCount(l["quantity"])) return null;
  if (addressProblem(e.address) !== null) return null;
  return { items: (items as StockLine[]).map((l) => ({ productId: l.productId, quantity: l.quantity })), address: copyAddress(e.address) };
}

function ship(state: ShippingState, e: ShipOrder): Result {
  const request = validRequest(e);
  if (request === null) return { state };
  return update(state, e.orderId, (s) => (s.requested ? s : { ...s, requested: true, ...request }));
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
