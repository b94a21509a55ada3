// Every import form of a TypeScript/JavaScript file, found syntactically with
// `ts.createSourceFile` (no Program, no type checker: ~3k files/s).
//
// Type-only rule: an import is type-only when TypeScript erases it from the
// emitted JavaScript whatever the rest of the file does: `import type`,
// `export type ... from`, `import type x = require()`, `import("x").T` in a type
// position, and `import { type A, type B }` / `export { type A } from` (every
// specifier marked `type`), except under `verbatimModuleSyntax`, where tsc keeps
// those as `import {} from "x"`, which still loads the module. An import whose
// names happen to be used only as types, without the `type` keyword, counts as
// runtime: whether it is elided depends on the compiler settings and on
// whole-program knowledge, and `verbatimModuleSyntax` (which TypeScript
// recommends) requires the keyword anyway, so the graph states what the code says.
import { ts } from "ts-morph";
import { fastExtractImports } from "./fast-imports.js";
import type { ImportKind, ImportRef } from "./types.js";

export interface ExtractOptions {
  /** The file's tsconfig sets `verbatimModuleSyntax`. */
  verbatimModuleSyntax: boolean;
}

// Imports inside expressions or types are rare; skip the full-tree walk unless the text can contain one.
const NESTED_IMPORT = /\b(?:import|require)\s*\(/;

export function scriptKindOf(fileName: string): ts.ScriptKind {
  if (fileName.endsWith(".tsx")) return ts.ScriptKind.TSX;
  if (fileName.endsWith(".jsx")) return ts.ScriptKind.JSX;
  if (/\.[mc]?js$/.test(fileName)) return ts.ScriptKind.JS;
  return ts.ScriptKind.TS;
}

/** Every import of a file, in source order. */
export function extractImports(fileName: string, text: string, options: ExtractOptions): ImportRef[] {
  const kind = scriptKindOf(fileName);
  const fast = kind === ts.ScriptKind.TSX || kind === ts.ScriptKind.JSX ? undefined : fastExtractImports(text, options);
  return sortBySource(fast ?? parseImports(fileName, text, options));
}

const sortBySource = (refs: ImportRef[]) => refs.sort((a, b) => a.line - b.line || a.column - b.column);

/** The reference extraction: a full syntax tree (slower when cold, exact for every form). */
export function parseImports(fileName: string, text: string, options: ExtractOptions): ImportRef[] {
  // JSDoc is half the parse time of a well-documented file and never holds an import we read.
  const sf = ts.createSourceFile(
    fileName,
    text,
    { languageVersion: ts.ScriptTarget.Latest, jsDocParsingMode: ts.JSDocParsingMode.ParseNone },
    false,
    scriptKindOf(fileName),
  );
  const found: ImportRef[] = [];
  const add = (node: ts.Node, specifier: string, kind: ImportKind, typeOnly: boolean) => {
    const pos = sf.getLineAndCharacterOfPosition(node.getStart(sf));
    found.push({ specifier, kind, typeOnly, line: pos.line + 1, column: pos.character + 1 });
  };
  const keepsEmptyImport = options.verbatimModuleSyntax;

  const visitStatement = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node)) {
      if (!ts.isStringLiteral(node.moduleSpecifier)) return;
      const clause = node.importClause;
      let typeOnly = false;
      if (clause) {
        if (clause.isTypeOnly) typeOnly = true;
        else if (!clause.name && clause.namedBindings && ts.isNamedImports(clause.namedBindings)) {
          const els = clause.namedBindings.elements;
          typeOnly = !keepsEmptyImport && els.length > 0 && els.every((e) => e.isTypeOnly);
        }
      }
      add(node, node.moduleSpecifier.text, "import", typeOnly);
    } else if (ts.isExportDeclaration(node)) {
      if (!node.moduleSpecifier || !ts.isStringLiteral(node.moduleSpecifier)) return;
      let typeOnly = node.isTypeOnly;
      const clause = node.exportClause;
      if (!typeOnly && clause && ts.isNamedExports(clause)) {
        typeOnly = !keepsEmptyImport && clause.elements.length > 0 && clause.elements.every((e) => e.isTypeOnly);
      }
      add(node, node.moduleSpecifier.text, "export", typeOnly);
    } else if (ts.isImportEqualsDeclaration(node)) {
      const ref = node.moduleReference;
      if (ts.isExternalModuleReference(ref) && ts.isStringLiteralLike(ref.expression)) {
        add(node, ref.expression.text, "import-equals", node.isTypeOnly);
      }
    } else if (ts.isModuleDeclaration(node) && node.body && ts.isModuleBlock(node.body)) {
      // `declare module "x" { import ... }` and namespaces: their imports count too.
      node.body.statements.forEach(visitStatement);
    }
  };

  const visitNested = (node: ts.Node, inType: boolean): void => {
    if (ts.isCallExpression(node)) {
      const arg = node.arguments[0];
      if (node.arguments.length >= 1 && arg && ts.isStringLiteralLike(arg)) {
        if (node.expression.kind === ts.SyntaxKind.ImportKeyword) add(node, arg.text, "dynamic-import", inType);
        else if (ts.isIdentifier(node.expression) && node.expression.text === "require" && node.arguments.length === 1) {
          add(node, arg.text, "require", inType);
        }
      }
    } else if (ts.isImportTypeNode(node)) {
      const lit = node.argument;
      if (ts.isLiteralTypeNode(lit) && ts.isStringLiteral(lit.literal)) add(node, lit.literal.text, "import-type", true);
    } else if (
      // A class's `extends X<T>` is an ExpressionWithTypeArguments whose expression is a value.
      (ts.isTypeNode(node) && !ts.isExpressionWithTypeArguments(node)) ||
      ts.isInterfaceDeclaration(node) ||
      ts.isTypeAliasDeclaration(node)
    ) {
      // `typeof import("x")` or a require in a type query: erased with the type.
      inType = true;
    }
    ts.forEachChild(node, (child) => visitNested(child, inType));
  };

  sf.statements.forEach(visitStatement);
  if (NESTED_IMPORT.test(text)) ts.forEachChild(sf, (child) => visitNested(child, false));
  return found;
}
