// Which code counts as a service's own when its emissions and calls are read.
// A file is the service's whole own code only when the service declares it (a
// file of its `code:` root) and no other analysed service claims it too. A
// module holding several services' handlers (`handler: handlers.ts#order`,
// `handlers.ts#payment`), or a handler module the service names without a code
// root, counts only through what the handler export reaches: the export's
// declaration, and transitively every user function, variable and class its
// code refers to. So two handlers in one file are judged separately.
import { isAbsolute, relative, sep } from "node:path";
import { ts } from "ts-morph";
import { isProjectCode, type CodeProject, type ServiceCode } from "../project.js";
import type { HandlerEntry } from "./handler-entry.js";
import { resolvedSymbol, unwrap } from "./ts-helpers.js";

export interface CodeScope {
  /** Files read whole. */
  files: ts.SourceFile[];
  /** Declarations reachable from the handler export, outside those files. */
  regions: ts.Node[];
}

/** Declarations followed from one export, at most (a guard for huge code bases). */
const MAX_REGIONS = 20_000;

/** How many analysed services list each file among theirs. */
export function fileClaims(cp: CodeProject): Map<string, number> {
  const claims = new Map<string, number>();
  for (const code of cp.services.values()) for (const f of code.files) claims.set(f.fileName, (claims.get(f.fileName) ?? 0) + 1);
  return claims;
}

export function serviceScope(cp: CodeProject, code: ServiceCode, entry: HandlerEntry | undefined, claims: ReadonlyMap<string, number>): CodeScope {
  const root = code.service.code?.path;
  const whole = code.files.filter((f) => (claims.get(f.fileName) ?? 0) <= 1 && root !== undefined && (f.fileName === root || isInside(f.fileName, root)));
  const wholeNames = new Set(whole.map((f) => f.fileName));
  // Whole files are read anyway: what they reach elsewhere is what they import
  // (all of it is the service's code), which saves walking them.
  const starts = whole.flatMap((f) => importedDeclarations(cp.checker, f));
  if (entry && !wholeNames.has(entry.exportDecl.getSourceFile().fileName)) starts.push(entry.exportDecl);
  const regions = reachableDeclarations(cp.checker, starts, (n) => !wholeNames.has(n.getSourceFile().fileName));
  return { files: whole, regions };
}

/** The user declarations a file imports (named, default and namespace imports). */
function importedDeclarations(checker: ts.TypeChecker, sf: ts.SourceFile): ts.Node[] {
  const out: ts.Node[] = [];
  const addSymbol = (sym: ts.Symbol | undefined) => {
    for (const decl of sym?.declarations ?? []) {
      const region = regionOf(decl);
      if (region) out.push(region);
    }
  };
  for (const stmt of sf.statements) {
    if (!ts.isImportDeclaration(stmt) || !stmt.importClause || stmt.importClause.isTypeOnly) continue;
    const clause = stmt.importClause;
    if (clause.name) addSymbol(resolvedSymbol(checker, clause.name));
    const bindings = clause.namedBindings;
    if (!bindings) continue;
    if (ts.isNamespaceImport(bindings)) {
      const moduleSymbol = resolvedSymbol(checker, bindings.name);
      if (moduleSymbol) for (const exported of checker.getExportsOfModule(moduleSymbol)) addSymbol(exported.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exported) : exported);
    } else {
      for (const el of bindings.elements) if (!el.isTypeOnly) addSymbol(resolvedSymbol(checker, el.name));
    }
  }
  return out;
}

function isInside(file: string, dir: string): boolean {
  const rel = relative(dir, file);
  return rel !== "" && !rel.startsWith(`..${sep}`) && rel !== ".." && !isAbsolute(rel);
}

/** The declarations `starts` and every user declaration their code refers to,
 * transitively, among those `wanted` (the others are neither returned nor
 * walked); nested declarations are covered by their outermost one. */
export function reachableDeclarations(checker: ts.TypeChecker, starts: readonly ts.Node[], wanted: (n: ts.Node) => boolean = () => true): ts.Node[] {
  const seen = new Set<ts.Node>();
  const queue: ts.Node[] = [];
  for (const s of starts) {
    if (!seen.has(s) && wanted(s)) {
      seen.add(s);
      queue.push(s);
    }
  }
  const covered = (decl: ts.Node) => {
    for (let n: ts.Node | undefined = decl; n; n = n.parent) if (seen.has(n)) return true;
    return false;
  };
  const add = (sym: ts.Symbol | undefined) => {
    if (!sym) return;
    for (const decl of sym.declarations ?? []) {
      const region = regionOf(decl);
      if (!region || !wanted(region) || covered(region) || seen.size >= MAX_REGIONS) continue;
      seen.add(region);
      queue.push(region);
    }
  };
  while (queue.length > 0) {
    const node = queue.shift()!;
    const visit = (n: ts.Node) => {
      if (ts.isTypeNode(n) && !ts.isExpressionWithTypeArguments(n)) return; // annotations name types, not code
      if (ts.isIdentifier(n)) {
        if (isReference(n)) {
          add(
            ts.isShorthandPropertyAssignment(n.parent) && n.parent.name === n
              ? checker.getShorthandAssignmentValueSymbol(n.parent)
              : resolvedSymbol(checker, n),
          );
        }
        return;
      }
      // `this.apply(e)`, `ns.helper(e)`: methods and namespace members reached by a call.
      if (ts.isCallExpression(n)) {
        const callee = unwrap(n.expression);
        if (ts.isPropertyAccessExpression(callee) && isMemberOfThisOrNamespace(checker, callee)) add(resolvedSymbol(checker, callee.name));
      }
      ts.forEachChild(n, visit);
    };
    visit(node);
  }
  // Regions nested in a later-found region (a helper declared inside a factory
  // found first) are covered by it: drop them so nothing is read twice.
  return [...seen].filter((n) => {
    for (let p = n.parent; p; p = p.parent) if (seen.has(p)) return false;
    return true;
  });
}

/** What to read for a declaration a reference resolves to (undefined: not user code worth following). */
function regionOf(decl: ts.Declaration): ts.Node | undefined {
  if (!isProjectCode(decl)) return undefined;
  if (ts.isFunctionDeclaration(decl) || ts.isMethodDeclaration(decl) || ts.isClassDeclaration(decl) || ts.isGetAccessorDeclaration(decl)) return decl;
  if (ts.isVariableDeclaration(decl) && decl.initializer) return decl;
  if ((ts.isPropertyAssignment(decl) || ts.isPropertyDeclaration(decl)) && decl.initializer) return decl;
  return undefined;
}

/** An identifier read as a value (not a declaration's own name, a property name or an import). */
function isReference(id: ts.Identifier): boolean {
  const p = id.parent;
  if (ts.isPropertyAccessExpression(p) && p.name === id) return false;
  if ((ts.isPropertyAssignment(p) || ts.isMethodDeclaration(p) || ts.isPropertyDeclaration(p) || ts.isGetAccessorDeclaration(p)) && p.name === id) return false;
  if ((ts.isVariableDeclaration(p) || ts.isParameter(p) || ts.isFunctionDeclaration(p) || ts.isClassDeclaration(p) || ts.isBindingElement(p)) && p.name === id) return false;
  if (ts.isBindingElement(p) && p.propertyName === id) return false;
  if (ts.isImportSpecifier(p) || ts.isImportClause(p) || ts.isNamespaceImport(p) || ts.isExportSpecifier(p) || ts.isLabeledStatement(p)) return false;
  if (ts.isBreakOrContinueStatement(p)) return false;
  return true;
}

/** `this.f` and `ns.f` (a namespace import): members worth resolving. Methods
 * of other values (`state.items.map`) would need the checker to type their
 * receiver and almost always reach library code; a module-level object of
 * functions is reached through its own name. */
function isMemberOfThisOrNamespace(checker: ts.TypeChecker, callee: ts.PropertyAccessExpression): boolean {
  const target = callee.expression;
  if (target.kind === ts.SyntaxKind.ThisKeyword) return true;
  if (!ts.isIdentifier(target)) return false;
  const sym = checker.getSymbolAtLocation(target);
  return sym !== undefined && (sym.flags & ts.SymbolFlags.Alias) !== 0;
}
