import { propertyFindings } from "../../handlers/findings.js";
import { handlerPropertiesFor } from "../../handlers/run.js";
import type { Rule } from "../../types.js";

export const handlerMutatesInput: Rule = {
  id: "handler-mutates-input",
  defaultSeverity: "error",
  category: "property",
  description: "No handler writes to the state or the event it is given (the broker, the outbox and the checks all assume the old state is intact).",
  fix: "Build a new state instead of changing the old one: spread objects and arrays (`{ ...state, items: [...state.items, x] }`), copy Maps and Sets before set/add.",
  details: "The handler is called with deep-frozen copies of a reachable state and an event: a write throws in strict-mode code; writes to Map, Set and Date (which cannot be frozen) show as a changed encoding.",
  async check(ctx) {
    return propertyFindings(ctx.spec, await handlerPropertiesFor(ctx), "handler-mutates-input", ctx.options.cwd);
  },
};
