// The whole loader, through the file system: a root spec whose `include:` names
// random, mutated and binary files, files just under, at and over the size
// limit, folders, missing paths, symbolic link loops, files in other folders
// and includes of includes (cycles too). Whatever is on disk, loading returns a
// Spec or throws typed diagnostics that point into files that exist; never
// another exception.
import { existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ArchverifyError } from "../../src/errors.js";
import { loadSpecSync } from "../../src/spec/load.js";
import { expectLocatedDiagnostics } from "./helpers.js";

const MAX_BYTES = 2048;

/** Names the root may include; some hold files, some are left missing. Paths leave the root's folder too. */
const NAMES = ["a.yaml", "b.yaml", "sub/c.yaml", "sub/deeper/d.yaml", "../outside.yaml", "with space.yaml", "ünïcode.yaml", "spec.yaml", "sub"] as const;

const PART = `services:
  extra: { context: ordering, calls: [ { to: order } ] }
channels:
  extra-events: { events: [ ExtraHappened ], producers: [ extra ], consumers: [ order ] }
`;
const ROOT = `archverify: 1
contexts: { ordering: {} }
services:
  order: { context: ordering }
`;

const contentKind = fc.oneof(
  fc.record({ kind: fc.constant("part" as const), include: fc.array(fc.constantFrom(...NAMES), { maxLength: 2 }) }),
  fc.record({ kind: fc.constant("mutated" as const), at: fc.nat(), cut: fc.nat({ max: 30 }), insert: fc.oneof(fc.string({ maxLength: 6 }), fc.constantFrom(":", "- ", "{", "]", "&a ", "*a", "!x ", "\t", "\n  ", "include: [a.yaml]\n")) }),
  fc.record({ kind: fc.constant("bytes" as const), bytes: fc.uint8Array({ maxLength: 300 }) }),
  fc.record({ kind: fc.constant("utf16" as const) }),
  fc.record({ kind: fc.constant("sized" as const), delta: fc.integer({ min: -2, max: 2 }) }),
  fc.record({ kind: fc.constant("empty" as const) }),
  fc.record({ kind: fc.constant("folder" as const), withSpec: fc.boolean() }),
  fc.record({ kind: fc.constant("link-loop" as const) }),
  fc.record({ kind: fc.constant("link-to-folder" as const) }),
  fc.record({ kind: fc.constant("missing" as const) }),
);
type Content = typeof contentKind extends fc.Arbitrary<infer T> ? T : never;

const layout = fc.record({
  files: fc.dictionary(fc.constantFrom(...NAMES.filter((n) => n !== "spec.yaml" && n !== "sub")), contentKind, { maxKeys: 6 }),
  rootIncludes: fc.array(fc.constantFrom(...NAMES, "missing.yaml", "/", "."), { maxLength: 5 }),
});

function bytesOf(content: Content): Uint8Array | undefined {
  const text = (s: string) => new TextEncoder().encode(s);
  switch (content.kind) {
    case "part":
      return text(content.include.length > 0 ? `include: [ ${content.include.map((n) => JSON.stringify(n)).join(", ")} ]\n${PART}` : PART);
    case "mutated": {
      const at = content.at % (PART.length + 1);
      return text(PART.slice(0, at) + content.insert + PART.slice(at + content.cut));
    }
    case "bytes":
      return content.bytes;
    case "utf16":
      return Uint8Array.from([0xff, 0xfe, ...[...PART].flatMap((c) => [c.charCodeAt(0), 0])]);
    case "sized": {
      // A valid part padded with comment lines to the size limit, give or take two bytes.
      const size = MAX_BYTES + content.delta;
      const padded = `${PART}${"#".repeat(Math.max(0, size - PART.length - 1))}\n`;
      return text(padded.slice(0, Math.max(size, 1)));
    }
    case "empty":
      return new Uint8Array();
    default:
      return undefined;
  }
}

function writeLayout(root: string, files: Record<string, Content>): void {
  for (const [name, content] of Object.entries(files)) {
    const path = join(root, name);
    mkdirSync(dirname(path), { recursive: true });
    if (existsSync(path)) continue;
    const bytes = bytesOf(content);
    if (bytes) writeFileSync(path, bytes);
    else if (content.kind === "folder") {
      mkdirSync(path, { recursive: true });
      if (content.withSpec) writeFileSync(join(path, "archverify.yaml"), PART);
    } else if (content.kind === "link-loop") symlinkSync(path, path);
    else if (content.kind === "link-to-folder") symlinkSync(root, path);
  }
}

/** Loads as the CLI does and checks that the outcome is a Spec or located, typed diagnostics. */
function load(rootFile: string): "spec" | "errors" {
  try {
    loadSpecSync(rootFile, { maxBytes: MAX_BYTES });
    return "spec";
  } catch (error) {
    expectLocatedDiagnostics(error);
    return "errors";
  }
}

describe("spec loader fuzz through files", () => {
  it("returns a Spec or typed diagnostics whatever the included files hold", () => {
    const seen = new Set<string>();
    fc.assert(
      fc.property(layout, ({ files, rootIncludes }) => {
        const top = mkdtempSync(join(tmpdir(), "archverify-fuzz-files-"));
        try {
          const root = join(top, "root");
          mkdirSync(root);
          const includes = rootIncludes.length > 0 ? `include: [ ${rootIncludes.map((n) => JSON.stringify(n)).join(", ")} ]\n` : "";
          writeFileSync(join(root, "spec.yaml"), `${ROOT}${includes}`);
          writeLayout(root, files);
          seen.add(load(join(root, "spec.yaml")));
        } finally {
          rmSync(top, { recursive: true, force: true });
        }
      }),
      { numRuns: 200 },
    );
    expect([...seen].sort()).toEqual(["errors", "spec"]);
  });

  it("refuses a root that is not a spec file with a typed error", () => {
    const top = mkdtempSync(join(tmpdir(), "archverify-fuzz-files-"));
    try {
      mkdirSync(join(top, "folder"));
      symlinkSync(join(top, "loop"), join(top, "loop"));
      writeFileSync(join(top, "big.yaml"), `${ROOT}${"#".repeat(MAX_BYTES)}\n`);
      for (const name of ["folder", "loop", "missing.yaml", "big.yaml"]) {
        expect(() => loadSpecSync(join(top, name), { maxBytes: MAX_BYTES }), name).toThrow(ArchverifyError);
      }
    } finally {
      rmSync(top, { recursive: true, force: true });
    }
  });
});
