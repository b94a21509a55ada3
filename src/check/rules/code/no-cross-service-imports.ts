// A service's code is its own: another service reaches it through the
// declared calls and channels, not by importing its files. Code meant to be
// shared lives in a shared kernel the spec declares.
import { serviceModuleGraph } from "../../../code/modules/service-graph.js";
import { displayPath } from "../../../util/paths.js";
import type { CheckContext, RawFinding, Rule } from "../../types.js";

export const noCrossServiceImportsRule: Rule = {
  id: "no-cross-service-imports",
  defaultSeverity: "error",
  category: "code",
  description: "No file under one service's code root imports a file under another service's code root (shared kernels excepted).",
  fix: "Move the shared code into a shared kernel declared in the spec (sharedKernels: { name: { code: path } }), or replace the import by the declared call or event between the services.",
  details: [
    "Every import the module graph resolves (relative, tsconfig paths/baseUrl, index files, re-exports, import(), require(),",
    "type-only imports too: they couple the services' code just the same) from a file under one service's `code:` root to a file",
    "under another service's is a finding at the import's line. A file under a shared kernel's `code:` root may be imported by",
    "every service. When code roots nest, a file belongs to the innermost root. Tests, stories, benches and the files under",
    "dist/, build/, coverage/, __tests__/, __mocks__/ and __fixtures__/ are not a service's code: their imports are not judged.",
  ].join("\n"),
  check(ctx: CheckContext): RawFinding[] {
    const sg = serviceModuleGraph(ctx);
    if (!sg) return [];
    const rel = (f: string) => displayPath(f, ctx.spec.dir);
    const findings: RawFinding[] = [];
    for (const e of sg.graph.edges) {
      const from = sg.ownerOf(e.from);
      const to = sg.ownerOf(e.to);
      if (!from || !to || from.kind !== "service" || to.kind !== "service" || from.name === to.name) continue;
      findings.push({
        message: `service ${from.name} imports code of service ${to.name}: ${rel(e.from)}:${e.line} ${e.typeOnly ? "type-imports" : "imports"} ${rel(e.to)} ("${e.specifier}")`,
        location: { file: e.from, line: e.line, column: e.column },
        witness: [rel(e.from), rel(e.to)],
        subject: `${from.name} -> ${to.name}`,
      });
    }
    return findings;
  },
};
