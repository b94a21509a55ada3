// Which handler-property failures are errors and which are warnings: a
// commutation failure of one event type (or one needing an entity to get two
// different events of one type) is a warning unless two different entities
// fail too; a throw is an error only on real traffic that no redelivery cures.
import { fileURLToPath } from "node:url";
import { beforeAll, describe, expect, it } from "vitest";
import type { Event } from "../../src/model/handler.js";
import type { ServiceRuntime } from "../../src/model/runtime-types.js";
import { judgeCommutation, judgeThrows } from "../../src/check/handlers/findings.js";
import { runHandlerProperties, type HandlerPropertiesResult } from "../../src/check/handlers/run.js";
import { runScenarioTraffic, type TrafficPlan } from "../../src/check/handlers/scenario-traffic.js";
import type { PropertyFailure, ServiceReport } from "../../src/check/handlers/types.js";
import { loadSpec, loadSpecText } from "../../src/spec/load.js";

const fixture = (name: string) => fileURLToPath(new URL(`../fixtures/handlers/${name}`, import.meta.url));

describe("commutation severity", () => {
  let result: HandlerPropertiesResult;
  beforeAll(async () => {
    result = await runHandlerProperties(await loadSpec(fixture("commutation.yaml")), { seed: 1, runs: 100, maxDepth: 6, properties: ["commutation"] });
  });
  const failures = (service: string) =>
    (result.reports.find((r) => r.service === service)?.failures ?? []).map((f) => `${f.eventTypes.join("/")} ${f.severity ?? "error"}`).sort();

  it("an error when two DIFFERENT entities' events of one type do not commute (found by a second search)", () => {
    expect(failures("last-status")).toEqual(["StatusChanged/StatusChanged error"]);
    const f = result.reports.find((r) => r.service === "last-status")!.failures[0]!;
    expect(f.message).toContain("for two different orderIds");
    expect(f.counterexample.search).toBe("distinct-keys");
    const [a, b] = f.counterexample.events as (Event & { orderId: string })[];
    expect(a!.orderId).not.toBe(b!.orderId);
  });

  it("a warning when only one entity getting two different events of one type fails, saying so", () => {
    expect(failures("charges")).toEqual(["OrderAccepted/OrderAccepted warning", "OrderAccepted/PaymentRequested warning"]);
    const pair = result.reports.find((r) => r.service === "charges")!.failures.find((f) => f.eventTypes[1] === "PaymentRequested")!;
    expect(pair.message).toContain("needs two OrderAccepted events for one orderId with different data");
    const same = result.reports.find((r) => r.service === "charges")!.failures.find((f) => f.eventTypes[1] === "OrderAccepted")!;
    expect(same.message).toContain("matters only if two such events for one entity can be in flight together");
  });
});

// A tiny service runtime for the in-order runs.
function runtime(name: string, handle: (s: Record<string, unknown>, e: Event) => { state: Record<string, unknown>; emit?: Event[] }): ServiceRuntime {
  return {
    name,
    source: { raw: `x.ts#${name}`, file: "x.ts", exportName: name, loc: { file: "x.ts", line: 1, column: 1 } },
    shape: "handle",
    initialState: () => ({}),
    handle: (s, e) => {
      const r = handle(s as Record<string, unknown>, e);
      return { state: r.state, emit: r.emit ?? [] };
    },
  };
}

const ev = (type: string, id: string, more: Record<string, unknown> = {}): Event => ({ type, id, ...more });

describe("scenario traffic (the scenarios run in order, failed deliveries retried after the rest)", () => {
  const plan: TrafficPlan = {
    channels: { in: { consumers: ["pay"] }, out: { consumers: ["audit"] } },
    eventChannel: { Requested: "in", Accepted: "in", Charged: "out" },
    scenarios: [{ name: "early", inputs: [{ channel: "in", event: ev("Requested", "r1") }, { channel: "in", event: ev("Accepted", "a1") }] }],
  };
  // pay throws on Requested until it has seen Accepted, then emits Charged; audit rejects Charged forever.
  const pay = runtime("pay", (s, e) => {
    if (e.type === "Accepted") return { state: { ...s, known: true } };
    if (!s.known) throw new Error("not known yet");
    return { state: { ...s, charged: true }, emit: [ev("Charged", "c1")] };
  });
  const audit = runtime("audit", () => {
    throw new Error("cannot audit");
  });

  it("tells a throw a redelivery cures from one that stays, with the state it had", () => {
    const t = runScenarioTraffic(plan, new Map([["pay", pay], ["audit", audit]]));
    expect(t.truncated).toEqual([]);
    expect(t.throws.map((x) => `${x.service} ${x.eventType} ${x.permanent ? "permanent" : "cured"}`).sort()).toEqual([
      "audit Charged permanent",
      "pay Requested cured",
    ]);
    const cured = t.throws.find((x) => x.service === "pay")!;
    expect(cured.prefix).toEqual([]); // first failure: nothing applied yet
    expect(cured.error).toBe("not known yet");
  });

  it("skips event types excluded for a service (a hang), and stops an endless exchange without calling it permanent", () => {
    const t = runScenarioTraffic(plan, new Map([["pay", pay], ["audit", audit]]), new Map([["audit", ["Charged"]]]));
    expect(t.throws.map((x) => x.service)).toEqual(["pay"]);
    const loop: TrafficPlan = {
      channels: { ping: { consumers: ["echo"] } },
      eventChannel: { Ping: "ping" },
      scenarios: [{ name: "forever", inputs: [{ channel: "ping", event: ev("Ping", "p0") }] }],
    };
    const echo = runtime("echo", (s, e) => ({ state: s, emit: [ev("Ping", `${e.id}+`)] }));
    expect(runScenarioTraffic(loop, new Map([["echo", echo]])).truncated).toEqual(["forever"]);
  });
});

describe("handler-throws severity", () => {
  const specText = (bound: string) => `archverify: 1
services:
  src: {}
  pay: { handler: commutation.ts#charges }
channels:
  in: { events: [Requested, Accepted], producers: [src], consumers: [pay] ${bound} }
`;
  const generated = (type: string): PropertyFailure => ({
    property: "handler-throws",
    service: "pay",
    eventTypes: [type],
    message: `pay: handling ${type} throws: boom`,
    counterexample: { property: "handler-throws", service: "pay", seed: 1, fcSeed: 7, path: "0", prefix: [], events: [ev(type, "e1")], shrinks: 0 },
  });
  const report = (throws: ServiceReport["scenarioThrows"]): ServiceReport => ({
    service: "pay",
    origin: "test",
    failures: [],
    notes: [],
    runs: 1,
    calls: 1,
    ms: 0,
    ...(throws ? { scenarioThrows: throws } : {}),
  });
  const thrown = (permanent: boolean) => ({
    scenario: "s",
    service: "pay",
    eventType: "Requested",
    event: ev("Requested", "r1"),
    channel: "in",
    prefix: [ev("Accepted", "a1")],
    state: {},
    error: "boom",
    permanent,
  });
  const verdicts = (bound: string, throws: ServiceReport["scenarioThrows"], failures: PropertyFailure[]) =>
    judgeThrows(loadSpecText(specText(bound), fixture("virtual.yaml")), report(throws), failures).map((f) => `${f.eventTypes[0]} ${f.severity ?? "error"}`);

  it("is an error for a permanent throw on scenario traffic on a channel that never dead-letters it, shown with the scenario's events", () => {
    const out = judgeThrows(loadSpecText(specText(""), fixture("virtual.yaml")), report([thrown(true)]), [generated("Requested")]);
    expect(out.map((f) => `${f.eventTypes[0]} ${f.severity ?? "error"}`)).toEqual(["Requested error"]);
    expect(out[0]!.counterexample.scenario).toBe("s");
    expect(out[0]!.counterexample.prefix.map((e) => e.id)).toEqual(["a1"]);
  });

  it("is a warning on a dead-lettering channel, for a throw a redelivery cures, and on generated events only", () => {
    expect(verdicts(", maxRedeliveries: 3", [thrown(true)], [generated("Requested")])).toEqual(["Requested warning"]);
    expect(verdicts("", [thrown(false)], [generated("Requested")])).toEqual(["Requested warning"]);
    expect(verdicts("", [], [generated("Accepted")])).toEqual(["Accepted warning"]);
    expect(verdicts("", undefined, [generated("Accepted")])).toEqual(["Accepted warning"]);
  });

  it("keeps a throwing initialState an error", () => {
    expect(verdicts("", [], [{ ...generated("x"), eventTypes: ["initialState"] }])).toEqual(["initialState error"]);
  });
});

describe("commutation severity: what the scenarios show about an entity's events of one type", () => {
  let result: HandlerPropertiesResult;
  let untold: HandlerPropertiesResult;
  beforeAll(async () => {
    result = await runHandlerProperties(await loadSpec(fixture("commutation-evidence.yaml")), { seed: 1, runs: 100, maxDepth: 6, properties: ["commutation"] });
    untold = await runHandlerProperties(await loadSpec(fixture("commutation-updates.yaml")), { seed: 1, runs: 100, maxDepth: 6, properties: ["commutation"] });
  });
  const judged = (service: string, from = result) => {
    const report = from.reports.find((r) => r.service === service)!;
    const plan = from.plans.find((p) => p.name === service)!;
    return judgeCommutation(report, report.failures, (t) => plan.channels[t]).map((f) => ({ types: f.eventTypes.join("/"), severity: f.severity ?? "error", message: f.message }));
  };

  it("each entity gets one such event in the scenarios: a warning", () => {
    const found = judged("accepted-once");
    expect(found.map((f) => `${f.types} ${f.severity}`).sort()).toEqual(["OrderAccepted/OrderAccepted warning", "OrderAccepted/PaymentRequested warning"]);
  });

  it("no scenario delivers an update type (StatusChanged): an error, saying how a scenario would settle it", () => {
    const [f, ...more] = judged("last-status", untold);
    expect(more).toEqual([]);
    expect(f!.severity).toBe("error");
    expect(f!.message).toContain("StatusChanged reads as an update, which one entity gets again and again, and channel status-events may deliver two of them in either order");
    expect(f!.message).toContain("give channel status-events a key and ordering: per-key");
  });

  it("no scenario delivers another type (OrderAccepted, a creation): still a warning, saying what would make it a bug", () => {
    const found = judged("charges", untold);
    expect(found.map((f) => `${f.types} ${f.severity}`).sort()).toEqual(["OrderAccepted/OrderAccepted warning", "OrderAccepted/PaymentRequested warning"]);
    for (const f of found) expect(f.message).toContain("no scenario delivers OrderAccepted to charges: if one orderId can get several OrderAccepted (updates), this is a bug");
  });

  it("a scenario delivers two different events of the type for one key: an error naming it", () => {
    const [f, ...more] = judged("status-twice");
    expect(more).toEqual([]);
    expect(f!.severity).toBe("error");
    expect(f!.message).toContain("scenario ship delivers two StatusChanged events with different data for orderId o1 to status-twice");
  });
});
