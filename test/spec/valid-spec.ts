// The small valid spec the tests mutate (no vitest imports: scripts may use it too).

/** A small valid spec, as text, that tests mutate. */
export const VALID_SPEC = `archverify: 1
contexts: { ordering: { owner: team-orders }, billing: {} }
contextMap: [ { upstream: billing, downstream: ordering, pattern: customer-supplier } ]
layers: [ edge, application, core ]
services:
  order:
    context: ordering
    layer: application
    datastores: [ order-db ]
    calls: [ { to: inventory, protocol: grpc } ]
  inventory: { context: ordering, layer: core }
  payment: { context: billing, layer: core }
datastores: { order-db: { kind: postgres } }
channels:
  order-events:
    broker: kafka
    key: orderId
    ordering: per-key
    events: [ OrderPlaced, OrderCancelled ]
    producers: [ order ]
    consumers: [ inventory, payment ]
gateway: { routes: [ { path: /orders, to: order, plugins: [ auth ] } ] }
scenarios:
  happy-path: { inputs: [ { channel: order-events, event: { type: OrderPlaced, orderId: o1 } } ] }
`;
