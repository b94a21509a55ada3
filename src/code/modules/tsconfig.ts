// Reading tsconfig.json the way tsc does (comments, trailing commas, `extends`
// chains including packages such as @tsconfig/node20, `references`), without
// letting tsc enumerate the project's files up front: module resolution needs
// only the options, and the file list is read only for a tsconfig whose
// `references` make it matter (see projects.ts).
import { existsSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { ts } from "ts-morph";
import { inputError } from "../../errors.js";
import type { SourceLocation } from "../../spec/types.js";

export interface LoadedTsconfig {
  /** Absolute path of the tsconfig.json; undefined for the defaults used when there is none. */
  file?: string;
  options: ts.CompilerOptions;
  /** Absolute tsconfig files of its `references`, in order (never inherited through `extends`, as in tsc). */
  references: string[];
  /** The parsed JSON, kept to list the project's files when they are asked for. */
  source?: ts.TsConfigSourceFile;
}

/** What resolution assumes without a tsconfig: the most permissive modern mode
 * (index files, extensionless and `.js` specifiers all resolve). */
export const DEFAULT_TSCONFIG: LoadedTsconfig = {
  options: {
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    resolveJsonModule: true,
    allowJs: false,
  },
  references: [],
};

// Diagnostics that say nothing about the options we need: "no inputs were found"
// (we never let tsc list files) and options unknown to this TypeScript version.
const IGNORED_CODES = new Set([18003, 5023, 5025]);
// "Option X is deprecated / has been removed" says more about the TypeScript
// version bundled here than about the project: a project built with an older
// tsc (baseUrl, moduleResolution node10, ...) resolves the same either way.
const DEPRECATION_CODES = new Set([5101, 5102, 5107, 5108]);

const parseHost: ts.ParseConfigHost = {
  useCaseSensitiveFileNames: ts.sys.useCaseSensitiveFileNames,
  readDirectory: () => [],
  fileExists: (f) => ts.sys.fileExists(f),
  readFile: (f) => ts.sys.readFile(f),
};

export function loadTsconfig(file: string): LoadedTsconfig {
  const abs = resolve(file);
  if (!existsSync(abs) || !statSync(abs).isFile()) {
    throw inputError(`tsconfig ${file} does not exist`, { expected: "a tsconfig.json file" });
  }
  const source = ts.readJsonConfigFile(abs, (f) => ts.sys.readFile(f));
  const syntax = (source as { parseDiagnostics?: readonly ts.Diagnostic[] }).parseDiagnostics ?? [];
  if (syntax.length > 0) throw diagnosticError(syntax[0]!, abs);
  const parsed = ts.parseJsonSourceFileConfigFileContent(source, parseHost, dirname(abs), undefined, abs);
  const errors = parsed.errors.filter((d) => d.category === ts.DiagnosticCategory.Error && !IGNORED_CODES.has(d.code));
  if (errors.length > 0) throw diagnosticError(errors[0]!, abs);
  const optionError = verifyOptions(parsed.options, dirname(abs));
  if (optionError) throw diagnosticError(optionError, abs);
  const references = (parsed.projectReferences ?? []).map((r, i) => {
    const referenced = ts.resolveProjectReferencePath(r);
    if (!existsSync(referenced) || !statSync(referenced).isFile()) {
      throw inputError(`bad tsconfig: cannot read the referenced project ${relative(dirname(abs), referenced)} (TS5083)`, {
        location: referenceLocation(source, i) ?? { file: abs, line: 1, column: 1 },
        expected: "a `references` path naming a tsconfig file or a folder holding tsconfig.json",
      });
    }
    return referenced;
  });
  return { file: abs, options: parsed.options, references, source };
}

/** The files the project's `files`/`include`/`exclude` select (absolute), as tsc lists them. */
export function listProjectFiles(config: LoadedTsconfig): string[] {
  if (!config.file || !config.source) return [];
  const parsed = ts.parseJsonSourceFileConfigFileContent(config.source, ts.sys, dirname(config.file), undefined, config.file);
  return parsed.fileNames.map((f) => resolve(f));
}

/**
 * The option errors tsc reports before it reads a single source file
 * (`"paths": {"@/*": "src/*"}` is TS5063, conflicting options, ...): found by
 * a program without root files over an empty file system, so it costs a few
 * milliseconds per tsconfig and never depends on installed packages.
 */
function verifyOptions(options: ts.CompilerOptions, dir: string): ts.Diagnostic | undefined {
  const host: ts.CompilerHost = {
    getSourceFile: (f, languageVersion) => ts.createSourceFile(f, "", languageVersion),
    getDefaultLibFileName: (o) => ts.getDefaultLibFilePath(o),
    writeFile: () => undefined,
    getCurrentDirectory: () => dir,
    getCanonicalFileName: (f) => f,
    useCaseSensitiveFileNames: () => ts.sys.useCaseSensitiveFileNames,
    getNewLine: () => "\n",
    fileExists: () => false,
    readFile: () => undefined,
  };
  // `types: []`: type packages that are not installed are no fault of the tsconfig. `configFile`
  // (not enumerable, so not spread) is what lets tsc place each error in the tsconfig.
  const checked: ts.CompilerOptions = { ...options, types: [] };
  Object.defineProperty(checked, "configFile", { value: options.configFile, enumerable: false });
  const program = ts.createProgram({ rootNames: [], options: checked, host });
  return program
    .getOptionsDiagnostics()
    .find((d) => d.category === ts.DiagnosticCategory.Error && d.code >= 5000 && d.code < 6000 && !DEPRECATION_CODES.has(d.code));
}

/** The nearest tsconfig.json in `dir` or a folder above it. */
export function findTsconfigUpward(dir: string): string | undefined {
  for (let d = resolve(dir); ; d = dirname(d)) {
    const candidate = join(d, "tsconfig.json");
    if (existsSync(candidate)) return candidate;
    if (dirname(d) === d) return undefined;
  }
}

/** Where the `i`-th entry of `references` is written. */
function referenceLocation(source: ts.TsConfigSourceFile, i: number): SourceLocation | undefined {
  const root = source.statements[0]?.expression;
  if (!root || !ts.isObjectLiteralExpression(root)) return undefined;
  for (const p of root.properties) {
    if (!ts.isPropertyAssignment(p) || !ts.isStringLiteral(p.name) || p.name.text !== "references") continue;
    if (!ts.isArrayLiteralExpression(p.initializer)) return undefined;
    const el = p.initializer.elements[i];
    if (!el) return undefined;
    const pos = source.getLineAndCharacterOfPosition(el.getStart(source));
    return { file: source.fileName, line: pos.line + 1, column: pos.character + 1 };
  }
  return undefined;
}

function diagnosticError(d: ts.Diagnostic, configFile: string) {
  const message = ts.flattenDiagnosticMessageText(d.messageText, " ");
  let location: SourceLocation = { file: configFile, line: 1, column: 1 };
  if (d.file && d.start !== undefined) {
    const pos = d.file.getLineAndCharacterOfPosition(d.start);
    location = { file: d.file.fileName, line: pos.line + 1, column: pos.character + 1 };
  }
  return inputError(`bad tsconfig: ${message} (TS${d.code})`, { location, expected: "a tsconfig.json that tsc accepts" });
}
