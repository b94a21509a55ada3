import { fc, test } from "@fast-check/vitest";
import { describe, expect, it } from "vitest";
import { noEventLoops } from "../../src/check/rules/graph/no-event-loops.js";
import { buildSpec, type ChannelInput } from "./spec-builder.js";
import { findingsOf } from "./helpers.js";

const saga = {
  services: { order: {}, payment: {}, shipping: {} },
  channels: {
    "order-events": { events: ["OrderPlaced"], producers: ["order"], consumers: ["payment"] },
    "payment-events": { events: ["PaymentCompleted"], producers: ["payment"], consumers: ["order"] },
    "shipping-events": { events: ["Shipped"], producers: ["shipping"], consumers: [] },
  },
};

describe("no-event-loops", () => {
  it("reports a loop through two channels as a warning, step by step", async () => {
    const spec = buildSpec(saga);
    const [f, ...rest] = await findingsOf(noEventLoops, spec);
    expect(rest).toEqual([]);
    expect(f?.severity).toBe("warning");
    expect(f?.witness).toEqual(["order", "order-events", "payment", "payment-events", "order"]);
    expect(f?.message).toBe(
      "event loop: order publishes on order-events, consumed by payment; payment publishes on payment-events, consumed by order",
    );
    const orderEvents = spec.channels.get("order-events")!;
    const paymentEvents = spec.channels.get("payment-events")!;
    expect(f?.location).toEqual(orderEvents.producers[0]!.loc);
    expect(f?.related).toEqual([orderEvents.producers[0]!.loc, orderEvents.consumers[0]!.loc, paymentEvents.producers[0]!.loc, paymentEvents.consumers[0]!.loc]);
  });

  it("reports a service consuming its own channel", async () => {
    const spec = buildSpec({ services: { audit: {} }, channels: { log: { producers: ["audit"], consumers: ["audit"] } } });
    const [f] = await findingsOf(noEventLoops, spec);
    expect(f?.witness).toEqual(["audit", "log", "audit"]);
  });

  it("leaves out the channels listed in ignoreChannels", async () => {
    const spec = buildSpec({ ...saga, rules: { "no-event-loops": { options: { ignoreChannels: ["payment-events"] } } } });
    expect(await findingsOf(noEventLoops, spec)).toEqual([]);
  });

  it("rejects an unknown channel in ignoreChannels with a suggestion", async () => {
    const spec = buildSpec({ ...saga, rules: { "no-event-loops": { options: { ignoreChannels: ["payment-event"] } } } });
    await expect(findingsOf(noEventLoops, spec)).rejects.toMatchObject({
      message: 'rule no-event-loops: option ignoreChannels names unknown channel "payment-event"',
      hint: 'did you mean "payment-events"?',
    });
  });

  const flows = fc.integer({ min: 1, max: 6 }).chain((services) =>
    fc
      .array(fc.record({ producers: fc.uniqueArray(fc.nat(services - 1)), consumers: fc.uniqueArray(fc.nat(services - 1)) }), { maxLength: 6 })
      .map((channels) => ({ services, channels })),
  );

  test.prop([flows], { numRuns: 200 })("one finding per loop group; witness twice the shortest service-level loop", async ({ services, channels }) => {
    const svc = (i: number) => `s${i}`;
    const spec = buildSpec({
      services: Object.fromEntries(Array.from({ length: services }, (_, i) => [svc(i), {}])),
      channels: Object.fromEntries(
        channels.map((c, k): [string, ChannelInput] => [`c${k}`, { producers: c.producers.map(svc), consumers: c.consumers.map(svc) }]),
      ),
    });
    // Oracle: service a reaches service b in one step when a produces on a channel b consumes.
    const step = (a: number, b: number) => channels.some((c) => c.producers.includes(a) && c.consumers.includes(b));
    const d = Array.from({ length: services }, (_, i) => Array.from({ length: services }, (_, j) => (i === j ? 0 : step(i, j) ? 1 : Infinity)));
    for (let k = 0; k < services; k++) for (let i = 0; i < services; i++) for (let j = 0; j < services; j++) d[i]![j] = Math.min(d[i]![j]!, d[i]![k]! + d[k]![j]!);
    const group = (i: number) => Array.from({ length: services }, (_, j) => j).filter((j) => d[i]![j]! < Infinity && d[j]![i]! < Infinity);
    const groups = new Set<string>();
    for (let i = 0; i < services; i++) if (group(i).length > 1 || step(i, i)) groups.add(group(i).join(","));
    const findings = await findingsOf(noEventLoops, spec);
    expect(findings).toHaveLength(groups.size);
    for (const f of findings) {
      const w = f.witness!;
      const members = group(Number(w[0]!.slice(1)));
      let girth = Infinity;
      for (const a of members) for (const b of members) if (step(a, b)) girth = Math.min(girth, a === b ? 1 : 1 + d[b]![a]!);
      expect(w.length - 1).toBe(2 * girth);
      for (let i = 0; i + 2 < w.length; i += 2) {
        const c = channels[Number(w[i + 1]!.slice(1))]!;
        expect(c.producers.includes(Number(w[i]!.slice(1))) && c.consumers.includes(Number(w[i + 2]!.slice(1)))).toBe(true);
      }
    }
  });
});
