// Analyses one handler module written inline: a temporary folder with the
// module, the drift fixtures' compiler options and a spec naming its export.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { analyseDrift, type ServiceFacts } from "../../../src/code/drift/analysis.js";
import { createCodeProject } from "../../../src/code/project.js";
import { loadSpecText } from "../../../src/spec/load.js";
import { FIXTURES } from "./run-fixture.js";

/** The facts of service `svc`, whose handler is the export `svc` of
 * `src/handler.ts`; `files` adds files (paths relative to the folder),
 * `services` other services of the spec (without code). */
export function analyseSnippet(handler: string, options: { files?: Record<string, string>; services?: string[] } = {}): ServiceFacts {
  const dir = mkdtempSync(join(tmpdir(), "archverify-snippet-"));
  try {
    const write = (rel: string, text: string) => {
      mkdirSync(dirname(join(dir, rel)), { recursive: true });
      writeFileSync(join(dir, rel), text);
    };
    write("tsconfig.json", readFileSync(join(FIXTURES, "drift", "tsconfig.json"), "utf8"));
    write("src/handler.ts", handler);
    for (const [rel, text] of Object.entries(options.files ?? {})) write(rel, text);
    const specFile = join(dir, "spec.yaml");
    const others = (options.services ?? []).map((s) => `  ${s}: {}`);
    const spec = loadSpecText(["archverify: 1", "services:", "  svc:", "    code: src", "    handler: src/handler.ts#svc", ...others].join("\n"), specFile);
    const cp = createCodeProject(spec)!;
    return analyseDrift(cp, spec).services.get("svc")!;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
