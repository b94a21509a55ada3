// What the exhaustive search explored, read back from the report's stats, so
// the human formats can say it: a gate that says "passed" after a search cut at
// --max-states has proved nothing about the part it did not reach. The stats
// come from `stats.explore` of one run, or from each `stats.shards[i].explore`
// of a merged one (scenarios are split between shards, never repeated).
import type { Report } from "./types.js";

export interface ScenarioSearch {
  scenario: string;
  /** `undefined` when fully explored; else why the search stopped (max-states, max-depth, time, memory). */
  cut?: string;
  states: number;
  transitions: number;
  depth: number;
  /** Transitions the sleep sets (partial-order reduction) skipped. */
  porSkipped: number;
  /** Key independence: states of the product the per-key searches stand for. */
  productStates?: number;
}

export interface ExplorationSummary {
  scenarios: ScenarioSearch[];
  cut: ScenarioSearch[];
  states: number;
  transitions: number;
  depth: number;
  porSkipped: number;
}

type Loose = Record<string, unknown>;
const isRecord = (v: unknown): v is Loose => typeof v === "object" && v !== null && !Array.isArray(v);
const num = (v: unknown) => (typeof v === "number" && Number.isFinite(v) ? v : 0);

/** The explorer's scenarios in the report, or `undefined` when no exhaustive search ran. */
export function explorationSummary(report: Report): ExplorationSummary | undefined {
  const stats = report.stats ?? {};
  const runs = [stats, ...(Array.isArray(stats.shards) ? stats.shards : [])].filter(isRecord);
  const scenarios: ScenarioSearch[] = [];
  for (const run of runs) {
    const explore = run.explore;
    if (!isRecord(explore) || !isRecord(explore.scenarios)) continue;
    for (const [scenario, raw] of Object.entries(explore.scenarios)) if (isRecord(raw)) scenarios.push(scenarioSearch(scenario, raw));
  }
  if (scenarios.length === 0) return undefined;
  scenarios.sort((a, b) => (a.scenario < b.scenario ? -1 : a.scenario > b.scenario ? 1 : 0));
  return {
    scenarios,
    cut: scenarios.filter((s) => s.cut !== undefined),
    states: scenarios.reduce((n, s) => n + s.states, 0),
    transitions: scenarios.reduce((n, s) => n + s.transitions, 0),
    depth: Math.max(...scenarios.map((s) => s.depth)),
    porSkipped: scenarios.reduce((n, s) => n + s.porSkipped, 0),
  };
}

function scenarioSearch(scenario: string, raw: Loose): ScenarioSearch {
  const explored = typeof raw.explored === "string" ? raw.explored : raw.complete === false ? "cut" : "fully";
  const s: ScenarioSearch = { scenario, states: num(raw.states), transitions: num(raw.transitions), depth: num(raw.depth), porSkipped: num(raw.porSkipped) };
  // "fully", or "cut (max-states)"
  if (explored !== "fully") s.cut = (/^cut \((.+)\)$/.exec(explored)?.[1] ?? explored.replace(/^cut\s*/, "")) || "a bound";
  const keys = raw.keys;
  if (isRecord(keys) && keys.applied === true && num(keys.productStates) > 0) s.productStates = num(keys.productStates);
  return s;
}

const count = (n: number) => n.toLocaleString("en-US");
const plural = (n: number, word: string) => `${count(n)} ${word}${n === 1 ? "" : "s"}`;

/** `2 scenarios cut`, or `undefined` when every search was complete (or none ran). */
export function cutNote(summary: ExplorationSummary | undefined): string | undefined {
  const cut = summary?.cut.length ?? 0;
  return cut > 0 ? `${plural(cut, "scenario")} cut` : undefined;
}

/** The verdict when no error was found: qualified when a search was cut. */
export function passVerdict(summary: ExplorationSummary | undefined): string {
  const note = cutNote(summary);
  return note ? `passed within bounds: ${note}` : "passed";
}

/**
 * One line: `exhaustive search: 4 scenarios fully explored, 29,081 states, 151,426 transitions,
 * depth up to 17; partial-order reduction skipped 58,368 transitions`, with the cut ones named.
 */
export function explorationLine(summary: ExplorationSummary): string {
  const n = summary.scenarios.length;
  const full = n - summary.cut.length;
  const what =
    summary.cut.length === 0
      ? `${plural(n, "scenario")} fully explored`
      : `${summary.cut.length} of ${plural(n, "scenario")} cut (${summary.cut.map((s) => `${s.scenario}: ${s.cut}`).join(", ")}), ${count(full)} fully explored`;
  const size = `${plural(summary.states, "state")}, ${plural(summary.transitions, "transition")}, depth up to ${count(summary.depth)}`;
  return `exhaustive search: ${what}; ${size}${reductionText(summary)}`;
}

function reductionText(summary: ExplorationSummary): string {
  const parts: string[] = [];
  if (summary.porSkipped > 0) parts.push(`partial-order reduction skipped ${plural(summary.porSkipped, "transition")}`);
  const keyed = summary.scenarios.filter((s) => s.productStates !== undefined);
  if (keyed.length > 0) {
    const product = keyed.reduce((n, s) => n + (s.productStates ?? 0), 0);
    const searched = keyed.reduce((n, s) => n + s.states, 0);
    parts.push(`key independence searched ${plural(searched, "state")} for a product of ${formatLarge(product)} (${plural(keyed.length, "scenario")})`);
  }
  return parts.length > 0 ? `; ${parts.join("; ")}` : "";
}

/** Products of per-key state counts overflow readable integers quickly. */
const formatLarge = (n: number) => (n >= 1e9 ? `${n.toExponential(2)} states` : plural(n, "state"));
