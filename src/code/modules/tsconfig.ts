// Reading tsconfig.json the way tsc does (comments, trailing commas, `extends`
// chains including packages such as @tsconfig/node20), without letting tsc
// enumerate the project's files: module resolution needs only the options.
import { existsSync, statSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { ts } from "ts-morph";
import { inputError } from "../../errors.js";
import type { SourceLocation } from "../../spec/types.js";

export interface LoadedTsconfig {
  /** Absolute path of the tsconfig.json; undefined for the defaults used when there is none. */
  file?: string;
  options: ts.CompilerOptions;
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
};

// Diagnostics that say nothing about the options we need: "no inputs were found"
// (we never let tsc list files) and options unknown to this TypeScript version.
const IGNORED_CODES = new Set([18003, 5023, 5025]);

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
  return { file: abs, options: parsed.options };
}

/** The nearest tsconfig.json in `dir` or a folder above it. */
export function findTsconfigUpward(dir: string): string | undefined {
  for (let d = resolve(dir); ; d = dirname(d)) {
    const candidate = join(d, "tsconfig.json");
    if (existsSync(candidate)) return candidate;
    if (dirname(d) === d) return undefined;
  }
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
