// Import cycles inside the code of the services (and shared kernels) a spec
// names. A runtime cycle makes module initialisation order decide behaviour
// (an import is `undefined` while its module is still loading); a cycle that
// exists only through type-only imports is erased from the JavaScript, so it
// is a warning: the modules still cannot be understood or split apart alone.
import { cyclicComponents, elementaryCycles, indexEdges, shortestCycleInComponent, shortestCycleThrough } from "../../../model/graph-algorithms.js";
import { compareCycles, edgeKey, rotateToSmallest } from "../../../code/modules/cycles.js";
import { serviceModuleGraph, type ServiceModuleGraph } from "../../../code/modules/service-graph.js";
import type { ModuleEdge } from "../../../code/modules/types.js";
import { inputError } from "../../../errors.js";
import type { SourceLocation } from "../../../spec/types.js";
import { displayPath } from "../../../util/paths.js";
import type { CheckContext, RawFinding, Rule } from "../../types.js";

const ID = "no-module-cycles";
type TypeOnlySeverity = "warning" | "error" | "off";

export const noModuleCyclesRule: Rule = {
  id: ID,
  defaultSeverity: "error",
  category: "code",
  description: "The TypeScript modules of the services' and shared kernels' code roots import each other without cycles.",
  fix: "Break the cycle: move what both modules need into a third module they both import, invert the dependency (pass a function or an interface in), or make an import type-only (`import type`) when only types cross it.",
  details: [
    "Builds the module graph of every service's `code:` root and every shared kernel's (the same extraction as `archverify cycles`;",
    "like the other code rules it leaves out tests, stories, benches and dist/, build/, coverage/, __tests__/, __mocks__/, __fixtures__/),",
    "and reports each strongly connected component: one finding per component with a shortest cycle in it as the witness",
    "(with --all-cycles: every elementary cycle, up to --max-cycles). The location is the import, in the first file of the",
    "witness, that starts the cycle; `related` holds the other imports of the cycle.",
    "Runtime cycles are errors. Cycles that need a type-only import (`import type`, `export type`, all-`type` specifier lists)",
    "are warnings: they vanish from the emitted JavaScript.",
    "Options:",
    "  typeOnly: warning | error | off   severity of cycles that exist only through type-only imports (default warning).",
  ].join("\n"),
  check(ctx: CheckContext): RawFinding[] {
    const typeOnly = typeOnlyOption(ctx);
    const sg = serviceModuleGraph(ctx);
    if (!sg) return [];
    const findings = runtimeCycleFindings(ctx, sg);
    if (typeOnly !== "off") findings.push(...typeOnlyCycleFindings(ctx, sg, typeOnly));
    return findings;
  },
};

function typeOnlyOption(ctx: CheckContext): TypeOnlySeverity {
  const value = ctx.ruleOptions(ID).typeOnly ?? "warning";
  if (value === "warning" || value === "error" || value === "off") return value;
  const loc = ctx.spec.rules.get(ID)?.loc;
  throw inputError(`rule ${ID}: typeOnly must be warning, error or off, got ${JSON.stringify(value)}`, {
    ...(loc ? { location: loc } : {}),
    expected: "warning | error | off",
  });
}

function runtimeCycleFindings(ctx: CheckContext, sg: ServiceModuleGraph): RawFinding[] {
  const edges = sg.graph.edges.filter((e) => !e.typeOnly);
  const index = indexEdges(sg.graph.files, edges.map((e) => [e.from, e.to] as const));
  const byKey = new Map(edges.map((e) => [edgeKey(e.from, e.to), e]));
  const findings: RawFinding[] = [];
  for (const scc of cyclicComponents(index)) {
    const witnesses = ctx.options.allCycles
      ? elementaryCycles(index, { maxCycles: ctx.options.maxCycles, within: scc }).cycles
      : [shortestCycleInComponent(index, scc[0] as string)?.cycle].filter((c): c is string[] => c !== undefined);
    for (const cycle of witnesses) findings.push(cycleFinding(ctx, sg, rotateToSmallest(cycle), scc, byKey, "runtime"));
  }
  return findings;
}

function typeOnlyCycleFindings(ctx: CheckContext, sg: ServiceModuleGraph, severity: "warning" | "error"): RawFinding[] {
  const edges = sg.graph.edges;
  const index = indexEdges(sg.graph.files, edges.map((e) => [e.from, e.to] as const));
  const byKey = new Map(edges.map((e) => [edgeKey(e.from, e.to), e]));
  const findings: RawFinding[] = [];
  for (const scc of cyclicComponents(index)) {
    const members = new Set(scc);
    const typeEdges = edges.filter((e) => e.typeOnly && members.has(e.from) && members.has(e.to));
    if (typeEdges.length === 0) continue; // a runtime component, reported above
    let witnesses: string[][];
    if (ctx.options.allCycles) {
      witnesses = elementaryCycles(index, { maxCycles: ctx.options.maxCycles, within: scc }).cycles.filter((c) => c.some((f, i) => i + 1 < c.length && byKey.get(edgeKey(f, c[i + 1] as string))?.typeOnly));
    } else {
      const candidates = typeEdges
        .map((e) => shortestCycleThrough(index, e.from, e.to))
        .filter((c): c is string[] => c !== undefined)
        .map(rotateToSmallest)
        .sort((a, b) => a.length - b.length || compareCycles(a, b));
      witnesses = candidates.slice(0, 1);
    }
    for (const cycle of witnesses) findings.push({ ...cycleFinding(ctx, sg, rotateToSmallest(cycle), scc, byKey, "type-only"), severity });
  }
  return findings;
}

function cycleFinding(
  ctx: CheckContext,
  sg: ServiceModuleGraph,
  cycle: string[],
  scc: string[],
  byKey: Map<string, ModuleEdge>,
  kind: "runtime" | "type-only",
): RawFinding {
  const rel = (f: string) => displayPath(f, ctx.spec.dir);
  const steps: ModuleEdge[] = [];
  for (let i = 0; i + 1 < cycle.length; i++) {
    const e = byKey.get(edgeKey(cycle[i] as string, cycle[i + 1] as string));
    if (e) steps.push(e);
  }
  const at = (e: ModuleEdge): SourceLocation => ({ file: e.from, line: e.line, column: e.column });
  const owners = [...new Set(scc.map((f) => sg.ownerOf(f)).filter((o) => o !== undefined).map((o) => `${o.kind === "kernel" ? "shared kernel " : ""}${o.name}`))].sort();
  const where = owners.length === 1 ? `in ${owners[0]}` : `across ${owners.join(", ")}`;
  const path = cycle.map(rel).join(" → ");
  const size = scc.length === 1 ? "a module importing itself" : `${scc.length} files in one strongly connected component`;
  const lead = kind === "runtime" ? "runtime import cycle" : "type-only import cycle (erased at run time)";
  const first = steps[0];
  return {
    message: `${lead} ${where}: ${path} (${size}; \`archverify cycles\` lists a shortest cycle through every import in it)`,
    witness: cycle.map(rel),
    subject: `${owners.join("+")}: ${rel(scc[0] as string)}`,
    ...(first ? { location: at(first) } : {}),
    ...(steps.length > 1 ? { related: steps.slice(1).map(at) } : {}),
  };
}
