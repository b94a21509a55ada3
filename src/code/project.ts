// One ts-morph Project per check, shared by every code rule: the files of each
// service's `code:` root plus its handler file, compiled with the repository's
// own compiler options so the type checker judges the code as the team's build
// does. Rules ask for it through `codeProject(ctx)`; it is built once.
import { existsSync, readdirSync, statSync } from "node:fs";
import { dirname, isAbsolute, join, relative, resolve, sep } from "node:path";
import { Project, ts } from "ts-morph";
import type { CheckContext } from "../check/types.js";
import { inputError } from "../errors.js";
import type { ServiceSpec, SourceLocation, Spec } from "../spec/types.js";

export interface CodeProject {
  project: Project;
  program: ts.Program;
  checker: ts.TypeChecker;
  /** Absolute path of the tsconfig.json whose options were used; undefined: defaults. */
  tsconfig?: string;
  /** The analysed services (not external, with `code:` or `handler:`), each with the
   * files that are its own: its code root minus test files and minus the files a
   * more specific root of another service claims, plus its handler file. Sorted. */
  services: Map<string, ServiceCode>;
  /** Milliseconds spent listing, parsing and binding (type checking is lazy). */
  setupMs: number;
}

export interface ServiceCode {
  service: ServiceSpec;
  files: ts.SourceFile[];
  /** The handler module, when the spec names one. */
  handlerFile?: ts.SourceFile;
}

/** Folders never part of a service's own code. */
export const SKIPPED_DIRS = new Set(["node_modules", "dist", "build", "coverage", "__tests__", "__mocks__", "__fixtures__"]);
/** Test, story and benchmark files: they build events as data, they do not emit them. */
export const SKIPPED_FILE = /\.(test|spec|stories|bench)\.[cm]?tsx?$/;
const TS_FILE = /\.(ts|tsx|mts|cts)$/;

/** Compiler options when no tsconfig.json is found: strict, so assignability
 * judges `undefined` and `null` as a strict build would. */
const DEFAULT_OPTIONS: ts.CompilerOptions = {
  target: ts.ScriptTarget.ES2022,
  module: ts.ModuleKind.NodeNext,
  moduleResolution: ts.ModuleResolutionKind.NodeNext,
  strict: true,
  skipLibCheck: true,
  noEmit: true,
};

/** The shared project of this check (undefined when no service has code). */
export function codeProject(ctx: CheckContext): CodeProject | undefined {
  return ctx.cached("code:project", () => {
    const created = createCodeProject(ctx.spec);
    if (created) ctx.recordStats("code.project", { files: created.program.getRootFileNames().length, setupMs: Math.round(created.setupMs) });
    return created;
  });
}

/** The services whose code archverify reads. */
export function analysedServices(spec: Spec): ServiceSpec[] {
  return [...spec.services.values()]
    .filter((s) => !s.external && (s.code || s.handler))
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

export function createCodeProject(spec: Spec, options: { tsconfig?: string } = {}): CodeProject | undefined {
  const started = performance.now();
  const services = analysedServices(spec);
  if (services.length === 0) return undefined;

  const rootFiles = new Map<string, string[]>();
  for (const s of services) {
    const files = s.code ? listSourceFiles(s.code.path, s.code.loc) : [];
    if (s.handler) {
      if (!existsSync(s.handler.file) || !statSync(s.handler.file).isFile()) {
        throw inputError(`handler module ${s.handler.raw} of service ${s.name} does not exist`, {
          location: s.handler.loc,
          expected: "a TypeScript file, relative to the spec's folder, then #exportName",
        });
      }
    }
    rootFiles.set(s.name, files);
  }

  const tsconfig = options.tsconfig ?? chooseTsconfig(services);
  const compilerOptions = tsconfig ? readCompilerOptions(tsconfig) : DEFAULT_OPTIONS;
  const project = new Project({ compilerOptions, skipAddingFilesFromTsConfig: true, skipFileDependencyResolution: true });
  const all = new Set<string>();
  for (const files of rootFiles.values()) for (const f of files) all.add(f);
  for (const s of services) if (s.handler) all.add(s.handler.file);
  for (const f of [...all].sort()) project.addSourceFileAtPath(f);
  const program = project.getProgram().compilerObject;
  const checker = program.getTypeChecker();

  // Code roots (folders or single files) by path, first service first.
  const roots = new Map<string, string>();
  for (const s of services) if (s.code && !roots.has(s.code.path)) roots.set(s.code.path, s.name);
  const byService = new Map<string, ServiceCode>();
  for (const s of services) {
    let files = ownFiles(s, roots, rootFiles);
    const handlerFile = s.handler ? program.getSourceFile(s.handler.file) : undefined;
    if (handlerFile && sharesRootWithAnotherHandler(s, services)) {
      files = files.filter((f) => reachableFrom(handlerFile, checker).has(f));
    }
    const set = new Set(files);
    if (s.handler) set.add(s.handler.file);
    const sourceFiles = [...set]
      .sort()
      .map((f) => program.getSourceFile(f))
      .filter((f): f is ts.SourceFile => f !== undefined);
    byService.set(s.name, { service: s, files: sourceFiles, ...(handlerFile ? { handlerFile } : {}) });
  }
  return {
    project,
    program,
    checker,
    ...(tsconfig ? { tsconfig } : {}),
    services: byService,
    setupMs: performance.now() - started,
  };
}

/** Every TypeScript source file under `root` (or `root` itself), sorted. */
export function listSourceFiles(root: string, loc: SourceLocation): string[] {
  if (!existsSync(root)) {
    throw inputError(`code root ${root} does not exist`, { location: loc, expected: "a folder or TypeScript file, relative to the spec's folder" });
  }
  if (statSync(root).isFile()) return [resolve(root)];
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (entry.name.startsWith(".")) continue;
      const full = join(dir, entry.name);
      if (entry.isDirectory()) {
        if (!SKIPPED_DIRS.has(entry.name)) walk(full);
      } else if (entry.isFile() && TS_FILE.test(entry.name) && !entry.name.endsWith(".d.ts") && !SKIPPED_FILE.test(entry.name)) {
        out.push(full);
      }
    }
  };
  walk(resolve(root));
  return out.sort();
}

function isInside(file: string, dir: string): boolean {
  const rel = relative(dir, file);
  return rel !== "" && rel !== ".." && !rel.startsWith(`..${sep}`) && !isAbsolute(rel);
}

/** The files of `s`'s root that no deeper root of another service claims. */
function ownFiles(s: ServiceSpec, roots: ReadonlyMap<string, string>, rootFiles: Map<string, string[]>): string[] {
  const mine = rootFiles.get(s.name) ?? [];
  if (!s.code) return mine;
  const own = s.code.path;
  // The deepest code root above each file owns it; walking up the file's
  // folders keeps this linear in files, whatever the number of services.
  return mine.filter((f) => {
    if (f === own) return true; // a single-file root
    const fileOwner = roots.get(f);
    if (fileOwner !== undefined && fileOwner !== s.name) return false;
    for (let d = dirname(f); ; d = dirname(d)) {
      if (d === own) return true;
      const owner = roots.get(d);
      if (owner !== undefined && owner !== s.name) return false;
      if (dirname(d) === d || !isInside(d, own)) return true;
    }
  });
}

function sharesRootWithAnotherHandler(s: ServiceSpec, services: ServiceSpec[]): boolean {
  return Boolean(s.code && services.some((o) => o !== s && o.code?.path === s.code!.path));
}

/** Files reachable from `start` through imports and re-exports (type-only included). */
function reachableFrom(start: ts.SourceFile, checker: ts.TypeChecker): Set<string> {
  const seen = new Set<string>([start.fileName]);
  const queue = [start];
  while (queue.length > 0) {
    const sf = queue.pop()!;
    for (const stmt of sf.statements) {
      const spec =
        ts.isImportDeclaration(stmt) || ts.isExportDeclaration(stmt) ? stmt.moduleSpecifier : undefined;
      if (!spec) continue;
      const target = checker.getSymbolAtLocation(spec)?.valueDeclaration;
      if (target && ts.isSourceFile(target) && !target.isDeclarationFile && !seen.has(target.fileName)) {
        seen.add(target.fileName);
        queue.push(target);
      }
    }
  }
  return seen;
}

/** The tsconfig.json nearest to most code roots and handler files (ties: the
 * first service by name), so a monorepo package's own options win. */
function chooseTsconfig(services: ServiceSpec[]): string | undefined {
  const votes = new Map<string, number>();
  const order: string[] = [];
  for (const s of services) {
    const start = s.code ? (statSync(s.code.path).isFile() ? dirname(s.code.path) : s.code.path) : dirname(s.handler!.file);
    const found = findUpward(start, "tsconfig.json");
    if (!found) continue;
    if (!votes.has(found)) order.push(found);
    votes.set(found, (votes.get(found) ?? 0) + 1);
  }
  let best: string | undefined;
  for (const f of order) if (best === undefined || (votes.get(f) ?? 0) > (votes.get(best) ?? 0)) best = f;
  return best;
}

function findUpward(dir: string, name: string): string | undefined {
  for (let d = resolve(dir); ; d = dirname(d)) {
    const candidate = join(d, name);
    if (existsSync(candidate)) return candidate;
    if (dirname(d) === d) return undefined;
  }
}

/** The options of a tsconfig (with its `extends` chain), without letting tsc
 * enumerate the files it includes: the project adds the files it needs. */
function readCompilerOptions(file: string): ts.CompilerOptions {
  const host: ts.ParseConfigHost = {
    useCaseSensitiveFileNames: ts.sys.useCaseSensitiveFileNames,
    readDirectory: () => [],
    fileExists: (f) => ts.sys.fileExists(f),
    readFile: (f) => ts.sys.readFile(f),
  };
  const source = ts.readJsonConfigFile(file, (f) => ts.sys.readFile(f));
  const parsed = ts.parseJsonSourceFileConfigFileContent(source, host, dirname(file), undefined, file);
  // 18003: "no inputs were found", expected since nothing is enumerated.
  const problem = parsed.errors.find((d) => d.category === ts.DiagnosticCategory.Error && d.code !== 18003);
  if (problem) {
    const where = problem.file && problem.start !== undefined ? problem.file.getLineAndCharacterOfPosition(problem.start) : undefined;
    throw inputError(`cannot read ${file}: ${ts.flattenDiagnosticMessageText(problem.messageText, " ")}`, {
      ...(where ? { location: { file, line: where.line + 1, column: where.character + 1 } } : {}),
      expected: "a valid tsconfig.json",
    });
  }
  return { ...parsed.options, noEmit: true };
}

/** Where a node starts, 1-based. */
export function locationOf(node: ts.Node): SourceLocation {
  const sf = node.getSourceFile();
  const { line, character } = sf.getLineAndCharacterOfPosition(node.getStart(sf));
  return { file: sf.fileName, line: line + 1, column: character + 1 };
}

/** Whether the declaration is user code in the program (not a library's .d.ts). */
export function isProjectCode(node: ts.Node): boolean {
  const sf = node.getSourceFile();
  return !sf.isDeclarationFile && !sf.fileName.includes("/node_modules/");
}
