// unaccepted-event: a consumer typed for fewer event types than its channels deliver.
import { describe, expect, it } from "vitest";
import { unacceptedEventRule } from "../../../src/check/rules/code/unaccepted-event.js";
import { runFixture } from "../drift/run-fixture.js";

describe("unaccepted-event", () => {
  it("flags a consumer typed for a subset of a channel's types, and only where the type is precise", async () => {
    const { findings, lines } = await runFixture("contracts/unaccepted", [unacceptedEventRule]);
    expect(lines).toEqual(["unaccepted-event warning src/pricing/handler.ts:5"]);
    const [f] = findings;
    expect(f!.message).toBe(
      "channel cart-events delivers ItemRemoved to pricing, but pricing's handler is typed for ItemAdded only: it will be called with an event its code does not expect",
    );
    expect(f!.subject).toBe("cart-events: ItemRemoved -> pricing");
    expect(f!.related?.map((l) => `${l.file.split("/").pop()}:${l.line}`)).toEqual(["spec.yaml:22"]);
  });

  it("says nothing on the contract fixtures whose consumers take every type they are sent", async () => {
    const { lines } = await runFixture("contracts/compatible", [unacceptedEventRule]);
    expect(lines).toEqual([]);
  });
});
