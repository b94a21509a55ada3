// Sync calls are read only where the code names a service of the spec: a URL
// whose host is the service, a client class of the project's own. SaaS URLs
// and SDK clients whose names happen to match a service are not calls.
import { describe, expect, it } from "vitest";
import { DEFAULT_CALL_PATTERNS } from "../../../src/code/drift/calls.js";
import { runFixture } from "./run-fixture.js";
import { analyseSnippet } from "./snippet.js";

/** The service name the default URL patterns read from a string, if any. */
const hostService = (text: string): string | undefined => {
  for (const re of DEFAULT_CALL_PATTERNS.urlPatterns) {
    const m = re.exec(text);
    if (m?.[1]) return m[1];
  }
  return undefined;
};

describe("URLs", () => {
  const cases: [string, string | undefined][] = [
    ["http://inventory", "inventory"],
    ["http://inventory/", "inventory"],
    ["http://inventory-service:8080/reserve", "inventory-service"],
    ["grpc://inventory:50051", "inventory"],
    ["https://inventory?x=1", "inventory"],
    ["http://inventory.shop.svc", "inventory"],
    ["http://inventory.shop.svc.cluster.local:8080/v1", "inventory"],
    ["http://inventory.service.consul", "inventory"],
    ["http://inventory.service.dc1.consul:8500/stock", "inventory"],
    ["https://api.stripe.com/v1/charges", undefined],
    ["https://search.google.com/search-console", undefined],
    ["https://web.example.org", undefined],
    ["https://inventory.example.com/api", undefined],
    ["http://inventory.shop/v1", undefined],
    ["see http://inventory:8080", undefined],
    ["ftp://inventory", undefined],
  ];
  for (const [url, service] of cases) {
    it(`${url} -> ${service ?? "no service"}`, () => {
      expect(hostService(url)).toBe(service);
    });
  }
});

describe("client classes", () => {
  it("SDK clients from packages and SaaS URLs are not calls; the project's own clients and service hosts are (sdk-clients fixture)", async () => {
    const { findings, lines } = await runFixture("drift/sdk-clients");
    expect(lines).toEqual(["undeclared-call error src/catalog/stock.ts:8"]);
    expect(findings[0]!.message).toBe(
      "catalog calls search (constructor parameter of type SearchServiceClient), but the spec declares no call from catalog to search (catalog declares calls to: inventory)",
    );
  });

  it("an import that does not resolve counts when it is a project path, not when it names a package", () => {
    const facts = analyseSnippet(`
import { WebClient } from "@slack/web-api";
import { InventoryClient } from "./generated/inventory_client.js";
const slack = new WebClient("token");
const stock = new InventoryClient("inventory:50051");
export const svc = { initialState: () => 0, handle: (s: number, e: { type: "Go"; id: string }) => ({ state: s + (slack && stock ? 1 : 0) }) };
`, { services: ["web", "inventory"] });
    expect(facts.calls.map((c) => `${c.target}:${c.evidence}`)).toEqual(["inventory:new InventoryClient()"]);
  });
});
