// Run by memory.test.ts in a child process with a small heap: a search far larger than the heap
// must end as a cut, not kill the process.
import { explore } from "../../src/check/explore/index.js";
import { createSystemModel, inMemoryServices } from "../../src/model/system/index.js";
import type { Event } from "../../src/model/handler.js";
import { topology } from "../system/helpers.js";

const counter = { initialState: () => ({}) as Record<string, number>, handle: (s: Record<string, number>, e: Event) => ({ state: { ...s, [String(e.k)]: (s[String(e.k)] ?? 0) + 1 } }) };
const model = createSystemModel({ topology: topology({ q: { events: ["X"], consumers: ["c"], key: "k" } }), runtime: { services: inMemoryServices({ c: counter }) }, bounds: { duplicates: 2 } });
const inputs = Array.from({ length: 12 }, (_, i) => ({ channel: "q", event: { type: "X", id: `x${i}`, k: `k${i % 6}` } }));
const r = explore(model, inputs, { por: false });
console.log(JSON.stringify({ complete: r.stats.complete, cut: r.stats.cut, states: r.stats.states }));
