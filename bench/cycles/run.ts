// bench:cycles — archverify cycles vs dependency-cruiser 17 vs madge 8 on real
// TypeScript code bases that nobody here wrote, all three on the same graph
// (type-only imports included, the same tsconfig). Each tool's SCC members and
// cycle edges are checked against SCCs computed here, independently, from
// dependency-cruiser's module graph; archverify's own graph is compared with it
// edge by edge.
//
//   npm run bench:cycles                 # effect and viem sources from the npm registry
//   npm run bench:cycles -- --runs 3     # best wall time of 3 runs per tool
//   BENCH_CYCLES_EXTRA="typeorm=/path/to/typeorm/src" npm run bench:cycles
//
// Code bases are unpacked into $TMPDIR/archverify-bench-cycles (kept between runs).
import { execFileSync, spawnSync } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { buildModuleGraph } from "../../src/code/modules/graph.js";

interface CodeBase {
  name: string;
  /** Folder holding `src/` (the analysed sources) and `tsconfig.json`. */
  dir: string;
  label: string;
}

/** Packages that ship their TypeScript sources. `from`: the sources inside the package; `skip`: folders left out. */
const NPM_CODEBASES = [
  { name: "effect", spec: "effect@3.19.19", from: "src", skip: [] as string[] },
  { name: "viem", spec: "viem@2.57.20", from: ".", skip: ["_cjs", "_esm", "_types", "node_modules"] },
];

const repo = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const work = join(tmpdir(), "archverify-bench-cycles");
const TSCONFIG = { compilerOptions: { target: "es2022", module: "esnext", moduleResolution: "bundler", allowJs: false } };

const { values } = parseArgs({ options: { runs: { type: "string", default: "1" } } });
const runs = Math.max(1, Number(values.runs));
const timeBin = existsSync("/usr/bin/time") ? "/usr/bin/time" : undefined;

/** Copies the TypeScript sources (no declaration files) of `from` into `to`. */
function copySources(from: string, to: string, skip: readonly string[]): number {
  let n = 0;
  for (const e of readdirSync(from, { withFileTypes: true })) {
    const src = join(from, e.name);
    if (e.isDirectory()) {
      if (skip.includes(e.name) || e.name === "node_modules" || e.name.startsWith(".")) continue;
      n += copySources(src, join(to, e.name), skip);
    } else if (/\.(?:ts|tsx|mts|cts)$/.test(e.name) && !/\.d\.[mc]?ts$/.test(e.name)) {
      mkdirSync(to, { recursive: true });
      copyFileSync(src, join(to, e.name));
      n++;
    }
  }
  return n;
}

function prepare(name: string, label: string, fill: (src: string) => void): CodeBase {
  const dir = join(work, label.replaceAll("/", "_"));
  if (!existsSync(join(dir, "src"))) {
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(join(dir, "src"), { recursive: true });
    fill(join(dir, "src"));
    writeFileSync(join(dir, "tsconfig.json"), `${JSON.stringify(TSCONFIG, null, 2)}\n`);
  }
  return { name, dir, label };
}

function npmCodeBase(c: (typeof NPM_CODEBASES)[number]): CodeBase {
  return prepare(c.name, c.spec, (src) => {
    const tmp = mkdtempSync(join(work, "pack-"));
    const file = execFileSync("npm", ["pack", c.spec, "--silent", "--pack-destination", tmp], { encoding: "utf8" }).trim().split("\n").at(-1) as string;
    execFileSync("tar", ["-xzf", join(tmp, file), "-C", tmp]);
    copySources(join(tmp, "package", c.from), src, c.skip);
    rmSync(tmp, { recursive: true, force: true });
  });
}

function extraCodeBases(): CodeBase[] {
  const spec = process.env.BENCH_CYCLES_EXTRA;
  if (!spec) return [];
  return spec.split(",").map((entry) => {
    const [name, path] = entry.split("=") as [string, string];
    return prepare(name, `${name}-local`, (src) => copySources(resolve(path), src, []));
  });
}

interface Measured {
  stdout: string;
  wallS: number;
  cpuS?: number;
  peakMB?: number;
}

/** Runs a command `runs` times; the best wall time and the peak memory of that run. */
function measure(cmd: string, args: string[], cwd: string): Measured {
  let best: Measured | undefined;
  for (let r = 0; r < runs; r++) {
    const stats = join(work, "time.txt");
    const started = performance.now();
    const full = timeBin ? ["-f", "%e %U %S %M", "-o", stats, cmd, ...args] : args;
    const p = spawnSync(timeBin ?? cmd, full, { cwd, encoding: "utf8", maxBuffer: 1 << 30 });
    const wall = (performance.now() - started) / 1000;
    if (p.status !== 0 && p.status !== 1) throw new Error(`${cmd} ${args.join(" ")} failed (${p.status}): ${p.stderr.slice(0, 2000)}`);
    const m: Measured = { stdout: p.stdout, wallS: wall };
    if (timeBin) {
      const [e, u, s, kb] = readFileSync(stats, "utf8").trim().split("\n").at(-1)!.split(" ").map(Number) as [number, number, number, number];
      Object.assign(m, { wallS: e, cpuS: u + s, peakMB: kb / 1024 });
    }
    if (!best || m.wallS < best.wallS) best = m;
  }
  return best as Measured;
}

interface ToolResult {
  tool: string;
  files: number;
  edges: number;
  members: Set<string>;
  cycleEdges: Set<string>;
  m: Measured;
}

const key = (a: string, b: string) => `${a}\0${b}`;

function runArchverify(cb: CodeBase): ToolResult {
  const m = measure(process.execPath, [join(repo, "bin/archverify.js"), "cycles", join(cb.dir, "src"), "--tsconfig", join(cb.dir, "tsconfig.json"), "--type-only", "include", "--format", "json"], repo);
  const json = JSON.parse(m.stdout) as { files: number; edges: number; sccs: string[][]; cycles: string[][] };
  const cycleEdges = new Set<string>();
  for (const c of json.cycles) for (let i = 0; i + 1 < c.length; i++) cycleEdges.add(key(c[i]!, c[i + 1]!));
  return { tool: "archverify", files: json.files, edges: json.edges, members: new Set(json.sccs.flat()), cycleEdges, m };
}

interface DepcruiseJson {
  modules: Array<{ source: string; coreModule?: boolean; couldNotResolve?: boolean; dependencies: Array<{ resolved: string; circular?: boolean; dependencyTypes: string[] }> }>;
}

function runDepcruise(cb: CodeBase): ToolResult & { graph: Map<string, Set<string>> } {
  const config = join(cb.dir, "depcruise.cjs");
  writeFileSync(
    config,
    `module.exports = ${JSON.stringify({
      forbidden: [{ name: "no-circular", severity: "error", from: {}, to: { circular: true } }],
      options: { tsPreCompilationDeps: true, tsConfig: { fileName: "tsconfig.json" }, doNotFollow: { path: "node_modules" } },
    })};\n`,
  );
  const m = measure(process.execPath, [join(repo, "node_modules/dependency-cruiser/bin/dependency-cruise.mjs"), "src", "--config", config, "--output-type", "json"], cb.dir);
  const json = JSON.parse(m.stdout) as DepcruiseJson;
  const rel = (s: string) => relative("src", s);
  const files = new Set(json.modules.filter((x) => x.source.startsWith("src/") && !x.coreModule && !x.couldNotResolve).map((x) => rel(x.source)));
  const graph = new Map<string, Set<string>>([...files].map((f) => [f, new Set<string>()]));
  const members = new Set<string>();
  const cycleEdges = new Set<string>();
  let edges = 0;
  for (const mod of json.modules) {
    const from = rel(mod.source);
    if (!files.has(from)) continue;
    for (const d of mod.dependencies) {
      const to = rel(d.resolved);
      if (!files.has(to) || graph.get(from)!.has(to)) continue;
      graph.get(from)!.add(to);
      edges++;
      if (d.circular) {
        members.add(from);
        cycleEdges.add(key(from, to));
      }
    }
  }
  return { tool: "dependency-cruiser", files: files.size, edges, members, cycleEdges, m, graph };
}

function runMadge(cb: CodeBase): ToolResult {
  const m = measure(process.execPath, [join(repo, "bench/cycles/madge-runner.mjs"), join(cb.dir, "src"), join(cb.dir, "tsconfig.json")], repo);
  const json = JSON.parse(m.stdout) as { graph: Record<string, string[]>; circular: string[][] };
  const members = new Set(json.circular.flat());
  const cycleEdges = new Set<string>();
  for (const c of json.circular) for (let i = 0; i < c.length; i++) cycleEdges.add(key(c[i]!, c[(i + 1) % c.length]!));
  const edges = Object.values(json.graph).reduce((n, deps) => n + new Set(deps).size, 0);
  return { tool: "madge", files: Object.keys(json.graph).length, edges, members, cycleEdges, m };
}

/** Strongly connected components by Kosaraju with explicit stacks: an oracle independent of src/model. */
function referenceSccs(graph: Map<string, Set<string>>): { members: Set<string>; edges: Set<string> } {
  const nodes = [...graph.keys()].sort();
  const reverse = new Map<string, string[]>(nodes.map((n) => [n, []]));
  for (const [a, outs] of graph) for (const b of outs) reverse.get(b)?.push(a);
  const seen = new Set<string>();
  const order: string[] = [];
  for (const s of nodes) {
    if (seen.has(s)) continue;
    seen.add(s);
    const stack: Array<[string, string[]]> = [[s, [...graph.get(s)!]]];
    while (stack.length > 0) {
      const top = stack[stack.length - 1]!;
      const next = top[1].pop();
      if (next === undefined) {
        order.push(top[0]);
        stack.pop();
      } else if (!seen.has(next) && graph.has(next)) {
        seen.add(next);
        stack.push([next, [...graph.get(next)!]]);
      }
    }
  }
  const comp = new Map<string, number>();
  let c = 0;
  for (const s of order.reverse()) {
    if (comp.has(s)) continue;
    const stack = [s];
    comp.set(s, c);
    while (stack.length > 0) for (const p of reverse.get(stack.pop()!)!) if (!comp.has(p)) (comp.set(p, c), stack.push(p));
    c++;
  }
  const size = new Map<number, number>();
  for (const v of comp.values()) size.set(v, (size.get(v) ?? 0) + 1);
  const members = new Set<string>();
  const edges = new Set<string>();
  for (const [a, outs] of graph) {
    for (const b of outs) {
      if (comp.get(a) !== comp.get(b)) continue;
      edges.add(key(a, b));
      if (a === b || size.get(comp.get(a)!)! > 1) (members.add(a), members.add(b));
    }
  }
  return { members, edges };
}

const count = <T>(xs: Iterable<T>, p: (x: T) => boolean) => [...xs].filter(p).length;
const pad = (s: string | number, n: number) => String(s).padStart(n);

function bench(cb: CodeBase): void {
  const archverify = runArchverify(cb);
  const depcruise = runDepcruise(cb);
  const madge = runMadge(cb);
  const reference = referenceSccs(depcruise.graph);

  // archverify's graph, extracted in-process, against dependency-cruiser's, edge by edge.
  const own = buildModuleGraph({ roots: [join(cb.dir, "src")], tsconfig: join(cb.dir, "tsconfig.json") });
  const src = join(cb.dir, "src");
  const ownEdges = new Set(own.edges.map((e) => key(relative(src, e.from), relative(src, e.to))));
  const dcEdges = new Set([...depcruise.graph].flatMap(([a, outs]) => [...outs].map((b) => key(a, b))));
  const onlyOwn = [...ownEdges].filter((e) => !dcEdges.has(e));
  const onlyDc = [...dcEdges].filter((e) => !ownEdges.has(e));

  console.log(`\n== ${cb.name} (${cb.label}; type-only imports included, one tsconfig for all tools; best of ${runs} run${runs === 1 ? "" : "s"})`);
  console.log(`reference: SCCs of dependency-cruiser's graph: ${reference.members.size} files in cycles, ${reference.edges.size} edges inside SCCs`);
  console.log(`graph agreement: ${ownEdges.size} archverify edges, ${dcEdges.size} dependency-cruiser edges, ${onlyOwn.length} only in archverify, ${onlyDc.length} only in dependency-cruiser`);
  for (const e of [...onlyOwn.slice(0, 3).map((x) => `  only archverify: ${x.replace("\0", " -> ")}`), ...onlyDc.slice(0, 3).map((x) => `  only dependency-cruiser: ${x.replace("\0", " -> ")}`)]) console.log(e);
  console.log(`${"tool".padEnd(19)} ${pad("files", 6)} ${pad("edges", 6)} ${pad("scc_members", 11)} ${pad("cycle_edges", 11)} ${pad("missed_members", 14)} ${pad("missed_edges", 12)} ${pad("wall_s", 7)} ${pad("cpu_s", 6)} ${pad("peak_MB", 7)}`);
  const rows = [archverify, depcruise, madge];
  const missed = new Map<string, [number, number]>();
  for (const r of rows) {
    const mm = count(reference.members, (f) => !r.members.has(f));
    const me = count(reference.edges, (e) => !r.cycleEdges.has(e));
    missed.set(r.tool, [mm, me]);
    console.log(
      `${r.tool.padEnd(19)} ${pad(r.files, 6)} ${pad(r.edges, 6)} ${pad(r.members.size, 11)} ${pad(r.cycleEdges.size, 11)} ${pad(mm, 14)} ${pad(me, 12)} ${pad(r.m.wallS.toFixed(2), 7)} ${pad(r.m.cpuS?.toFixed(2) ?? "n/a", 6)} ${pad(r.m.peakMB?.toFixed(0) ?? "n/a", 7)}`,
    );
  }
  const [mm, me] = missed.get("archverify")!;
  console.log(
    `RESULT ${cb.name} archverify_s=${archverify.m.wallS.toFixed(2)} depcruise_s=${depcruise.m.wallS.toFixed(2)} ratio=${(archverify.m.wallS / depcruise.m.wallS).toFixed(2)} missed_members=${mm} missed_edges=${me}`,
  );
}

mkdirSync(work, { recursive: true });
const codeBases = [...NPM_CODEBASES.map(npmCodeBase), ...extraCodeBases()];
console.log(`bench:cycles: node ${process.version}, dependency-cruiser ${pkgVersion("dependency-cruiser")}, madge ${pkgVersion("madge")}, load average ${loadavg().map((l) => l.toFixed(1)).join(" ")}`);
for (const cb of codeBases) bench(cb);

function pkgVersion(name: string): string {
  return (JSON.parse(readFileSync(join(repo, "node_modules", name, "package.json"), "utf8")) as { version: string }).version;
}
