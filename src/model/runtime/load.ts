// Loads the handlers, invariants and quiescence predicates a spec names, from
// TypeScript source with no build step: tsx is registered in the CLI and in
// sandbox workers, so a plain dynamic import works there; elsewhere (a user's
// own script) tsx's tsImport is the fallback.
import { existsSync } from "node:fs";
import { relative } from "node:path";
import { pathToFileURL } from "node:url";
import type { Predicate, Predicates } from "../handler.js";
import type { ServiceRuntime, SystemRuntime } from "../runtime-types.js";
import { mayNameWholeModule, type ExportRef, type Spec } from "../../spec/types.js";
import { inputError } from "../../errors.js";
import { eventShape } from "./event-shape.js";
import { guardedCall, serviceIndex } from "./guard.js";
import { describe, normalizeHandler, type HandlerTypeHints } from "./normalize.js";

export interface LoadOptions {
  /** Per service: what the TypeScript types say (event types accepted, Decider commands). */
  hints?: Record<string, HandlerTypeHints>;
  /** Only these services (default: every service with a `handler:`). */
  services?: readonly string[];
}

export async function loadSystemRuntime(spec: Spec, options: LoadOptions = {}): Promise<SystemRuntime> {
  const services = new Map<string, ServiceRuntime>();
  const wanted = options.services ? new Set(options.services) : undefined;
  for (const [name, service] of [...spec.services].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    if (!service.handler || service.external || (wanted && !wanted.has(name))) continue;
    const hints = { ...options.hints?.[name], ...(service.partitionBy === undefined ? {} : { partitionBy: service.partitionBy }) };
    services.set(name, await loadServiceRuntime(name, service.handler, hints));
  }
  return {
    services,
    invariants: spec.invariants ? await loadPredicates(spec.invariants, "invariants") : {},
    quiescence: spec.quiescence ? await loadPredicates(spec.quiescence, "quiescence") : {},
    events: eventShape,
  };
}

export async function loadServiceRuntime(name: string, ref: ExportRef, hints?: HandlerTypeHints): Promise<ServiceRuntime> {
  const { value, module } = await loadExport(ref);
  return normalizeHandler(name, ref, value, module, hints);
}

/** The module a reference names, and the export it names (`whole`: the module's named
 * exports, for a reference without `#name` to a module with no default export). */
export async function loadExport(ref: ExportRef): Promise<{ value: unknown; module: Record<string, unknown>; whole: boolean }> {
  const module = commonJsExports(await importModule(ref));
  if (!(ref.exportName in module) || module[ref.exportName] === undefined) {
    const names = Object.keys(module).sort();
    if (mayNameWholeModule(ref) && names.length > 0) {
      const named = Object.fromEntries(names.filter((n) => n !== "default" && module[n] !== undefined).map((n) => [n, module[n]]));
      return { value: named, module, whole: true };
    }
    const close = names.find((n) => n.toLowerCase() === ref.exportName.toLowerCase());
    throw inputError(`${modulePath(ref)} has no export named "${ref.exportName}"`, {
      location: ref.loc,
      expected: names.length ? `one of its exports: ${names.join(", ")}` : "a module that exports the handler",
      ...(close ? { hint: `did you mean "${close}"?` } : {}),
    });
  }
  return { value: module[ref.exportName], module, whole: false };
}

/**
 * A CommonJS module imported from ESM exposes `module.exports` as `default`, and
 * its named exports only where Node's lexer recognises them: look through
 * `default` for the names it does not list.
 */
function commonJsExports(module: Record<string, unknown>): Record<string, unknown> {
  const fallback = module["default"];
  if (typeof fallback !== "object" || fallback === null || Array.isArray(fallback)) return module;
  const merged: Record<string, unknown> = { ...(fallback as Record<string, unknown>) };
  for (const [name, value] of Object.entries(module)) if (value !== undefined) merged[name] = value;
  return merged;
}

const modules = new Map<string, Promise<Record<string, unknown>>>();

export function importModule(ref: ExportRef): Promise<Record<string, unknown>> {
  if (!existsSync(ref.file)) {
    return Promise.reject(inputError(`cannot find the module ${modulePath(ref)} named by "${ref.raw}"`, {
      location: ref.loc,
      expected: "a path relative to the spec file's folder",
    }));
  }
  let loaded = modules.get(ref.file);
  if (!loaded) {
    loaded = importFile(ref.file).catch((error: unknown) => {
      modules.delete(ref.file);
      const code = (error as { code?: string } | null)?.code;
      // A missing package is the usual cause on a fresh checkout: say how to get it.
      const missing = code === "ERR_MODULE_NOT_FOUND" || code === "MODULE_NOT_FOUND";
      throw inputError(`could not load ${modulePath(ref)}: ${loadFailure(error)}`, {
        location: ref.loc,
        cause: error,
        expected: missing
          ? "the module and everything it imports to resolve from its folder: install the project's dependencies (npm install) and check the import paths"
          : "a module Node can load (through tsx): fix the error above in the handler's code",
      });
    });
    modules.set(ref.file, loaded);
  }
  return loaded;
}

async function importFile(file: string): Promise<Record<string, unknown>> {
  const url = pathToFileURL(file).href;
  try {
    return (await import(url)) as Record<string, unknown>;
  } catch (error) {
    if ((error as { code?: string }).code !== "ERR_UNKNOWN_FILE_EXTENSION") throw error;
    const { tsImport } = await import("tsx/esm/api");
    return (await tsImport(url, import.meta.url)) as Record<string, unknown>;
  }
}

async function loadPredicates(ref: ExportRef, what: string): Promise<Predicates> {
  const { value, whole } = await loadExport(ref);
  // A whole module's predicates are its exported functions; its constants and helpers' data are not.
  const record: Record<string, unknown> =
    typeof value === "function"
      ? { [ref.exportName]: value }
      : whole
        ? Object.fromEntries(Object.entries(value as Record<string, unknown>).filter(([, v]) => typeof v === "function"))
        : (value as Record<string, unknown>);
  if (typeof record !== "object" || record === null || Array.isArray(record)) {
    throw inputError(`${ref.raw} is not a record of ${what} predicates (found ${describe(value)})`, {
      location: ref.loc,
      expected: "an object of named functions (states) => true | false | message",
    });
  }
  const out: Predicates = {};
  for (const name of Object.keys(record).sort()) {
    const p = record[name];
    if (typeof p !== "function") {
      throw inputError(`${what} predicate "${name}" of ${ref.raw} is ${describe(p)}, not a function`, {
        location: ref.loc,
        expected: "(states) => true | false | message",
      });
    }
    // Predicates are user code too: a busy one must be caught like a handler.
    const index = serviceIndex(`${what}.${name}`);
    const fn = p as Predicate;
    out[name] = (states) => guardedCall(index, states, () => fn(states));
  }
  return out;
}

/**
 * The first line of a load error, or for a compile error (esbuild's "Transform
 * failed with N errors:" heading) the first error itself, with its position.
 */
function loadFailure(error: unknown): string {
  const lines = ((error as Error)?.message ?? String(error)).split("\n").filter((l) => l.trim() !== "");
  const first = lines[0] ?? String(error);
  if (/^Transform failed with \d+ errors?:$/.test(first) && lines[1]) {
    const message = lines[1].replace(/^(.*?):(\d+:\d+): ERROR: /, (_, file: string, at: string) => `${relative(process.cwd(), file)}:${at}: `);
    return `${message} (TypeScript could not be compiled)`;
  }
  return first;
}

/** The module part of a reference, as the user wrote it. */
function modulePath(ref: ExportRef): string {
  return ref.raw.split("#")[0] ?? ref.raw;
}
