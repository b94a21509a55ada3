// Every documented code pattern, recognised on its own line: emission sites,
// subscription branches, handler shapes, call patterns and rule options.
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { analyseDrift, DEFAULT_DRIFT_OPTIONS, type DriftAnalysis } from "../../../src/code/drift/analysis.js";
import { callPatternsFromOptions } from "../../../src/code/drift/calls.js";
import { createCodeProject } from "../../../src/code/project.js";
import { ArchverifyError } from "../../../src/errors.js";
import { loadSpecSync, loadSpecText } from "../../../src/spec/load.js";
import { FIXTURES, runFixture } from "./run-fixture.js";

function analyse(name: string, options = DEFAULT_DRIFT_OPTIONS): DriftAnalysis {
  const spec = loadSpecSync(join(FIXTURES, name, "spec.yaml"));
  const cp = createCodeProject(spec);
  if (!cp) throw new Error("no code");
  return analyseDrift(cp, spec, options);
}

const emitted = (a: DriftAnalysis, service: string) =>
  a.services.get(service)!.emissions.emissions.map((e) => `${e.eventType}:${e.loc.line}`);

describe("recognised patterns (drift/patterns fixture)", () => {
  let a: DriftAnalysis;
  beforeAll(() => {
    a = analyse("drift/patterns");
  });

  it("uses the nearest tsconfig.json and gives each service its own files", () => {
    expect(a.project.tsconfig?.endsWith(join("fixtures", "drift", "tsconfig.json"))).toBe(true);
    expect(a.services.get("emitter")!.code.files.map((f) => f.fileName.split("/").slice(-2).join("/"))).toEqual([
      "emitter/events.ts",
      "emitter/handler.ts",
    ]);
  });

  it("finds every emission pattern at the line of its site", () => {
    expect(emitted(a, "emitter")).toEqual([
      "Spread:7", // returned by a helper spread into emit
      "ResultPushed:15", // result.emit.push(...)
      "Called:18", // ctx.emit(...)
      "Constant:19", // type: CONSTANT (a const)
      "Pushed:20", // emit.push(...) on the array later returned as emit
      "Enumerated:21", // type: Kind.Enumerated (an enum member)
      "Literal:25", // object literal in the emit array
      "Constructed:26", // typed constructor
      "Either1:27", // helper returning a union
      "Either2:27",
      "Satisfied:28", // satisfies
      "Concatenated:31", // .concat(...)
    ]);
    expect(a.services.get("emitter")!.emissions.unresolved).toEqual([]);
  });

  it("reads the handler shapes: handle, Decider (decide's results are emissions), default-exported reducer", () => {
    expect(a.services.get("emitter")!.entry?.shape).toBe("handle");
    expect(a.services.get("decider")!.entry?.shape).toBe("decider");
    expect(a.services.get("reducer")!.entry?.shape).toBe("reducer");
    expect(emitted(a, "decider")).toEqual(["Opened:9", "Closed:11"]);
    expect(emitted(a, "reducer")).toEqual(["Reduced:5"]);
  });

  it("separates what a handler branches on from what its parameter type accepts", () => {
    const subs = (s: string) => a.services.get(s)!.subscriptions!;
    expect(subs("emitter").handled.map((s) => s.eventType)).toEqual(["Stop"]);
    expect(subs("emitter").accepted?.map((s) => s.eventType)).toEqual(["Go", "Stop"]);
    expect(subs("decider").handled.map((s) => `${s.eventType}:${s.loc.line}`)).toEqual(["Close:10", "Open:8"]);
    // Annotated with a generic Handler interface: the branches are still read from the initializer.
    expect(subs("typed").handled.map((s) => `${s.eventType}:${s.loc.line}`)).toEqual(["Go:14"]);
    expect(emitted(a, "typed")).toEqual(["Typed:15"]);
    expect(subs("reducer").handled).toEqual([]);
    expect(subs("reducer").accepted?.map((s) => s.eventType)).toEqual(["Go"]);
  });
});

describe("subscription patterns", () => {
  it("switch, ===, !== in a delegate, destructured type, dispatch map, includes", () => {
    const clean = analyse("drift/clean");
    const handled = (a: DriftAnalysis, s: string) => a.services.get(s)!.subscriptions!.handled.map((x) => `${x.eventType}:${x.loc.line}`);
    expect(handled(clean, "order")).toEqual(["PaymentFailed:24", "PaymentSucceeded:21", "StockRejected:18", "StockReserved:16"]);
    expect(handled(clean, "inventory")).toEqual(["OrderPlaced:8"]);
    // A dispatch map: at the keys.
    expect(handled(clean, "payment")).toEqual(["OrderCancelled:18", "OrderPlaced:14"]);
    const shipping = analyse("drift/undeclared-subscription");
    expect(handled(shipping, "shipping")).toEqual(["OrderPlaced:14", "OrderRefunded:15", "PaymentSucceeded:6"]);
    const notifier = analyse("drift/unused-subscription");
    expect(handled(notifier, "notifier")).toEqual(["PaymentFailed:7"]);
    expect(notifier.services.get("notifier")!.subscriptions!.accepted).toBeUndefined();
  });
});

describe("call patterns", () => {
  it("finds each pattern, ignores hosts that are not services, and only counts option callees when configured", () => {
    const calls = (a: DriftAnalysis) => a.services.get("order")!.calls.map((c) => `${c.target}:${c.loc.line}:${c.evidence}`);
    const plain = analyse("drift/undeclared-call");
    expect(calls(plain)).toEqual([
      'shipping:3:"http://shipping-service:8080"',
      'inventory:6:callService("inventory")',
      "inventory:7:new InventoryClient()",
      'inventory:8:call("inventory")',
      "payment:9:new PaymentServiceClient()",
      'payment:10:call("payment")',
      "user-service:12:process.env.USER_SERVICE_URL",
      "catalog:13:createClient(CatalogService)",
    ]);
    const configured = analyse("drift/undeclared-call", {
      ...DEFAULT_DRIFT_OPTIONS,
      calls: callPatternsFromOptions({ callees: ["sendCommand"] }, undefined, "undeclared-call"),
    });
    expect(calls(configured)).toContain('billing:14:sendCommand("billing")');
  });

  it("injection through a constructor parameter counts", () => {
    const a = analyse("drift/unused-call");
    expect(a.services.get("order")!.calls.map((c) => `${c.target}:${c.loc.line}`)).toEqual(["inventory:4", "inventory:6"]);
  });

  it("rejects malformed options with the rule's location", () => {
    const loc = { file: "/x/spec.yaml", line: 3, column: 5 };
    expect(() => callPatternsFromOptions({ callees: "sendCommand" }, loc, "undeclared-call")).toThrow(ArchverifyError);
    try {
      callPatternsFromOptions({ urlPatterns: ["(unclosed"] }, loc, "undeclared-call");
      expect.unreachable();
    } catch (e) {
      expect((e as ArchverifyError).location).toEqual(loc);
      expect((e as ArchverifyError).message).toContain("invalid regular expression");
    }
  });
});

describe("service files", () => {
  it("splits shared, nested and single-file code roots between services", async () => {
    const a = analyse("drift/shared-roots");
    const files = (s: string) => a.services.get(s)!.code.files.map((f) => f.fileName.split("/shared-roots/")[1]);
    expect(files("a")).toEqual(["src/a.ts", "src/events.ts"]);
    expect(files("b")).toEqual(["src/b.ts", "src/events.ts"]);
    expect(files("c")).toEqual(["src/c/handler.ts"]);
    expect(files("d")).toEqual(["src/lib/d.ts"]);
    const { lines } = await runFixture("drift/shared-roots");
    expect(lines).toEqual([]);
  });
});

describe("bad input", () => {
  it("a handler export that does not exist is an input error at the spec's handler line, listing the exports", () => {
    const file = join(FIXTURES, "drift/patterns/bad-export.yaml");
    const spec = loadSpecText(
      ["archverify: 1", "services:", "  reducer:", "    code: src/reducer", "    handler: src/reducer/handler.ts#reducer"].join("\n"),
      file,
    );
    const cp = createCodeProject(spec)!;
    try {
      analyseDrift(cp, spec);
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(ArchverifyError);
      const err = e as ArchverifyError;
      expect(err.message).toBe("src/reducer/handler.ts#reducer: the module has no export named reducer");
      expect(err.location).toMatchObject({ file, line: 5 });
      expect(err.hint).toBe("it exports default");
    }
  });
});

describe("types the compiler cannot see", () => {
  it("reads a Decider whose types come from a package that is not installed from its code", async () => {
    const a = analyse("drift/broken-unresolved-package");
    const cart = a.services.get("cart")!;
    expect(cart.entry?.shape).toBe("decider");
    expect(cart.emissions.emissions.map((e) => `${e.eventType}:${e.loc.line}`)).toEqual(["ItemAdded:11", "CartConfirmed:20"]);
    expect(cart.subscriptions!.handled.map((s) => `${s.eventType}:${s.loc.line}`)).toEqual(["AddItem:17", "Confirm:19"]);
    const { lines } = await runFixture("drift/broken-unresolved-package");
    expect(lines).toEqual([]);
  });
});

describe("attribution and certainty (drift/shared-module fixture)", () => {
  let a: DriftAnalysis;
  beforeAll(() => {
    a = analyse("drift/shared-module");
  });
  const certain = (service: string) =>
    a.services.get(service)!.emissions.emissions.map((e) => `${e.eventType}:${e.certainty}:${e.loc.line}`);

  it("gives each export only the emissions and calls its own code reaches", () => {
    expect(certain("order")).toEqual(["OrderPlaced:definite:16"]);
    expect(certain("payment")).toEqual(["PaymentFailed:definite:25"]); // through a helper
    expect(a.services.get("payment")!.calls.map((c) => c.target)).toEqual(["ledger"]);
    expect(a.services.get("order")!.calls).toEqual([]);
  });

  it("binds a handler factory's parameters to the export's arguments", () => {
    expect(certain("a")).toEqual(["Pong:definite:35"]);
    expect(certain("b")).toEqual(["Ping:definite:35"]);
  });

  it("records a union-typed emission as possible, each member at the same site", () => {
    expect(certain("relay")).toEqual(["Audited:possible:43", "OrderPlaced:possible:43"]);
    expect(certain("stray")).toEqual(["Ping:possible:51", "Pong:possible:51"]);
  });

  it("counts only explicit branches as handled; the parameter's union as accepted", () => {
    const subs = a.services.get("order")!.subscriptions!;
    expect(subs.handled.map((s) => s.eventType)).toEqual(["PaymentFailed"]);
    expect(subs.accepted?.map((s) => s.eventType)).toEqual(["Audited", "OrderPlaced", "PaymentFailed", "Ping", "Pong"]);
  });
});
