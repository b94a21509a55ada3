// Validated spec files -> the resolved Spec: sections merged across included
// files (a name defined twice is an error naming both places), every name
// reference checked, paths made absolute and checked to exist.
import { existsSync, statSync } from "node:fs";
import { dirname, resolve as resolvePath } from "node:path";
import { getPath, ID_PATHS } from "../model/runtime/event-shape.js";
import { displayPath } from "../util/paths.js";
import { clip } from "./clip.js";
import type { Problems } from "./problems.js";
import { EMPTY_SERVICE, type SpecFile } from "./schema.js";
import { didYouMean, NameIndex, oneOf } from "./suggest.js";
import type {
  CallSpec,
  ChannelSpec,
  CodeRoot,
  ContextRelation,
  ContextSpec,
  DatastoreSpec,
  ExportRef,
  NameRef,
  RouteSpec,
  RuleConfig,
  ScenarioSpec,
  ServiceSpec,
  SharedKernelSpec,
  SourceLocation,
  Spec,
} from "./types.js";
import type { LocNode } from "./yaml-tree.js";

export interface ValidatedFile {
  file: string;
  data: SpecFile;
  node: LocNode;
}

/** Extensions tried, in order, when an `export ref` path names no existing file
 * (TypeScript ESM code often imports `./x.js` for `./x.ts`). */
const MODULE_EXTENSIONS = [".ts", ".tsx", ".mts", ".cts", ".js", ".mjs", ".cjs"];

export function resolveSpec(files: readonly ValidatedFile[], problems: Problems, ruleIds: readonly string[]): Spec {
  const root = files[0];
  if (!root) throw new Error("resolveSpec needs at least the root file");
  const r = new Resolver(root.file, problems);
  for (const f of files) r.collect(f);
  r.check(ruleIds);
  return r.spec;
}

class Resolver {
  readonly spec: Spec;
  private readonly defined = new Map<string, SourceLocation>();
  private readonly pathCache = new Map<string, "file" | "dir" | "none">();
  private readonly scenarioInputs: Array<{ scenario: ScenarioSpec; typeLocs: SourceLocation[] }> = [];

  constructor(
    rootFile: string,
    private readonly problems: Problems,
  ) {
    this.spec = {
      file: rootFile,
      dir: dirname(rootFile),
      files: [],
      contexts: new Map(),
      contextMap: [],
      layers: [],
      services: new Map(),
      datastores: new Map(),
      channels: new Map(),
      eventChannel: new Map(),
      gateway: { routes: [] },
      scenarios: new Map(),
      sharedKernels: new Map(),
      rules: new Map(),
    };
  }

  /** Adds the sections of one file. */
  collect({ file, data, node }: ValidatedFile): void {
    const spec = this.spec;
    spec.files.push(file);
    const section = (key: string): LocNode | undefined => node.entries?.get(key)?.value;
    const keyLoc = (key: string): SourceLocation => node.entries?.get(key)?.key ?? node.loc;

    this.records("contexts", data.contexts, section("contexts"), (name, value, loc): ContextSpec => ({
      name,
      loc,
      ...(value?.owner === undefined ? {} : { owner: value.owner }),
      ...(value?.description === undefined ? {} : { description: value.description }),
    }), spec.contexts);

    this.records("datastores", data.datastores, section("datastores"), (name, value, loc): DatastoreSpec => ({
      name,
      loc,
      ...(value?.kind === undefined ? {} : { kind: value.kind }),
    }), spec.datastores);

    this.records("services", data.services, section("services"), (name, written, loc, n): ServiceSpec => {
      const s = written ?? EMPTY_SERVICE;
      const at = (k: string) => child(n, k);
      const service: ServiceSpec = {
        name,
        loc,
        datastores: s.datastores.map((d, i) => ({ name: d, loc: item(at("datastores"), i, loc) })),
        outbox: s.outbox,
        ...(s.partitionBy === undefined ? {} : { partitionBy: s.partitionBy }),
        calls: s.calls.map((c, i): CallSpec => {
          const callNode = at("calls")?.items?.[i];
          return {
            to: { name: c.to, loc: child(callNode, "to")?.loc ?? loc },
            ...(c.protocol === undefined ? {} : { protocol: c.protocol }),
            loc: callNode?.loc ?? loc,
          };
        }),
        external: s.external,
      };
      if (s.context !== undefined) service.context = { name: s.context, loc: at("context")?.loc ?? loc };
      if (s.layer !== undefined) service.layer = { name: s.layer, loc: at("layer")?.loc ?? loc };
      if (s.code !== undefined) service.code = this.codeRoot(file, s.code, at("code")?.loc ?? loc);
      if (s.handler !== undefined) service.handler = this.exportRef(file, s.handler, at("handler")?.loc ?? loc);
      if (s.description !== undefined) service.description = s.description;
      if (s.partitionBy !== undefined && s.handler === undefined) {
        this.problems.add(at("partitionBy")?.loc ?? loc, `service "${name}" has partitionBy but no handler`, { expected: "a `handler:` whose state partitionBy splits per entity, or no partitionBy" });
      }
      this.noDuplicates(service.datastores, "datastore", `service "${name}"`);
      this.noDuplicates(service.calls.map((c) => c.to), "called service", `the calls of service "${name}"`);
      return service;
    }, spec.services);

    this.records("channels", data.channels, section("channels"), (name, c, loc, n): ChannelSpec => {
      const refs = (k: "events" | "producers" | "consumers") => c[k].map((v, i) => ({ name: v, loc: item(child(n, k), i, loc) }));
      const channel: ChannelSpec = {
        name,
        loc,
        delivery: c.delivery,
        ordering: c.ordering,
        events: refs("events"),
        producers: refs("producers"),
        consumers: refs("consumers"),
      };
      if (c.broker !== undefined) channel.broker = c.broker;
      if (c.key !== undefined) channel.key = c.key;
      if (c.maxRedeliveries !== undefined) channel.maxRedeliveries = c.maxRedeliveries;
      if (c.ordering === "per-key" && c.key === undefined) {
        this.problems.add(child(n, "ordering")?.loc ?? loc, `channel "${name}" has per-key ordering but no key`, { expected: "a `key:` naming the event field the ordering is keyed on" });
      }
      this.noDuplicates(channel.events, "event type", `channel "${name}"`);
      this.noDuplicates(channel.producers, "producer", `channel "${name}"`);
      this.noDuplicates(channel.consumers, "consumer", `channel "${name}"`);
      return channel;
    }, spec.channels);

    this.records("scenarios", data.scenarios, section("scenarios"), (name, s, loc, n): ScenarioSpec => {
      const inputsNode = child(n, "inputs");
      const typeLocs: SourceLocation[] = [];
      const scenario: ScenarioSpec = {
        name,
        loc,
        inputs: s.inputs.map((input, i) => {
          const inputNode = inputsNode?.items?.[i];
          const eventNode = child(inputNode, "event");
          typeLocs.push(child(eventNode, "type")?.loc ?? eventNode?.loc ?? loc);
          const event: Record<string, unknown> = { ...input.event };
          // Deterministic ids: the same spec always yields the same events. An event that
          // carries its id elsewhere (an envelope's metadata.eventId) keeps it as its only
          // id: a second, top-level one would be the id the runtime reads and rewrites.
          if (!hasOwnId(event)) event.id = `${name}-${i + 1}`;
          return { channel: { name: input.channel, loc: child(inputNode, "channel")?.loc ?? loc }, event, loc: inputNode?.loc ?? loc };
        }),
      };
      if (s.description !== undefined) scenario.description = s.description;
      this.scenarioInputs.push({ scenario, typeLocs });
      return scenario;
    }, spec.scenarios);

    this.records("sharedKernels", data.sharedKernels, section("sharedKernels"), (name, k, loc, n): SharedKernelSpec => ({
      name,
      loc,
      code: this.codeRoot(file, k.code, child(n, "code")?.loc ?? loc),
    }), spec.sharedKernels);

    if (data.layers !== undefined) {
      if (this.once("layers", keyLoc("layers"))) {
        spec.layers = data.layers.map((l, i) => ({ name: l, loc: item(section("layers"), i, keyLoc("layers")) }));
        this.noDuplicates(spec.layers, "layer", "`layers`");
      }
    }
    for (const key of ["invariants", "quiescence"] as const) {
      const raw = data[key];
      if (raw !== undefined && this.once(key, keyLoc(key))) spec[key] = this.exportRef(file, raw, section(key)?.loc ?? node.loc);
    }

    data.contextMap?.forEach((rel, i) => {
      const relNode = section("contextMap")?.items?.[i];
      const relation: ContextRelation = {
        upstream: { name: rel.upstream, loc: child(relNode, "upstream")?.loc ?? node.loc },
        downstream: { name: rel.downstream, loc: child(relNode, "downstream")?.loc ?? node.loc },
        pattern: rel.pattern,
        loc: relNode?.loc ?? node.loc,
      };
      spec.contextMap.push(relation);
    });

    data.gateway?.routes.forEach((route, i) => {
      const routeNode = child(section("gateway"), "routes")?.items?.[i];
      const loc = routeNode?.loc ?? node.loc;
      const r: RouteSpec = { path: route.path, to: { name: route.to, loc: child(routeNode, "to")?.loc ?? loc }, plugins: route.plugins, loc };
      const first = this.defined.get(`route ${route.path}`);
      if (first) this.problems.add(loc, `gateway route ${route.path} is defined twice`, { expected: `one route per path (first at ${this.where(first, file)})` });
      else this.defined.set(`route ${route.path}`, loc);
      spec.gateway.routes.push(r);
    });

    data.rules?.forEach((rule, i) => {
      const ruleNode = section("rules")?.items?.[i];
      const loc = ruleNode?.loc ?? node.loc;
      const nameLoc = child(ruleNode, "name")?.loc ?? loc;
      const existing = spec.rules.get(rule.name);
      if (existing) {
        this.problems.add(nameLoc, `rule "${rule.name}" is configured twice`, { expected: `one entry per rule (first at ${this.where(existing.loc, file)})` });
        return;
      }
      const config: RuleConfig = { id: rule.name, options: rule.options ?? {}, loc: nameLoc };
      if (rule.severity !== undefined) config.severity = rule.severity;
      spec.rules.set(rule.name, config);
    });
  }

  /** Checks every cross-reference once all files are collected. */
  check(ruleIds: readonly string[]): void {
    const spec = this.spec;
    // Indexed once per section, when the first hint is shown: a spec with many unknown names stays linear.
    const indexes = new Map<object, NameIndex>();
    const indexOf = (known: ReadonlyMap<string, unknown> | ReadonlySet<string>): NameIndex => {
      let index = indexes.get(known);
      if (!index) indexes.set(known, (index = new NameIndex(known.keys())));
      return index;
    };
    const ref = (r: NameRef, kind: string, known: Map<string, unknown>, section: string, what: string) => {
      if (known.has(r.name)) return;
      this.problems.add(r.loc, `${what} unknown ${kind} "${clip(r.name)}"`, {
        expected: () => oneOf(known, `\`${section}:\``),
        hint: () => didYouMean(r.name, indexOf(known)),
      });
    };
    const layers = new Map(spec.layers.map((l) => [l.name, l] as const));

    for (const s of spec.services.values()) {
      if (s.context) ref(s.context, "context", spec.contexts, "contexts", `service "${s.name}" is in`);
      if (s.layer) ref(s.layer, "layer", layers, "layers", `service "${s.name}" is in`);
      for (const d of s.datastores) ref(d, "datastore", spec.datastores, "datastores", `service "${s.name}" uses`);
      for (const c of s.calls) ref(c.to, "service", spec.services, "services", `service "${s.name}" calls`);
    }
    for (const rel of spec.contextMap) {
      ref(rel.upstream, "context", spec.contexts, "contexts", "the context map names");
      ref(rel.downstream, "context", spec.contexts, "contexts", "the context map names");
      if (rel.upstream.name === rel.downstream.name) {
        this.problems.add(rel.loc, `context "${rel.upstream.name}" is its own upstream`, { expected: "two different contexts" });
      }
    }
    const eventLoc = new Map<string, SourceLocation>();
    for (const c of spec.channels.values()) {
      for (const p of c.producers) ref(p, "service", spec.services, "services", `channel "${c.name}" names producer`);
      for (const p of c.consumers) ref(p, "service", spec.services, "services", `channel "${c.name}" names consumer`);
      for (const e of c.events) {
        const first = spec.eventChannel.get(e.name);
        if (first === undefined) {
          spec.eventChannel.set(e.name, c.name);
          eventLoc.set(e.name, e.loc);
        } else if (first !== c.name) {
          const firstLoc = eventLoc.get(e.name);
          this.problems.add(e.loc, `event type "${e.name}" is listed in channels "${first}" and "${c.name}"`, {
            expected: `each event type in exactly one channel${firstLoc ? ` (first at ${this.where(firstLoc, e.loc.file)})` : ""}`,
          });
        }
      }
    }
    for (const route of spec.gateway.routes) ref(route.to, "service", spec.services, "services", `gateway route ${route.path} goes to`);
    const eventSets = new Map<ChannelSpec, Set<string>>();
    const channelEvents = (channel: ChannelSpec) => (): Set<string> => {
      let set = eventSets.get(channel);
      if (!set) eventSets.set(channel, (set = new Set(channel.events.map((e) => e.name))));
      return set;
    };
    for (const { scenario, typeLocs } of this.scenarioInputs) {
      scenario.inputs.forEach((input, i) => {
        const channel = spec.channels.get(input.channel.name);
        if (!channel) {
          ref(input.channel, "channel", spec.channels, "channels", `scenario "${scenario.name}" publishes on`);
          return;
        }
        const type = String(input.event.type);
        const events = channelEvents(channel);
        if (events().has(type)) return;
        const owner = spec.eventChannel.get(type);
        this.problems.add(typeLocs[i] ?? input.loc, `scenario "${scenario.name}" publishes event type "${type}", which channel "${channel.name}" does not carry`, {
          expected: () => oneOf(events(), `\`channels.${channel.name}.events\``),
          hint: () => (owner ? `event type "${type}" is carried by channel "${owner}"` : didYouMean(type, indexOf(events()))),
        });
      });
    }
    const known = new Set(ruleIds);
    for (const rule of spec.rules.values()) {
      if (known.has(rule.id)) continue;
      this.problems.add(rule.loc, `unknown rule "${rule.id}"`, {
        expected: known.size <= 8 ? oneOf(known, "") : "a rule id (`archverify explain` lists them)",
        hint: () => didYouMean(rule.id, indexOf(known)),
      });
    }
  }

  /** Adds each entry of a name-keyed section, reporting names already defined (in this or another file). */
  private records<V, T extends { loc: SourceLocation }>(
    section: string,
    values: Record<string, V> | undefined,
    node: LocNode | undefined,
    build: (name: string, value: V, loc: SourceLocation, valueNode: LocNode | undefined) => T,
    into: Map<string, T>,
  ): void {
    if (!values) return;
    for (const [name, value] of Object.entries(values)) {
      const entry = node?.entries?.get(name);
      const loc = entry?.key ?? node?.loc ?? { file: this.spec.file, line: 1, column: 1 };
      const existing = into.get(name);
      if (existing) {
        this.problems.add(loc, `${singular(section)} "${name}" is defined twice`, { expected: `one definition (first at ${this.where(existing.loc, loc.file)})` });
        continue;
      }
      into.set(name, build(name, value, loc, entry?.value));
    }
  }

  /** A section that holds one value (layers, invariants, quiescence) may be written in one file only. */
  private once(section: string, loc: SourceLocation): boolean {
    const first = this.defined.get(section);
    if (first) {
      this.problems.add(loc, `\`${section}\` is defined in two files`, { expected: `one definition (first at ${this.where(first, loc.file)})` });
      return false;
    }
    this.defined.set(section, loc);
    return true;
  }

  private noDuplicates(refs: readonly NameRef[], what: string, where: string): void {
    if (refs.length < 2) return;
    const seen = new Map<string, SourceLocation>();
    for (const r of refs) {
      const first = seen.get(r.name);
      if (first) this.problems.add(r.loc, `${what} "${r.name}" is listed twice in ${where}`, { expected: `each ${what} once (first at line ${first.line}, column ${first.column})` });
      else seen.set(r.name, r.loc);
    }
  }

  private codeRoot(fromFile: string, raw: string, loc: SourceLocation): CodeRoot {
    const path = resolvePath(dirname(fromFile), raw);
    if (this.kind(path) === "none") {
      this.problems.add(loc, `code path ${raw} does not exist${this.resolvedNote(raw, path)}`, {
        expected: "a folder or file, relative to the spec file that names it",
      });
    }
    return { path, loc };
  }

  private exportRef(fromFile: string, raw: string, loc: SourceLocation): ExportRef {
    const hash = raw.lastIndexOf("#");
    const modulePath = hash >= 0 ? raw.slice(0, hash) : raw;
    const exportName = hash >= 0 ? raw.slice(hash + 1) : "default";
    const written = resolvePath(dirname(fromFile), modulePath);
    const file = this.moduleFile(written);
    if (!file) {
      this.problems.add(loc, `module ${modulePath} does not exist${this.resolvedNote(modulePath, written)}`, {
        expected: "`path/to/file.ts#exportName`, relative to the spec file that names it",
      });
    }
    return { raw, file: file ?? written, exportName, loc };
  }

  /** The file a module path names: as written, or with a TypeScript extension for `.js`, or `index.ts` in a folder. */
  private moduleFile(path: string): string | undefined {
    if (this.kind(path) === "file") return path;
    const stem = path.replace(/\.(c|m)?js$/, "");
    for (const ext of MODULE_EXTENSIONS) if (this.kind(stem + ext) === "file") return stem + ext;
    for (const ext of MODULE_EXTENSIONS) if (this.kind(`${path}/index${ext}`) === "file") return `${path}/index${ext}`;
    return undefined;
  }

  private kind(path: string): "file" | "dir" | "none" {
    let k = this.pathCache.get(path);
    if (k === undefined) {
      try {
        k = existsSync(path) ? (statSync(path).isDirectory() ? "dir" : "file") : "none";
      } catch {
        k = "none";
      }
      this.pathCache.set(path, k);
    }
    return k;
  }

  /** Where a relative path led, when that is not plain from the path as written. */
  private resolvedNote(raw: string, absolute: string): string {
    const shown = displayPath(absolute, this.spec.dir);
    return shown === raw.replace(/^\.\//, "").replace(/\/$/, "") ? "" : ` (${shown} from the root spec's folder)`;
  }

  /** `line 3, column 5` in the same file, `other.yaml:3:5` in another. */
  private where(loc: SourceLocation, fromFile: string): string {
    return loc.file === fromFile ? `line ${loc.line}, column ${loc.column}` : `${displayPath(loc.file, this.spec.dir)}:${loc.line}:${loc.column}`;
  }
}

/** Whether the event has an id at one of the paths the runtime reads ids from. */
function hasOwnId(event: Record<string, unknown>): boolean {
  return ID_PATHS.some((path) => {
    const value = getPath(event, path);
    return typeof value === "string" || typeof value === "number" || typeof value === "boolean";
  });
}

function child(node: LocNode | undefined, key: string): LocNode | undefined {
  return node?.entries?.get(key)?.value;
}

function item(node: LocNode | undefined, index: number, fallback: SourceLocation): SourceLocation {
  return node?.items?.[index]?.loc ?? node?.loc ?? fallback;
}

function singular(section: string): string {
  if (section === "sharedKernels") return "shared kernel";
  return section.endsWith("s") ? section.slice(0, -1) : section;
}
