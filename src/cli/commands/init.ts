// `archverify init`: a commented starter spec for the repository in the
// current folder. Services come from the usual folders (services/*, apps/*,
// packages/*, src/services/*, ...) and from package.json / pnpm workspaces;
// folders named like shared code become shared kernels. Only what is found
// is written as YAML; everything else is a commented example to fill in.
import { existsSync, readFileSync, statSync } from "node:fs";
import { basename, join, relative, sep } from "node:path";
import { parse as parseYaml } from "yaml";
import { usageError } from "../../errors.js";
import { listSourceFiles } from "../../code/project.js";
import { SPEC_FILE_NAMES } from "../../spec/discover.js";
import { writeFileAtomic } from "../../util/atomic-write.js";
import { parseCommandArgs } from "../args.js";
import { expandWorkspaceGlob, parseWorkspaceGlobs } from "./workspace-globs.js";
import type { CliIO } from "../io.js";
import type { Command } from "../command.js";

const usage = `archverify init [--force]
  Writes a commented starter archverify.yaml for the repository in the current folder: one service
  per folder under services/, apps/, packages/, src/services/, microservices/ and per workspace
  package (package.json "workspaces", pnpm-workspace.yaml), shared code as shared kernels.
  --force                 overwrite an existing archverify.yaml`;

/** Parent folders whose children are services, in the order they are looked at. */
const SERVICE_PARENTS = ["services", "apps", "packages", "src/services", "microservices", "modules"];
/** Folder names that hold code several services share (a DDD shared kernel), not a service. */
const SHARED_NAMES = new Set(["shared", "common", "commons", "core", "lib", "libs", "utils", "util", "kernel", "shared-kernel", "types", "contracts", "events", "messages", "sdk"]);
/** Workspace members that are tooling, never services. */
const TOOLING = /^(eslint|prettier|tsconfig|config|configs|scripts|tools|tooling|docs|website|e2e|test|tests)([-_].*)?$/;

export interface FoundElement {
  name: string;
  /** Folder relative to the repository root, forward slashes. */
  folder: string;
  /** The TypeScript code root (the folder, or its src/). */
  code: string;
  /** `file.ts#export` of an object with initialState and handle, when one is found. */
  handler?: string;
  /** Where it was found (services/*, package.json workspaces, ...). */
  source: string;
}

export interface Discovery {
  services: FoundElement[];
  sharedKernels: FoundElement[];
}

const rel = (root: string, p: string) => relative(root, p).split(sep).join("/");
const isDir = (p: string) => existsSync(p) && statSync(p).isDirectory();

function readJson(file: string): Record<string, unknown> | undefined {
  try {
    return JSON.parse(readFileSync(file, "utf8")) as Record<string, unknown>;
  } catch {
    return undefined;
  }
}

/** Workspace globs of package.json (`workspaces: [...]` or `{ packages: [...] }`) and pnpm-workspace.yaml. */
function workspaceGlobs(root: string): string[] {
  const globs: string[] = [];
  const pkg = readJson(join(root, "package.json"));
  const ws = pkg?.workspaces;
  if (Array.isArray(ws)) globs.push(...ws.filter((w): w is string => typeof w === "string"));
  else if (ws && typeof ws === "object" && Array.isArray((ws as { packages?: unknown }).packages)) {
    globs.push(...((ws as { packages: unknown[] }).packages.filter((w): w is string => typeof w === "string")));
  }
  const pnpm = join(root, "pnpm-workspace.yaml");
  if (existsSync(pnpm)) {
    try {
      const doc = parseYaml(readFileSync(pnpm, "utf8")) as { packages?: unknown } | null;
      if (Array.isArray(doc?.packages)) globs.push(...doc.packages.filter((w): w is string => typeof w === "string"));
    } catch {
      // A broken pnpm-workspace.yaml is pnpm's problem; the folders are still scanned.
    }
  }
  return globs;
}

/** A spec name from a package name or folder: `@acme/order-service` -> `order-service`. */
function elementName(folder: string): string {
  const pkg = readJson(join(folder, "package.json"));
  const raw = typeof pkg?.name === "string" ? pkg.name : basename(folder);
  return raw.replace(/^@[^/]+\//, "").replace(/[^A-Za-z0-9._-]+/g, "-") || basename(folder);
}

const HANDLER_FILES = /^(handler|handlers|service|index)\.ts$/;
const HANDLER_EXPORT = /export\s+const\s+([A-Za-z_$][\w$]*)\s*(?::[^=]+)?=\s*\{/g;
// A module that is a handler itself (a Decider or handler written as top-level exports).
const TOP_LEVEL_INITIAL = /^export\s+(?:async\s+)?(?:function\*?|const|let)\s+initialState\b/m;
const TOP_LEVEL_RECEIVER = /^export\s+(?:async\s+)?(?:function|const|let)\s+(?:handle|evolve)\b/m;
/** Files read per service looking for a handler: init stays quick on a large code root. */
const HANDLER_SCAN_LIMIT = 500;

/**
 * A hint, not a proof: in a handler-like file, an exported object literal with `initialState` and
 * `handle` (`file.ts#name`); in any file, top-level exports `initialState` and `handle` or
 * `evolve` (`file.ts`, the module itself). Handler-like and shorter paths first.
 */
function findHandler(root: string, files: string[]): string | undefined {
  const isHandlerLike = (f: string) => HANDLER_FILES.test(basename(f));
  const rank = (f: string) => (isHandlerLike(f) ? 0 : 1);
  const ordered = [...files].sort((a, b) => rank(a) - rank(b) || a.length - b.length || (a < b ? -1 : 1));
  for (const file of ordered.slice(0, HANDLER_SCAN_LIMIT)) {
    const text = readFileSync(file, "utf8");
    if (!/\binitialState\b/.test(text)) continue;
    if (TOP_LEVEL_INITIAL.test(text) && TOP_LEVEL_RECEIVER.test(text)) return rel(root, file);
    if (isHandlerLike(file) && /\bhandle\b/.test(text)) {
      const m = HANDLER_EXPORT.exec(text);
      HANDLER_EXPORT.lastIndex = 0;
      if (m) return `${rel(root, file)}#${m[1]}`;
    }
  }
  return undefined;
}

export function discover(root: string): Discovery {
  const candidates: Array<{ folder: string; source: string }> = [];
  // A folder the workspaces exclude (`!glob`) is no package: not from the usual folders either.
  const globs = parseWorkspaceGlobs(workspaceGlobs(root));
  for (const glob of globs.include) for (const f of expandWorkspaceGlob(root, glob, globs)) candidates.push({ folder: f, source: "workspaces" });
  for (const parent of SERVICE_PARENTS) for (const f of expandWorkspaceGlob(root, `${parent}/*`, globs)) candidates.push({ folder: f, source: `${parent}/*` });
  const seen = new Set<string>();
  const names = new Set<string>();
  const found: Discovery = { services: [], sharedKernels: [] };
  for (const { folder, source } of candidates) {
    if (seen.has(folder)) continue;
    seen.add(folder);
    const leaf = basename(folder);
    if (TOOLING.test(leaf)) continue;
    const codeDir = isDir(join(folder, "src")) ? join(folder, "src") : folder;
    const files = listSourceFiles(codeDir, { file: join(root, "archverify.yaml"), line: 1, column: 1 });
    if (files.length === 0) continue;
    let name = elementName(folder);
    for (let i = 2; names.has(name); i++) name = `${elementName(folder)}-${i}`;
    names.add(name);
    const element: FoundElement = { name, folder: rel(root, folder), code: rel(root, codeDir), source };
    if (SHARED_NAMES.has(leaf.toLowerCase()) || SHARED_NAMES.has(name.toLowerCase())) {
      found.sharedKernels.push(element);
      continue;
    }
    const handler = findHandler(root, files);
    found.services.push(handler ? { ...element, handler } : element);
  }
  const byName = (a: FoundElement, b: FoundElement) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
  found.services.sort(byName);
  found.sharedKernels.sort(byName);
  return found;
}

/** YAML scalar: quoted when YAML could read it as something else. */
const scalar = (s: string) => (/^[A-Za-z0-9_./-][A-Za-z0-9_./#-]*$/.test(s) && !/^(true|false|null|yes|no|on|off|~)$/i.test(s) ? s : JSON.stringify(s));

export function starterSpec(found: Discovery, schemaPath: string): string {
  const out: string[] = [];
  out.push(`# yaml-language-server: $schema=${schemaPath}`);
  out.push("#");
  out.push("# The topology spec of this repository, written by `archverify init`. archverify checks the");
  out.push("# code against it: `npx archverify check` (add --format markdown|sarif|junit|github|html for CI),");
  out.push("# `npx archverify docs` draws it. What init found is written out; the rest is commented");
  out.push("# examples to fill in. `npx archverify explain RULE` explains a rule.");
  out.push("archverify: 1");
  out.push("");
  out.push("# Bounded contexts (DDD) and who owns them; give each service a `context:`.");
  out.push("# contexts:");
  out.push("#   ordering: { owner: team-orders }");
  out.push("#   billing: { owner: team-billing }");
  out.push("# contextMap:   # a downstream context may call its upstream one");
  out.push("#   - { upstream: billing, downstream: ordering, pattern: customer-supplier }");
  out.push("");
  out.push("# Layers, outermost first: a service may call its own layer or a later one.");
  out.push("# layers: [edge, application, domain]");
  out.push("");
  if (found.sharedKernels.length > 0) {
    out.push("# Code every service may import (a shared kernel): types, helpers, the published language.");
    out.push("sharedKernels:");
    for (const k of found.sharedKernels) out.push(`  ${scalar(k.name)}: { code: ${scalar(k.code)} }   # found in ${k.source}`);
    out.push("");
  }
  if (found.services.length > 0) {
    out.push("services:");
    for (const s of found.services) {
      out.push(`  ${scalar(s.name)}:   # found in ${s.source}`);
      out.push(`    code: ${scalar(s.code)}`);
      if (s.handler) out.push(`    # handler: ${s.handler}   # exports initialState and handle or evolve: enables the convergence checks`);
      else out.push(`    # handler: ${s.code}/handler.ts#${s.name.replace(/[^A-Za-z0-9_$]/g, "_")}   # { initialState, handle }: enables the convergence checks`);
      out.push("    # partitionBy: orderId   # when the handler's state is one entity's (an aggregate per stream): one state per value at this event path");
      out.push("    # context: ordering");
      out.push("    # datastores: [orders-db]");
      out.push("    # calls: [ { to: other-service, protocol: grpc } ]");
    }
  } else {
    out.push("# No service folders were found (services/*, apps/*, packages/*, src/services/*, workspaces).");
    out.push("# services:");
    out.push("#   order:");
    out.push("#     code: src/order                            # the service's TypeScript folder");
    out.push("#     handler: src/order/handler.ts#order        # { initialState, handle } (optional)");
    out.push("#     datastores: [order-db]");
    out.push("#     calls: [ { to: inventory, protocol: grpc } ]");
  }
  out.push("");
  out.push("# datastores:");
  out.push("#   orders-db: { kind: postgres }");
  out.push("");
  out.push("# Message channels (topics, subjects, queues) and what the broker guarantees.");
  out.push("# channels:");
  out.push("#   order-events:");
  out.push("#     broker: kafka");
  out.push("#     delivery: at-least-once     # at-most-once | at-least-once | exactly-once");
  out.push("#     ordering: per-key           # none | per-key | total");
  out.push("#     key: orderId");
  out.push("#     events: [OrderPlaced, OrderCancelled]");
  out.push("#     producers: [order]");
  out.push("#     consumers: [payment]");
  out.push("");
  out.push("# Scenarios the convergence and model checks run (events injected at the start).");
  out.push("# scenarios:");
  out.push("#   happy-path:");
  out.push("#     inputs:");
  out.push("#       - { channel: order-events, event: { type: OrderPlaced, id: e1, orderId: o1 } }");
  out.push("");
  out.push("# invariants: src/invariants.ts#invariants   # must hold in every reachable state");
  out.push("# rules:");
  out.push("#   - { name: no-sync-cycles, severity: error }");
  return `${out.join("\n")}\n`;
}

export const initCommand: Command = {
  name: "init",
  summary: "write a commented starter archverify.yaml for this repository",
  usage,
  async run(args: string[], io: CliIO): Promise<number> {
    const { values, positionals } = parseCommandArgs(args, { force: { type: "boolean" }, debug: { type: "boolean" } }, usage);
    if (positionals.length > 0) throw usageError(`init takes no arguments, got ${positionals.join(" ")}`, { hint: `Usage: ${usage.split("\n")[0]}` });
    const existing = SPEC_FILE_NAMES.map((n) => join(io.cwd, n)).find((f) => existsSync(f));
    if (existing && !values.force) {
      throw usageError(`${basename(existing)} already exists here; init never overwrites a spec`, { hint: "Pass --force to replace it, or edit it" });
    }
    const found = discover(io.cwd);
    // archverify's own repository has the schema at its root; elsewhere it comes with the package.
    const schema = readJson(join(io.cwd, "package.json"))?.name === "archverify" ? "./schema.json" : "./node_modules/archverify/schema.json";
    const file = existing ?? join(io.cwd, SPEC_FILE_NAMES[0]);
    writeFileAtomic(file, starterSpec(found, schema));
    const list = (xs: FoundElement[]) => xs.map((x) => `${x.name} (${x.code})`).join(", ");
    io.stdout(`wrote ${basename(file)}: ${found.services.length} service(s)${found.services.length ? `: ${list(found.services)}` : ""}`);
    if (found.sharedKernels.length > 0) io.stdout(`; shared kernel(s): ${list(found.sharedKernels)}`);
    io.stdout("\nnext: declare channels and calls, then run `npx archverify check`\n");
    return 0;
  },
};
