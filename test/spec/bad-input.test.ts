// Every kind of bad spec exits 2 with `file:line:column: what; expected ...`
// and no stack trace.
import { truncateSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { check, scratch, VALID_SPEC } from "./helpers.js";

const noStack = (err: string) => expect(err).not.toMatch(/\n\s+at /);

async function bad(files: Record<string, string | Uint8Array>, spec = "spec.yaml") {
  const dir = scratch(files);
  const result = await check(dir, spec);
  expect(result.code).toBe(2);
  expect(result.out).toBe("");
  noStack(result.err);
  return result.err;
}

describe("bad YAML", () => {
  it("reports a syntax error at its line and column", async () => {
    const err = await bad({ "spec.yaml": "archverify: 1\nservices:\n  order: layer: core\n" });
    expect(err).toMatch(/^spec\.yaml:3:10: YAML syntax error: Nested mappings are not allowed in compact mappings; expected valid YAML/m);
  });

  it("reports a duplicate key where it is repeated, naming the first", async () => {
    const err = await bad({ "spec.yaml": "archverify: 1\nservices:\n  order: {}\n  order: {}\n" });
    expect(err).toMatch(/^spec\.yaml:4:3: duplicate key "order"; expected each key once in a mapping \(first at line 3, column 3\)/m);
  });

  it("reports several documents in one file", async () => {
    const err = await bad({ "spec.yaml": "archverify: 1\n---\nservices: {}\n" });
    expect(err).toBe("spec.yaml:2:1: YAML syntax error: the file holds several YAML documents (this `---` starts another); expected one document per spec file; put the others in files named under `include:`\n");
  });

  it("refuses an alias bomb quickly", async () => {
    const lines = ["archverify: 1", 'a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
    for (let i = 1; i < 10; i++) lines.push(`a${i}: &a${i} [${Array.from({ length: 9 }, () => `*a${i - 1}`).join(",")}]`);
    const err = await bad({ "spec.yaml": `${lines.join("\n")}\n` });
    expect(err).toMatch(/^spec\.yaml:\d+:\d+: aliases expand the spec to .* nodes .*; expected at most 100000 nodes after expanding aliases\. this looks like an alias bomb/m);
  });

  it("refuses an alias inside the node it names", async () => {
    const err = await bad({ "spec.yaml": "archverify: 1\nlayers: &l [ a, *l ]\n" });
    expect(err).toMatch(/^spec\.yaml:2:\d+: alias \*l refers to a node that contains it/m);
  });

  it("refuses nesting deeper than the limit", async () => {
    const deep = `archverify: 1\nlayers: ${"[".repeat(300)}${"]".repeat(300)}\n`;
    expect(await bad({ "spec.yaml": deep })).toMatch(/^spec\.yaml:2:\d+: the YAML is nested more than 200 levels deep; expected a shallower spec/m);
  });

  it("refuses merge keys, which YAML 1.2 does not have", async () => {
    const err = await bad({ "spec.yaml": "archverify: 1\nbase: &b { layer: core }\nservices:\n  a: { <<: *b }\n" });
    expect(err).toMatch(/^spec\.yaml:4:8: YAML merge keys \(<<\) are not supported/m);
  });
});

describe("bad files", () => {
  it("refuses an empty file", async () => {
    expect(await bad({ "spec.yaml": "" })).toMatch(/^spec\.yaml:1:1: the spec is empty; expected a mapping with `archverify: 1`/m);
  });

  it("refuses a file with only comments", async () => {
    expect(await bad({ "spec.yaml": "# nothing here\n\n" })).toMatch(/^spec\.yaml:1:1: the spec is empty/m);
  });

  it("refuses a binary file at its first NUL byte", async () => {
    const err = await bad({ "spec.yaml": Buffer.from([0x61, 0x3a, 0x20, 0x31, 0x0a, 0x62, 0x00, 0x01, 0x02]) });
    expect(err).toMatch(/^spec\.yaml:2:2: the spec is a binary file \(it contains a NUL byte\); expected a UTF-8 YAML text file/m);
  });

  it("refuses text that is not UTF-8, pointing at the first bad byte", async () => {
    const latin1 = Buffer.concat([Buffer.from("archverify: 1\nservices:\n  caf"), Buffer.from([0xe9]), Buffer.from(": {}\n")]);
    const err = await bad({ "spec.yaml": latin1 });
    expect(err).toMatch(/^spec\.yaml:3:6: the spec is not valid UTF-8 \(byte 0xe9 at offset 29\); expected a UTF-8 YAML text file/m);
  });

  it("names UTF-16 for a UTF-16 file", async () => {
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from("archverify: 1\n", "utf16le")]);
    expect(await bad({ "spec.yaml": utf16 })).toMatch(/^spec\.yaml:1:1: the spec is UTF-16 text/m);
  });

  it("refuses a 50 MB file before reading it", async () => {
    const dir = scratch();
    const file = join(dir, "huge.yaml");
    writeFileSync(file, "archverify: 1\n");
    truncateSync(file, 50 * 1024 * 1024);
    const result = await check(dir, "huge.yaml");
    expect(result.code).toBe(2);
    expect(result.err).toMatch(/spec file .*huge\.yaml is 50\.0 MB, above the 16\.0 MB limit; expected a smaller spec\. split it into several files with `include:`/);
    noStack(result.err);
  });

  it("refuses a folder, pointing at the spec inside it", async () => {
    const err = await bad({ "specs/archverify.yaml": VALID_SPEC }, "specs");
    expect(err).toMatch(/specs is a folder; expected a YAML spec file\. did you mean .*specs[/\\]archverify\.yaml\?/);
  });

  it("refuses a missing path with a near-miss file name", async () => {
    const err = await bad({ "order-system.yaml": VALID_SPEC }, "order-sytem.yaml");
    expect(err).toMatch(/spec file .*order-sytem\.yaml does not exist; expected the path of a YAML spec file\. did you mean "order-system\.yaml"\?/);
  });
});

describe("bad shape", () => {
  it("refuses a top level that is not a mapping", async () => {
    expect(await bad({ "spec.yaml": "- services\n- channels\n" })).toMatch(/^spec\.yaml:1:1: the top level of the spec is a list; expected a mapping/m);
    expect(await bad({ "spec.yaml": "just a string\n" })).toMatch(/^spec\.yaml:1:1: the top level of the spec is the string "just a string"/m);
  });

  it("refuses another format version", async () => {
    expect(await bad({ "spec.yaml": VALID_SPEC.replace("archverify: 1", "archverify: 2") })).toMatch(/^spec\.yaml:1:13: unsupported spec format version 2; expected `archverify: 1`/m);
  });

  it("asks for the format version", async () => {
    expect(await bad({ "spec.yaml": VALID_SPEC.replace("archverify: 1\n", "") })).toMatch(/^spec\.yaml:1:1: the spec does not say its format version; expected `archverify: 1`/m);
  });

  it("reports an unknown key with the key it resembles", async () => {
    const err = await bad({ "spec.yaml": VALID_SPEC.replace("services:", "servcies:") });
    expect(err).toMatch(/^spec\.yaml:5:1: unknown key "servcies" in the spec; expected one of archverify, include, .*\. did you mean "services"\?/m);
  });

  it("reports an unknown key inside a service", async () => {
    const err = await bad({ "spec.yaml": VALID_SPEC.replace("    layer: application", "    layr: application") });
    expect(err).toMatch(/^spec\.yaml:8:5: unknown key "layr" in `services\.order`; expected one of context, layer, .*\. did you mean "layer"\?/m);
  });

  it("says what type was expected", async () => {
    const err = await bad({ "spec.yaml": VALID_SPEC.replace("datastores: [ order-db ]", "datastores: order-db").replace("calls: [", "outbox: \"yes\"\n    calls: [") });
    expect(err).toMatch(/^spec\.yaml:9:17: `services\.order\.datastores` is the string "order-db"; expected a list/m);
    expect(err).toMatch(/^spec\.yaml:10:13: `services\.order\.outbox` is the string "yes"; expected true or false/m);
  });

  it("reports a missing required field at its parent", async () => {
    const err = await bad({ "spec.yaml": VALID_SPEC.replace("{ to: inventory, protocol: grpc }", "{ protocol: grpc }") });
    expect(err).toMatch(/^spec\.yaml:10:14: `services\.order\.calls\[0\]` is missing "to"; expected a string/m);
  });

  it("suggests the closest enum value", async () => {
    const err = await bad({ "spec.yaml": VALID_SPEC.replace("ordering: per-key", "ordering: per-ky") });
    expect(err).toMatch(/^spec\.yaml:18:15: `channels\.order-events\.ordering` is the string "per-ky"; expected one of none, per-key, total\. did you mean "per-key"\?/m);
  });

  it("reports every problem, sorted by line", async () => {
    const err = await bad({ "spec.yaml": VALID_SPEC.replace("layers:", "layerz:").replace("broker: kafka", "broker: [kafka]") });
    const lines = err.trim().split(/\n+/);
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^spec\.yaml:4:1: unknown key "layerz"/);
    expect(lines[1]).toMatch(/^spec\.yaml:16:13: `channels\.order-events\.broker` is a list; expected a string/);
  });
});

describe("bad references", () => {
  it("reports an unknown service, context, layer and datastore with did-you-mean", async () => {
    const spec = VALID_SPEC.replace("to: inventory", "to: invetory").replace("context: ordering\n    layer: application", "context: orderin\n    layer: aplication").replace("[ order-db ]", "[ orders-db ]");
    const err = await bad({ "spec.yaml": spec });
    expect(err).toMatch(/^spec\.yaml:7:14: service "order" is in unknown context "orderin"; expected one of billing, ordering\. did you mean "ordering"\?/m);
    expect(err).toMatch(/^spec\.yaml:8:12: service "order" is in unknown layer "aplication"; expected one of application, core, edge\. did you mean "application"\?/m);
    expect(err).toMatch(/^spec\.yaml:9:19: service "order" uses unknown datastore "orders-db"; expected one of order-db\. did you mean "order-db"\?/m);
    expect(err).toMatch(/^spec\.yaml:10:20: service "order" calls unknown service "invetory"; expected one of inventory, order, payment\. did you mean "inventory"\?/m);
  });

  it("reports unknown channel producers, consumers, context-map contexts and route targets", async () => {
    const spec = VALID_SPEC.replace("producers: [ order ]", "producers: [ ordr ]").replace("consumers: [ inventory, payment ]", "consumers: [ inventory, paymnt ]").replace("upstream: billing", "upstream: biling").replace("to: order, plugins", "to: orders, plugins");
    const err = await bad({ "spec.yaml": spec });
    expect(err).toMatch(/^spec\.yaml:3:27: the context map names unknown context "biling"; expected one of billing, ordering\. did you mean "billing"\?/m);
    expect(err).toMatch(/^spec\.yaml:20:18: channel "order-events" names producer unknown service "ordr".*did you mean "order"\?/m);
    expect(err).toMatch(/^spec\.yaml:21:29: channel "order-events" names consumer unknown service "paymnt".*did you mean "payment"\?/m);
    expect(err).toMatch(/^spec\.yaml:22:\d+: gateway route \/orders goes to unknown service "orders".*did you mean "order"\?/m);
  });

  it("reports an event type listed in two channels, at the second, naming the first", async () => {
    const spec = `${VALID_SPEC.replace("scenarios:", "  refunds: { events: [ OrderCancelled ] }\nscenarios:")}`.replace("gateway:", "gateway:");
    const fixed = spec.replace("  refunds: { events: [ OrderCancelled ] }\nscenarios:", "scenarios:").replace("    consumers: [ inventory, payment ]\n", "    consumers: [ inventory, payment ]\n  refunds: { events: [ OrderCancelled ] }\n");
    const err = await bad({ "spec.yaml": fixed });
    expect(err).toMatch(/^spec\.yaml:22:24: event type "OrderCancelled" is listed in channels "order-events" and "refunds"; expected each event type in exactly one channel \(first at line 19, column 28\)/m);
  });

  it("checks scenario inputs against the channel's events", async () => {
    const spec = VALID_SPEC.replace("type: OrderPlaced", "type: OrderPlacd").concat("  other: { inputs: [ { channel: order-event, event: { type: OrderPlaced } } ] }\n");
    const err = await bad({ "spec.yaml": spec });
    expect(err).toMatch(/^spec\.yaml:24:\d+: scenario "happy-path" publishes event type "OrderPlacd", which channel "order-events" does not carry; expected one of OrderCancelled, OrderPlaced\. did you mean "OrderPlaced"\?/m);
    expect(err).toMatch(/^spec\.yaml:25:\d+: scenario "other" publishes on unknown channel "order-event".*did you mean "order-events"\?/m);
  });

  it("reports an unknown rule with the rule id it resembles", async () => {
    const err = await bad({ "spec.yaml": `${VALID_SPEC}rules: [ { name: no-sync-cycle, severity: error } ]\n` });
    expect(err).toMatch(/^spec\.yaml:25:\d+: unknown rule "no-sync-cycle"; expected .*\. did you mean "no-sync-cycles"\?/m);
  });

  it("reports code, handler and invariant paths that do not exist", async () => {
    const spec = VALID_SPEC.replace("  inventory: { context: ordering, layer: core }", "  inventory: { context: ordering, layer: core, code: src/inventory, handler: src/inventory/handler.ts#inventory }").concat("invariants: src/invariants.ts#invariants\n");
    const err = await bad({ "spec.yaml": spec });
    expect(err).toMatch(/^spec\.yaml:11:54: code path src\/inventory does not exist/m);
    expect(err).toMatch(/^spec\.yaml:11:78: module src\/inventory\/handler\.ts does not exist/m);
    expect(err).toMatch(/^spec\.yaml:25:13: module src\/invariants\.ts does not exist/m);
  });

  it("needs a key for per-key ordering", async () => {
    expect(await bad({ "spec.yaml": VALID_SPEC.replace("    key: orderId\n", "") })).toMatch(/^spec\.yaml:17:15: channel "order-events" has per-key ordering but no key/m);
  });
});

describe("includes", () => {
  it("reports an include cycle with its chain", async () => {
    const err = await bad({
      "spec.yaml": `${VALID_SPEC}include: [ parts/a.yaml ]\n`,
      "parts/a.yaml": "include: [ b.yaml ]\n",
      "parts/b.yaml": "include: [ ../spec.yaml ]\n",
    });
    expect(err).toMatch(/^parts\/b\.yaml:1:12: include cycle: spec\.yaml -> parts\/a\.yaml -> parts\/b\.yaml -> spec\.yaml; expected includes that form no cycle/m);
  });

  it("reports a missing include file where it is named", async () => {
    const err = await bad({ "spec.yaml": `${VALID_SPEC}include: [ parts/channel.yaml ]\n`, "parts/channels.yaml": "{}\n" });
    expect(err).toMatch(/^spec\.yaml:25:12: include parts\/channel\.yaml: the file does not exist; expected the path of a YAML spec file\. did you mean "channels\.yaml"\?/m);
  });

  it("reports problems inside an included file at their place there", async () => {
    const err = await bad({ "spec.yaml": `${VALID_SPEC}include: [ more.yaml ]\n`, "more.yaml": "services:\n  extra: { calls: [ { to: nowhere } ] }\n" });
    expect(err).toMatch(/^more\.yaml:2:27: service "extra" calls unknown service "nowhere"/m);
  });

  it("reports a name defined in two files with both places", async () => {
    const err = await bad({ "spec.yaml": `${VALID_SPEC}include: [ more.yaml ]\n`, "more.yaml": "# more\nservices:\n  payment: {}\n" });
    expect(err).toMatch(/^more\.yaml:3:3: service "payment" is defined twice; expected one definition \(first at spec\.yaml:12:3\)/m);
  });

  it("reports an included binary file inside it", async () => {
    const err = await bad({ "spec.yaml": `${VALID_SPEC}include: [ blob.yaml ]\n`, "blob.yaml": Buffer.from([0x00, 0x01]) });
    expect(err).toMatch(/^blob\.yaml:1:1: include blob\.yaml: the spec is a binary file/m);
  });
});

describe("handler modules that do not load", () => {
  const spec = (handler: string) =>
    "archverify: 1\nservices:\n  ledger: { handler: " + handler + " }\nchannels:\n  c: { events: [Deposited], producers: [], consumers: [ledger] }\n";

  it("a package the handler imports is not installed: says to install the dependencies", async () => {
    const err = await bad({
      "spec.yaml": spec("h.ts#ledger"),
      "h.ts": 'import { Map } from "not-installed-anywhere";\nexport const ledger = { initialState: () => Map(), handle: (s: unknown) => ({ state: s }) };\n',
    });
    expect(err).toContain("spec.yaml:3:22: could not load h.ts: Cannot find module 'not-installed-anywhere'");
    expect(err).toContain("expected the module and everything it imports to resolve from its folder: install the project's dependencies (npm install)");
  });

  it("a syntax error in the handler: names it, and asks for a fix", async () => {
    const err = await bad({ "spec.yaml": spec("h.ts#ledger"), "h.ts": "export const ledger = { initialState: () => ({}), handle: (s) => ({ state: s }) ;\n" });
    expect(err).toMatch(/^spec\.yaml:3:22: could not load h\.ts: .*; expected a module Node can load \(through tsx\): fix the error above in the handler's code/m);
  });
});
