// Service-name spellings: any casing convention of the same words, with or
// without a trailing Service/Svc, names the same spec service.
import { fc, test } from "@fast-check/vitest";
import { describe, expect, it } from "vitest";
import { endpointServiceName } from "../../../src/code/drift/calls.js";
import { normaliseServiceName, ServiceNames } from "../../../src/code/drift/service-names.js";

const word = fc.stringMatching(/^[a-z][a-z0-9]{0,7}$/).filter((w) => w !== "service" && w !== "svc");
const words = fc.array(word, { minLength: 1, maxLength: 4 });

const cap = (w: string) => w[0]!.toUpperCase() + w.slice(1);
const spellings = (ws: string[]) => [
  ws.join("-"),
  ws.join("_"),
  ws.map((w) => w.toUpperCase()).join("_"),
  ws.map(cap).join(""),
  ws[0] + ws.slice(1).map(cap).join(""),
  `${ws.join("-")}-service`,
  `${ws.map(cap).join("")}Service`,
  `${ws.map((w) => w.toUpperCase()).join("_")}_SVC`,
];

describe("normaliseServiceName", () => {
  test.prop([words])("every spelling of the same words normalises alike (oracle: the words joined)", (ws) => {
    const oracle = ws.join("");
    for (const s of spellings(ws)) expect(normaliseServiceName(s)).toBe(oracle);
  });

  test.prop([words, words])("different word lists rarely collide, and only when their letters are equal", (a, b) => {
    if (normaliseServiceName(a.join("-")) === normaliseServiceName(b.join("-"))) expect(a.join("")).toBe(b.join(""));
  });

  it("keeps a name that is only a suffix word", () => {
    expect(normaliseServiceName("service")).toBe("service");
  });
});

describe("ServiceNames", () => {
  it("resolves spellings, prefers exact names and refuses ambiguous ones", () => {
    const names = new ServiceNames(["order", "order-service", "inventory", "user-service"]);
    expect(names.resolve("InventoryService")).toBe("inventory");
    expect(names.resolve("USER")).toBe("user-service");
    expect(names.resolve("order")).toBe("order");
    expect(names.resolve("OrderService")).toBeUndefined();
    expect(names.resolve("billing")).toBeUndefined();
  });
});

describe("endpointServiceName", () => {
  it("reads the service out of endpoint-like names", () => {
    expect(endpointServiceName("INVENTORY_URL")).toBe("inventory");
    expect(endpointServiceName("INVENTORY_SERVICE_BASE_URL")).toBe("inventory-service");
    expect(endpointServiceName("inventoryServiceBaseUrl")).toBe("inventory-service");
    expect(endpointServiceName("paymentSvcHost")).toBe("payment-svc");
    // camelCase without "service": a resource's address (pageUrl, orderUrl), not a service.
    expect(endpointServiceName("inventoryBaseUrl")).toBeUndefined();
    expect(endpointServiceName("pageURL")).toBeUndefined();
    expect(endpointServiceName("baseUrl")).toBeUndefined();
    expect(endpointServiceName("INVENTORY")).toBeUndefined();
    expect(endpointServiceName("urlOfInventory")).toBeUndefined();
  });
});
