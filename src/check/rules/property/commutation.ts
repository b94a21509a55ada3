import { propertyFindings } from "../../handlers/findings.js";
import { handlerPropertiesFor } from "../../handlers/run.js";
import type { Rule } from "../../types.js";

export const commutation: Rule = {
  id: "commutation",
  defaultSeverity: "error",
  category: "property",
  description:
    "Every two events that one channel may deliver in either order (ordering none, or different keys under per-key) give the same state in both orders, on every reachable state.",
  fix:
    "Make the handlers commute: merge instead of overwrite (a create must not erase what an earlier-delivered update set), move statuses monotonically (never back), or declare the order the code needs (ordering: per-key with the entity id as key).",
  details:
    "A duplicate is also a reordering, and idempotence says nothing about order: the seed's convergence argument needs handlers that commute on reachable states. " +
    "Pairs are drawn from the event types of one channel; events of the same key on a per-key channel and every pair on a total-order channel are exempt. " +
    "Orders across different channels are checked by the convergence simulation, which knows which events cause which.\n\n" +
    "Severity. A failing pair of DIFFERENT event types (a create racing an update) is an error. A failure that needs two events of the SAME type " +
    "for one entity (two OrderCreated with different totals, two StatusChanged) is a warning: it matters only if two such events for one entity can be " +
    "in flight together, which the spec cannot tell (an entity is usually created once; updates are often sent one after another), and convergence on the " +
    "scenarios is then the proof. Before settling on a warning, a second search runs over realistic cases: for a same-type pair, two DIFFERENT entities " +
    "(keys); for a pair of two types, one payload per entity and event type. If that search fails too, the finding stays an error (e.g. a global " +
    "last-writer-wins field shared by all entities). Without a channel key, a same-type failure is a warning and a two-type failure an error.",
  async check(ctx) {
    return propertyFindings(ctx.spec, await handlerPropertiesFor(ctx), "commutation", ctx.options.cwd);
  },
};
