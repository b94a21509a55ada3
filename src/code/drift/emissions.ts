// The event types a service's code emits. An emission site is an array (or an
// event handed to an emitter call) in one of the recognised positions:
//   - the `emit` property of an object literal (`return { state, emit: [...] }`,
//     `{ state, emit }` with `const emit = [...]` / `emit.push(e)`),
//   - `x.emit.push(e)` / `x.emit.unshift(e)`,
//   - a call of an emitter function (default `emit` / `publish`, e.g. `ctx.emit(e)`;
//     not EventEmitter-style `x.emit("name", payload)`, whose first argument is a string),
//   - what a Decider's `decide` returns.
// Each element is judged by the type checker first (the literal `type`s of its
// type, so typed constructors, helper functions and `satisfies` count); when
// the type says only `type: string`, by the code: the `type:` property of an
// object literal, and through helper functions, variables, spreads, `concat`
// and conditionals, up to a few levels deep.
import { ts } from "ts-morph";
import type { SourceLocation } from "../../spec/types.js";
import { isProjectCode, locationOf, type CodeProject } from "../project.js";
import type { HandlerEntry } from "./handler-entry.js";
import {
  DISCRIMINANT,
  calledFunction,
  calleeName,
  discriminate,
  elementType,
  functionOfName,
  literalStrings,
  propertyNameText,
  resolvedSymbol,
  returnExpressions,
  stringValues,
  unwrap,
  type FunctionWithBody,
} from "./ts-helpers.js";

export interface Emission {
  eventType: string;
  /** The emitted element (object literal, constructor call, ...). */
  loc: SourceLocation;
  /** The emitted event's type: the union member carrying this `type`. */
  payload?: ts.Type;
  /** Whether the payload type's own `type` is this literal (false when the
   * code's `type: "X"` was widened to `string` by a loose annotation). */
  exactDiscriminant: boolean;
}

export interface EmissionFacts {
  emissions: Emission[];
  /** Emission sites whose event types could not be determined. */
  unresolved: SourceLocation[];
}

export interface EmissionOptions {
  /** Function or method names whose arguments are emitted events. */
  emitterNames: readonly string[];
}

export const DEFAULT_EMITTERS = ["emit", "publish"] as const;

/** How far helper functions and variables are followed from a site. */
const MAX_DEPTH = 4;

type Element = { kind: "expr"; node: ts.Expression } | { kind: "type"; node: ts.Node; type: ts.Type };

export function findEmissions(
  cp: CodeProject,
  files: readonly ts.SourceFile[],
  entry: HandlerEntry | undefined,
  options: EmissionOptions = { emitterNames: DEFAULT_EMITTERS },
): EmissionFacts {
  const { checker } = cp;
  const emitters = new Set(options.emitterNames);
  const found = new Map<string, Emission>();
  const unresolved = new Map<string, SourceLocation>();

  const record = (eventType: string, node: ts.Node, payload: ts.Type | undefined, exact: boolean) => {
    const key = `${node.getSourceFile().fileName}:${node.getStart()}:${eventType}`;
    if (!found.has(key)) found.set(key, { eventType, loc: locationOf(node), ...(payload ? { payload } : {}), exactDiscriminant: exact });
  };
  // The payload is the one union member carrying `value`; its discriminant is
  // exact only when it is that single literal (not `"A" | "B"` on one object).
  const recordMembers = (value: string, at: ts.Node, members: ts.Type[], whole: ts.Type) => {
    const member = members.length === 1 ? members[0]! : whole;
    const prop = checker.getPropertyOfType(member, DISCRIMINANT);
    const literals = prop ? literalStrings(checker.getNonNullableType(checker.getTypeOfSymbol(prop))) : undefined;
    record(value, at, member, literals?.length === 1);
  };
  const unknown = (node: ts.Node) => {
    const key = `${node.getSourceFile().fileName}:${node.getStart()}`;
    if (!unresolved.has(key)) unresolved.set(key, locationOf(node));
  };

  // Elements of an array-valued expression.
  const elementsOf = (expr: ts.Expression, depth: number): Element[] => {
    const e = unwrap(expr);
    if (ts.isArrayLiteralExpression(e)) {
      return e.elements.flatMap((el): Element[] => {
        if (ts.isSpreadElement(el)) return elementsOf(el.expression, depth);
        if (ts.isOmittedExpression(el)) return [];
        return [{ kind: "expr", node: el }];
      });
    }
    if (ts.isConditionalExpression(e)) return [...elementsOf(e.whenTrue, depth), ...elementsOf(e.whenFalse, depth)];
    if (ts.isBinaryExpression(e)) {
      const op = e.operatorToken.kind;
      if (op === ts.SyntaxKind.QuestionQuestionToken || op === ts.SyntaxKind.BarBarToken) return [...elementsOf(e.left, depth), ...elementsOf(e.right, depth)];
      if (op === ts.SyntaxKind.AmpersandAmpersandToken) return elementsOf(e.right, depth);
    }
    if (depth < MAX_DEPTH && ts.isCallExpression(e)) {
      const callee = unwrap(e.expression);
      if (ts.isPropertyAccessExpression(callee) && callee.name.text === "concat") {
        return [
          ...elementsOf(callee.expression, depth + 1),
          ...e.arguments.flatMap((a) => (isArrayTyped(a) ? elementsOf(a, depth + 1) : [{ kind: "expr" as const, node: a }])),
        ];
      }
      const fn = calledFunction(checker, e);
      if (fn) return returnExpressions(fn).flatMap((r) => elementsOf(r, depth + 1));
    }
    if (depth < MAX_DEPTH && ts.isIdentifier(e)) {
      const variable = variableOf(e);
      if (variable) return [...elementsOf(variable.initializer, depth + 1), ...pushedOnto(variable.symbol, variable.scope, depth + 1)];
    }
    return typeLevel(e);
  };

  const isArrayTyped = (e: ts.Expression) => {
    const t = checker.getNonNullableType(checker.getTypeAtLocation(e));
    return checker.isArrayType(t) || checker.isTupleType(t);
  };

  // What an expression contributes when it cannot be followed further: the
  // element type of an array, or the expression itself as one event (a
  // Decider's `decide` may return a single event).
  const typeLevel = (e: ts.Expression): Element[] => {
    const type = checker.getTypeAtLocation(e);
    const el = elementType(checker, type);
    if (el) return [{ kind: "type", node: e, type: el }];
    if (type.flags & (ts.TypeFlags.Undefined | ts.TypeFlags.Null | ts.TypeFlags.Void | ts.TypeFlags.Never)) return [];
    if (type.isUnion() && type.types.some((t) => checker.isArrayType(t) || checker.isTupleType(t))) return [];
    return [{ kind: "expr", node: e }];
  };

  // A local variable with an initializer: `const emit = [...]` (or `let`).
  const variableOf = (id: ts.Identifier) => {
    const sym =
      ts.isShorthandPropertyAssignment(id.parent) && id.parent.name === id
        ? checker.getShorthandAssignmentValueSymbol(id.parent)
        : resolvedSymbol(checker, id);
    const decl = sym?.valueDeclaration;
    if (!sym || !decl || !ts.isVariableDeclaration(decl) || !decl.initializer || !isProjectCode(decl)) return undefined;
    return { symbol: sym, initializer: decl.initializer, scope: enclosingScope(decl) };
  };

  // Arguments of `v.push(...)` / `v.unshift(...)` on the variable, in its scope.
  const pushedOnto = (sym: ts.Symbol, scope: ts.Node, depth: number): Element[] => {
    const out: Element[] = [];
    const visit = (node: ts.Node) => {
      if (ts.isCallExpression(node)) {
        const callee = unwrap(node.expression);
        if (
          ts.isPropertyAccessExpression(callee) &&
          (callee.name.text === "push" || callee.name.text === "unshift") &&
          ts.isIdentifier(callee.expression) &&
          checker.getSymbolAtLocation(callee.expression) === sym
        ) {
          for (const a of node.arguments) out.push(...(ts.isSpreadElement(a) ? elementsOf(a.expression, depth) : [{ kind: "expr" as const, node: a }]));
        }
      }
      ts.forEachChild(node, visit);
    };
    visit(scope);
    return out;
  };

  // The event types of one emitted element; false when they cannot be told.
  // `at` is the element as written at the site (where findings point), `expr`
  // what it was followed to (a helper's return value, a variable's initializer).
  const judge = (expr: ts.Expression, depth: number, at: ts.Node = expr): boolean => {
    const e = unwrap(expr);
    const type = checker.getWidenedType(checker.getTypeAtLocation(e));
    const d = discriminate(checker, type);
    if (d.precise) {
      for (const [value, members] of d.members) recordMembers(value, at, members, type);
      return true;
    }
    if (ts.isObjectLiteralExpression(e)) {
      const values = discriminantOfLiteral(e);
      if (!values) return false;
      for (const v of values) record(v, at, type, false);
      return true;
    }
    if (ts.isConditionalExpression(e)) return both(judge(e.whenTrue, depth, at), judge(e.whenFalse, depth, at));
    if (depth >= MAX_DEPTH) return false;
    if (ts.isCallExpression(e)) {
      const fn = calledFunction(checker, e);
      const results = fn ? returnExpressions(fn) : [];
      return results.length > 0 && results.map((r) => judge(r, depth + 1, at)).every(Boolean);
    }
    if (ts.isIdentifier(e)) {
      const variable = variableOf(e);
      return variable ? judge(variable.initializer, depth + 1, at) : false;
    }
    return false;
  };

  const discriminantOfLiteral = (obj: ts.ObjectLiteralExpression): string[] | undefined => {
    for (const p of obj.properties) {
      if (ts.isPropertyAssignment(p) && propertyNameText(p.name) === DISCRIMINANT) return stringValues(checker, p.initializer);
      if (ts.isShorthandPropertyAssignment(p) && p.name.text === DISCRIMINANT) {
        const value = checker.getShorthandAssignmentValueSymbol(p);
        return value ? stringValuesOfSymbol(value) : undefined;
      }
    }
    return undefined;
  };
  const stringValuesOfSymbol = (sym: ts.Symbol) => {
    const decl = sym.valueDeclaration;
    return decl && ts.isVariableDeclaration(decl) && decl.initializer ? stringValues(checker, decl.initializer) : undefined;
  };

  const take = (el: Element, lenient: boolean) => {
    if (el.kind === "type") {
      const type = checker.getWidenedType(el.type);
      const d = discriminate(checker, type);
      if (d.precise) for (const [value, members] of d.members) recordMembers(value, el.node, members, type);
      else if (!lenient) unknown(el.node);
      return;
    }
    if (!judge(el.node, 0) && !lenient) unknown(el.node);
  };
  const site = (expr: ts.Expression) => {
    for (const el of elementsOf(expr, 0)) take(el, false);
  };

  const visit = (node: ts.Node) => {
    if (ts.isPropertyAssignment(node) && propertyNameText(node.name) === "emit" && ts.isObjectLiteralExpression(node.parent)) {
      if (looksLikeArray(node.initializer)) site(node.initializer);
    } else if (ts.isShorthandPropertyAssignment(node) && node.name.text === "emit") {
      if (looksLikeArray(node.name)) site(node.name);
    } else if (ts.isCallExpression(node)) {
      const callee = unwrap(node.expression);
      const name = calleeName(node);
      if (ts.isPropertyAccessExpression(callee) && (name === "push" || name === "unshift") && isEmitProperty(callee.expression)) {
        for (const a of node.arguments) {
          if (ts.isSpreadElement(a)) site(a.expression);
          else take({ kind: "expr", node: a }, false);
        }
      } else if (name && emitters.has(name) && !isNamedEventCall(node)) {
        for (const a of node.arguments) if (!ts.isSpreadElement(a)) take({ kind: "expr", node: a }, true);
      }
    }
    ts.forEachChild(node, visit);
  };
  // `socket.emit("message", payload)`, `pubsub.publish("topic", data)`: an
  // EventEmitter-style call names its event (or topic) in a string; its
  // payload is not one of the spec's events.
  const isNamedEventCall = (call: ts.CallExpression) => {
    const first = call.arguments[0];
    if (!first) return false;
    const t = checker.getTypeAtLocation(first);
    return (t.flags & ts.TypeFlags.StringLike) !== 0;
  };
  const looksLikeArray = (e: ts.Expression) => {
    if (ts.isArrayLiteralExpression(unwrap(e))) return true;
    const t = checker.getNonNullableType(checker.getTypeAtLocation(e));
    return checker.isArrayType(t) || checker.isTupleType(t) || (t.isUnion() && t.types.some((p) => checker.isArrayType(p)));
  };
  const isEmitProperty = (e: ts.Expression) => {
    const u = unwrap(e);
    return ts.isPropertyAccessExpression(u) && u.name.text === "emit";
  };

  const fileNames = new Set(files.map((f) => f.fileName));
  for (const f of files) visit(f);
  // Handler code that lives outside the service's files (a shared module).
  if (entry?.receiver) {
    for (const fn of reachableFunctions(checker, entry.receiver)) {
      if (!fileNames.has(fn.getSourceFile().fileName)) visit(fn);
    }
  }
  for (const fn of entry?.emittingFunctions ?? []) for (const r of returnExpressions(fn)) site(r);

  const emissions = [...found.values()].sort(compareEmission);
  return { emissions, unresolved: [...unresolved.values()].sort(compareLoc) };
}

function both(a: boolean, b: boolean): boolean {
  return a && b;
}

/** The block, function or file a declaration's name is visible in. */
function enclosingScope(node: ts.Node): ts.Node {
  let n: ts.Node = node.parent;
  while (!ts.isBlock(n) && !ts.isSourceFile(n) && !ts.isFunctionLike(n) && !ts.isModuleBlock(n)) n = n.parent;
  return n;
}

/** User functions a function calls, transitively (the function itself included). */
export function reachableFunctions(checker: ts.TypeChecker, start: FunctionWithBody): FunctionWithBody[] {
  const seen = new Set<ts.Node>([start]);
  const queue: FunctionWithBody[] = [start];
  const out: FunctionWithBody[] = [];
  while (queue.length > 0) {
    const fn = queue.shift()!;
    out.push(fn);
    const visit = (node: ts.Node) => {
      if (ts.isCallExpression(node)) {
        const targets = [
          mayCallUserCode(checker, node) ? calledFunction(checker, node) : undefined,
          ...node.arguments.filter(ts.isIdentifier).map((a) => functionOfName(checker, a)),
        ];
        for (const t of targets) {
          if (t && !seen.has(t)) {
            seen.add(t);
            queue.push(t);
          }
        }
      }
      ts.forEachChild(node, visit);
    };
    if (fn.body) visit(fn.body);
  }
  return out;
}

/** Whether resolving a call's callee is worth it when walking the call graph:
 * `f()`, `this.f()` and `ns.f()` (a namespace import) may reach user code;
 * `state.items.map()` and other method calls on values would need the checker
 * to type their receiver, and almost always reach library code. */
function mayCallUserCode(checker: ts.TypeChecker, call: ts.CallExpression): boolean {
  const callee = unwrap(call.expression);
  if (ts.isIdentifier(callee)) return true;
  if (!ts.isPropertyAccessExpression(callee)) return false;
  const target = callee.expression;
  if (target.kind === ts.SyntaxKind.ThisKeyword) return true;
  if (!ts.isIdentifier(target)) return false;
  const sym = checker.getSymbolAtLocation(target);
  return sym !== undefined && (sym.flags & ts.SymbolFlags.Alias) !== 0;
}

export function compareLoc(a: SourceLocation, b: SourceLocation): number {
  return a.file < b.file ? -1 : a.file > b.file ? 1 : a.line - b.line || a.column - b.column;
}

function compareEmission(a: Emission, b: Emission): number {
  return compareLoc(a.loc, b.loc) || (a.eventType < b.eventType ? -1 : a.eventType > b.eventType ? 1 : 0);
}
