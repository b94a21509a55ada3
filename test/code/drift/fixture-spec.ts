// A minimal reader of the fixture specs (services with code/handler/calls,
// channels with events/producers/consumers, rules), with real line numbers,
// so the analyses can be tested on their own. The end-to-end tests go through
// the real loader and `archverify check`.
import { readFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Node as YamlNode } from "yaml";
import type { ChannelSpec, NameRef, RuleConfig, ServiceSpec, SourceLocation, Spec } from "../../../src/spec/types.js";

export function readFixtureSpec(file: string): Spec {
  const text = readFileSync(file, "utf8");
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines });
  const dir = dirname(file);
  const loc = (node: YamlNode | null | undefined): SourceLocation => {
    const { line, col } = lines.linePos(node?.range?.[0] ?? 0);
    return { file, line, column: col };
  };
  const get = (node: unknown, key: string): YamlNode | undefined => (isMap(node) ? (node.get(key, true) as YamlNode | undefined) : undefined);
  const str = (node: unknown): string | undefined => (isScalar(node) ? String(node.value) : undefined);
  const refs = (node: unknown): NameRef[] => (isSeq(node) ? node.items.map((i) => ({ name: str(i)!, loc: loc(i as YamlNode) })) : []);

  const services = new Map<string, ServiceSpec>();
  const servicesNode = get(doc.contents, "services");
  if (isMap(servicesNode)) {
    for (const pair of servicesNode.items) {
      const name = str(pair.key)!;
      const value = pair.value as YamlNode;
      const code = str(get(value, "code"));
      const handler = str(get(value, "handler"));
      const calls = get(value, "calls");
      const [hFile, hExport] = handler ? handler.split("#") : [];
      services.set(name, {
        name,
        loc: loc(pair.key as YamlNode),
        ...(code ? { code: { path: resolve(dir, code), loc: loc(get(value, "code")) } } : {}),
        ...(handler ? { handler: { raw: handler, file: resolve(dir, hFile!), exportName: hExport ?? "default", loc: loc(get(value, "handler")) } } : {}),
        datastores: [],
        outbox: true,
        calls: isSeq(calls)
          ? calls.items.map((c) => ({ to: { name: str(get(c, "to"))!, loc: loc(get(c, "to")) }, loc: loc(c as YamlNode) }))
          : [],
        external: str(get(value, "external")) === "true",
      });
    }
  }
  const channels = new Map<string, ChannelSpec>();
  const eventChannel = new Map<string, string>();
  const channelsNode = get(doc.contents, "channels");
  if (isMap(channelsNode)) {
    for (const pair of channelsNode.items) {
      const name = str(pair.key)!;
      const value = pair.value as YamlNode;
      const events = refs(get(value, "events"));
      for (const e of events) eventChannel.set(e.name, name);
      channels.set(name, {
        name,
        loc: loc(pair.key as YamlNode),
        delivery: "at-least-once",
        ordering: "none",
        events,
        producers: refs(get(value, "producers")),
        consumers: refs(get(value, "consumers")),
      });
    }
  }
  const rules = new Map<string, RuleConfig>();
  const rulesNode = get(doc.contents, "rules");
  if (isSeq(rulesNode)) {
    for (const r of rulesNode.items) {
      const js = (r as YamlNode).toJSON() as Record<string, unknown>;
      const { name, severity, options, ...rest } = js;
      rules.set(String(name), {
        id: String(name),
        ...(severity ? { severity: severity as RuleConfig["severity"] } : {}),
        options: (options as Record<string, unknown>) ?? rest,
        loc: loc(r as YamlNode),
      });
    }
  }
  return {
    file,
    dir,
    files: [file],
    contexts: new Map(),
    contextMap: [],
    layers: [],
    services,
    datastores: new Map(),
    channels,
    eventChannel,
    gateway: { routes: [] },
    scenarios: new Map(),
    sharedKernels: new Map(),
    rules,
  };
}
