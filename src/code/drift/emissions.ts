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
// the type names no single `type`, by the code: the `type:` property of an
// object literal, and through helper functions (with their parameters bound to
// the call's arguments, so `event("OrderPlaced", ...)` and a handler factory
// `answer("Pong")` give exact types), variables, spreads, `concat`,
// conditionals, array callbacks (`map`, `flatMap`, `filter`, ...) and members
// of `const` objects, up to a few levels deep. Sites still unknown are listed
// (`unresolved`) for the unresolved-emission rule.
//
// Certainty: an emission is DEFINITE when the code names its type (a literal,
// a const, an enum member, a parameter bound to one of those, an expression
// whose type is one literal). It is only POSSIBLE when the type is known only
// as a member of a union-typed expression (`emit: [event]` with
// `event: OrderPlaced | OrderCancelled`, `{ type }` with `type: "A" | "B"`):
// the site emits one of them, not each. See findings.ts for how each counts.
import { ts } from "ts-morph";
import type { SourceLocation } from "../../spec/types.js";
import { isProjectCode, locationOf, type CodeProject } from "../project.js";
import { NO_BINDINGS, bindCall, boundArgument, exportBindings, type Env } from "./bindings.js";
import type { HandlerEntry } from "./handler-entry.js";
import type { CodeScope } from "./scope.js";
import {
  DISCRIMINANT,
  calledFunction,
  calleeName,
  discriminate,
  elementType,
  isConst,
  functionOfName,
  literalStrings,
  propertyNameText,
  resolvedSymbol,
  returnExpressions,
  unwrap,
  type DiscriminatedType,
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
  /** `definite`: the code names this type; `possible`: one of the union the
   * emitted expression's type allows (the others are at the same `loc`). */
  certainty: Certainty;
}

export type Certainty = "definite" | "possible";

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

/** Array methods whose result holds (some of) the receiver's elements. */
const SAME_ELEMENTS = new Set(["filter", "slice", "reverse", "sort", "toSorted", "toReversed"]);

/** How far helper functions and variables are followed from a site. */
const MAX_DEPTH = 4;

type Element = { kind: "expr"; node: ts.Expression; env: Env } | { kind: "type"; node: ts.Node; type: ts.Type };

/** The string values a `type` expression takes, and whether the code names them. */
interface TypeValues {
  values: string[];
  certainty: Certainty;
}

export function findEmissions(
  cp: CodeProject,
  scope: CodeScope,
  entry: HandlerEntry | undefined,
  options: EmissionOptions = { emitterNames: DEFAULT_EMITTERS },
): EmissionFacts {
  const { checker } = cp;
  const emitters = new Set(options.emitterNames);
  const found = new Map<string, Emission>();
  const unresolved = new Map<string, SourceLocation>();

  const record = (eventType: string, node: ts.Node, payload: ts.Type | undefined, exact: boolean, certainty: Certainty) => {
    const key = `${node.getSourceFile().fileName}:${node.getStart()}:${eventType}`;
    const known = found.get(key);
    // The code naming a type outranks a union allowing it.
    if (known && (known.certainty === "definite" || certainty === "possible")) return;
    found.set(key, { eventType, loc: locationOf(node), ...(payload ? { payload } : {}), exactDiscriminant: exact, certainty });
  };
  // The payload is the one union member carrying `value`; its discriminant is
  // exact only when it is that single literal (not `"A" | "B"` on one object).
  const recordMembers = (value: string, at: ts.Node, members: ts.Type[], whole: ts.Type, certainty: Certainty) => {
    const member = members.length === 1 ? members[0]! : whole;
    const prop = checker.getPropertyOfType(member, DISCRIMINANT);
    const literals = prop ? literalStrings(checker.getNonNullableType(checker.getTypeOfSymbol(prop))) : undefined;
    record(value, at, member, literals?.length === 1, certainty);
  };
  const recordDiscriminated = (d: DiscriminatedType, at: ts.Node, whole: ts.Type) => {
    const certainty: Certainty = d.members.size === 1 ? "definite" : "possible";
    for (const [value, members] of d.members) recordMembers(value, at, members, whole, certainty);
  };
  const unknown = (node: ts.Node) => {
    const key = `${node.getSourceFile().fileName}:${node.getStart()}`;
    if (!unresolved.has(key)) unresolved.set(key, locationOf(node));
  };

  // Elements of an array-valued expression.
  const elementsOf = (expr: ts.Expression, depth: number, env: Env): Element[] => {
    const e = unwrap(expr);
    if (ts.isArrayLiteralExpression(e)) {
      return e.elements.flatMap((el): Element[] => {
        if (ts.isSpreadElement(el)) return elementsOf(el.expression, depth, env);
        if (ts.isOmittedExpression(el)) return [];
        return [{ kind: "expr", node: el, env }];
      });
    }
    if (ts.isConditionalExpression(e)) return [...elementsOf(e.whenTrue, depth, env), ...elementsOf(e.whenFalse, depth, env)];
    if (ts.isBinaryExpression(e)) {
      const op = e.operatorToken.kind;
      if (op === ts.SyntaxKind.QuestionQuestionToken || op === ts.SyntaxKind.BarBarToken) return [...elementsOf(e.left, depth, env), ...elementsOf(e.right, depth, env)];
      if (op === ts.SyntaxKind.AmpersandAmpersandToken) return elementsOf(e.right, depth, env);
    }
    if (depth < MAX_DEPTH && ts.isCallExpression(e)) {
      const callee = unwrap(e.expression);
      if (ts.isPropertyAccessExpression(callee) && callee.name.text === "concat") {
        return [
          ...elementsOf(callee.expression, depth + 1, env),
          ...e.arguments.flatMap((a) => (isArrayTyped(a) ? elementsOf(a, depth + 1, env) : [{ kind: "expr" as const, node: a, env }])),
        ];
      }
      const fromArrayMethod = arrayMethodElements(e, depth, env);
      if (fromArrayMethod) return fromArrayMethod;
      const fn = calledFunction(checker, e);
      if (fn) {
        const inner = bindCall(fn, e, env);
        return returnExpressions(fn).flatMap((r) => elementsOf(r, depth + 1, inner));
      }
    }
    if (depth < MAX_DEPTH && ts.isIdentifier(e)) {
      const variable = variableOf(e);
      if (variable) return [...elementsOf(variable.initializer, depth + 1, env), ...pushedOnto(variable.symbol, variable.scope, depth + 1, env)];
    }
    return typeLevel(e, env);
  };

  // `items.map((sku) => ({ type: "ItemPicked", sku }))`: what the callback
  // returns; `flatMap`: the elements of what it returns; `filter`, `slice`,
  // sorting and reversing: the receiver's elements. Only on arrays (a user
  // object's own `map` method is a helper, followed as one).
  const arrayMethodElements = (call: ts.CallExpression, depth: number, env: Env): Element[] | undefined => {
    const callee = unwrap(call.expression);
    if (!ts.isPropertyAccessExpression(callee) || !isArrayTyped(callee.expression)) return undefined;
    const method = callee.name.text;
    if (SAME_ELEMENTS.has(method)) return elementsOf(callee.expression, depth + 1, env);
    if (method !== "map" && method !== "flatMap") return undefined;
    const first = call.arguments[0];
    const callback = first ? callbackOf(first) : undefined;
    if (!callback) return undefined;
    const results = returnExpressions(callback);
    if (method === "map") return results.map((r) => ({ kind: "expr" as const, node: r, env }));
    return results.flatMap((r) => elementsOf(r, depth + 1, env));
  };
  const callbackOf = (arg: ts.Expression): FunctionWithBody | undefined => {
    const a = unwrap(arg);
    if (ts.isArrowFunction(a) || ts.isFunctionExpression(a)) return a;
    return ts.isIdentifier(a) || ts.isPropertyAccessExpression(a) ? functionOfName(checker, ts.isPropertyAccessExpression(a) ? a.name : a) : undefined;
  };

  const isArrayTyped = (e: ts.Expression) => {
    const t = checker.getNonNullableType(checker.getTypeAtLocation(e));
    return checker.isArrayType(t) || checker.isTupleType(t);
  };

  // What an expression contributes when it cannot be followed further: the
  // element type of an array, or the expression itself as one event (a
  // Decider's `decide` may return a single event).
  const typeLevel = (e: ts.Expression, env: Env): Element[] => {
    const type = checker.getTypeAtLocation(e);
    const el = elementType(checker, type);
    if (el) return [{ kind: "type", node: e, type: el }];
    if (type.flags & (ts.TypeFlags.Undefined | ts.TypeFlags.Null | ts.TypeFlags.Void | ts.TypeFlags.Never)) return [];
    if (type.isUnion() && type.types.some((t) => checker.isArrayType(t) || checker.isTupleType(t))) return [];
    return [{ kind: "expr", node: e, env }];
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
  const pushedOnto = (sym: ts.Symbol, scope: ts.Node, depth: number, env: Env): Element[] => {
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
          for (const a of node.arguments) out.push(...(ts.isSpreadElement(a) ? elementsOf(a.expression, depth, env) : [{ kind: "expr" as const, node: a, env }]));
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
  // A type with one literal `type` settles it; a union is first read in the
  // code (which may name the one it is), and only then recorded as possible.
  const judge = (expr: ts.Expression, depth: number, env: Env, at: ts.Node = expr): boolean => {
    const e = unwrap(expr);
    const type = checker.getWidenedType(checker.getTypeAtLocation(e));
    const d = discriminate(checker, type);
    if (d.precise && d.members.size === 1) {
      recordDiscriminated(d, at, type);
      return true;
    }
    if (byCode(e, depth, env, at, type)) return true;
    if (d.precise) {
      recordDiscriminated(d, at, type);
      return true;
    }
    return false;
  };
  const byCode = (e: ts.Expression, depth: number, env: Env, at: ts.Node, type: ts.Type): boolean => {
    if (ts.isObjectLiteralExpression(e)) {
      const tv = discriminantOfLiteral(e, env);
      if (!tv) return false;
      for (const v of tv.values) record(v, at, type, false, tv.certainty);
      return true;
    }
    if (ts.isConditionalExpression(e)) return both(judge(e.whenTrue, depth, env, at), judge(e.whenFalse, depth, env, at));
    if (depth >= MAX_DEPTH) return false;
    if (ts.isCallExpression(e)) {
      const fn = calledFunction(checker, e);
      const results = fn ? returnExpressions(fn) : [];
      const inner = fn ? bindCall(fn, e, env) : env;
      return results.length > 0 && results.map((r) => judge(r, depth + 1, inner, at)).every(Boolean);
    }
    if (ts.isIdentifier(e)) {
      const variable = variableOf(e);
      if (variable) return judge(variable.initializer, depth + 1, env, at);
      const bound = boundArgument(checker, e, env);
      return bound ? judge(bound.arg, depth + 1, bound.env, at) : false;
    }
    return false;
  };

  const discriminantOfLiteral = (obj: ts.ObjectLiteralExpression, env: Env): TypeValues | undefined => {
    for (const p of obj.properties) {
      if (ts.isPropertyAssignment(p) && propertyNameText(p.name) === DISCRIMINANT) return typeValues(p.initializer, env, 0);
      if (ts.isShorthandPropertyAssignment(p) && p.name.text === DISCRIMINANT) {
        const value = checker.getShorthandAssignmentValueSymbol(p);
        return value ? typeValuesOfSymbol(value, env, 0, p.name) : undefined;
      }
    }
    return undefined;
  };
  // The values of a `type:` expression: named by the code (a literal, a const,
  // a parameter bound to a literal argument, both branches of a conditional),
  // else the literal union of its type, which is only possible.
  const typeValues = (expr: ts.Expression, env: Env, depth: number): TypeValues | undefined => {
    const e = unwrap(expr);
    if (ts.isStringLiteral(e) || ts.isNoSubstitutionTemplateLiteral(e)) return { values: [e.text], certainty: "definite" };
    if (depth < MAX_DEPTH && ts.isConditionalExpression(e)) {
      const a = typeValues(e.whenTrue, env, depth + 1);
      const b = typeValues(e.whenFalse, env, depth + 1);
      if (!a || !b) return undefined;
      return { values: [...new Set([...a.values, ...b.values])], certainty: a.certainty === "definite" && b.certainty === "definite" ? "definite" : "possible" };
    }
    if (depth < MAX_DEPTH && ts.isIdentifier(e)) {
      const sym = resolvedSymbol(checker, e);
      if (sym) {
        const named = typeValuesOfSymbol(sym, env, depth, e);
        if (named) return named;
      }
    }
    // `EventTypes.LabelVoided` on `const EventTypes = { LabelVoided: "LabelVoided" }`
    // without `as const`: the type says string, the code names the literal.
    if (depth < MAX_DEPTH && ts.isPropertyAccessExpression(e)) {
      const decl = resolvedSymbol(checker, e.name)?.valueDeclaration;
      if (decl && ts.isPropertyAssignment(decl) && isConstObjectMember(decl) && isProjectCode(decl)) {
        const named = typeValues(decl.initializer, env, depth + 1);
        if (named) return named;
      }
    }
    return typeValuesOfType(checker.getTypeAtLocation(e));
  };
  const typeValuesOfSymbol = (sym: ts.Symbol, env: Env, depth: number, at: ts.Node): TypeValues | undefined => {
    const decl = sym.valueDeclaration;
    if (decl && ts.isParameter(decl)) {
      const bound = env.get(decl);
      if (bound) return typeValues(bound.arg, bound.env, depth + 1);
    }
    if (decl && ts.isVariableDeclaration(decl) && decl.initializer && isConst(decl)) return typeValues(decl.initializer, env, depth + 1);
    return typeValuesOfType(checker.getTypeAtLocation(at));
  };
  const typeValuesOfType = (type: ts.Type): TypeValues | undefined => {
    const values = literalStrings(type);
    return values ? { values, certainty: values.length === 1 ? "definite" : "possible" } : undefined;
  };

  const take = (el: Element, lenient: boolean) => {
    if (el.kind === "type") {
      const type = checker.getWidenedType(el.type);
      const d = discriminate(checker, type);
      if (d.precise) recordDiscriminated(d, el.node, type);
      else if (!lenient) unknown(el.node);
      return;
    }
    if (!judge(el.node, 0, el.env) && !lenient) unknown(el.node);
  };
  const site = (expr: ts.Expression, env: Env) => {
    for (const el of elementsOf(expr, 0, env)) take(el, false);
  };

  const visit = (node: ts.Node) => {
    if (ts.isPropertyAssignment(node) && propertyNameText(node.name) === "emit" && ts.isObjectLiteralExpression(node.parent)) {
      if (looksLikeArray(node.initializer)) site(node.initializer, base);
    } else if (ts.isShorthandPropertyAssignment(node) && node.name.text === "emit") {
      if (looksLikeArray(node.name)) site(node.name, base);
    } else if (ts.isCallExpression(node)) {
      const callee = unwrap(node.expression);
      const name = calleeName(node);
      if (ts.isPropertyAccessExpression(callee) && (name === "push" || name === "unshift") && isEmitProperty(callee.expression)) {
        for (const a of node.arguments) {
          if (ts.isSpreadElement(a)) site(a.expression, base);
          else take({ kind: "expr", node: a, env: base }, false);
        }
      } else if (name && emitters.has(name) && !isNamedEventCall(node)) {
        for (const a of node.arguments) if (!ts.isSpreadElement(a)) take({ kind: "expr", node: a, env: base }, true);
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

  // A handler made by a factory (`handle: answer("Pong", 4)`): the factory's
  // parameters are bound to the export's arguments wherever its code is read.
  const base = entry ? exportBindings(checker, entry.exportDecl) : NO_BINDINGS;
  for (const f of scope.files) visit(f);
  for (const region of scope.regions) visit(region);
  for (const fn of entry?.emittingFunctions ?? []) for (const r of returnExpressions(fn)) site(r, base);

  const emissions = [...found.values()].sort(compareEmission);
  return { emissions, unresolved: [...unresolved.values()].sort(compareLoc) };
}

function both(a: boolean, b: boolean): boolean {
  return a && b;
}

/** A property of an object literal a `const` is initialised with. */
function isConstObjectMember(p: ts.PropertyAssignment): boolean {
  let n: ts.Node = p.parent;
  while (ts.isParenthesizedExpression(n.parent) || ts.isAsExpression(n.parent) || ts.isSatisfiesExpression(n.parent)) n = n.parent;
  return ts.isVariableDeclaration(n.parent) && n.parent.initializer === n && isConst(n.parent);
}

/** The block, function or file a declaration's name is visible in. */
function enclosingScope(node: ts.Node): ts.Node {
  let n: ts.Node = node.parent;
  while (!ts.isBlock(n) && !ts.isSourceFile(n) && !ts.isFunctionLike(n) && !ts.isModuleBlock(n)) n = n.parent;
  return n;
}

export function compareLoc(a: SourceLocation, b: SourceLocation): number {
  return a.file < b.file ? -1 : a.file > b.file ? 1 : a.line - b.line || a.column - b.column;
}

function compareEmission(a: Emission, b: Emission): number {
  return compareLoc(a.loc, b.loc) || (a.eventType < b.eventType ? -1 : a.eventType > b.eventType ? 1 : 0);
}
