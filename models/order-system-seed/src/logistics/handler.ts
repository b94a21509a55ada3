// The seed's logistics service: OrderService -> LogisticsService: ship;
// LogisticsService -> OrderService: shipping result.
import type { LogisticsInbound, ShippingResult, Step } from "../shared/events.js";

export interface LogisticsState {
  shipments: Record<string, { orderId: string; status: "delivered" }>;
}

export const logistics = {
  initialState: (): LogisticsState => ({ shipments: {} }),

  handle(state: LogisticsState, event: LogisticsInbound): Step<LogisticsState, ShippingResult> {
    if (event.type !== "ShipOrder" || Object.hasOwn(state.shipments, event.orderId)) return { state };
    const shipments = { ...state.shipments };
    Object.defineProperty(shipments, event.orderId, {
      value: { orderId: event.orderId, status: "delivered" },
      enumerable: true,
      writable: true,
      configurable: true,
    });
    return {
      state: { shipments },
      emit: [{ type: "ShippingResult", id: `${event.orderId}:shipped`, orderId: event.orderId, status: "delivered" }],
    };
  },
};
