// The event types a handler handles. Followed from the handler's event
// parameter (and into the user functions it is passed to, as any argument,
// with their parameters bound to the call's arguments):
//   - `switch (event.type) { case "X": ... }`
//   - `event.type === "X"`, `!==`, `==`, `!=` (either side), where the other
//     side names ONE type: a literal, a constant or enum member of a literal
//     type (comparing with another event's `type`, `a.type === b.type`, is a
//     dedupe check, not a branch on a type)
//   - `["X", "Y"].includes(event.type)`
//   - `const { type } = event` / `const t = event.type`, then the forms above on it
//   - a dispatch map `handlers[event.type]`: the keys of the object literal
//     actually assigned to it (a variable's initializer, a class property's
//     initializer and `this.handlers = {...}` assignments in the class, what a
//     factory returns, a factory parameter's argument: `fromMap({ ... })`)
// Literals count whether written inline, as `const`s or as enum members.
// Separately, the literal `type`s of the event parameter's declared union are
// what the handler accepts: undeclared-subscription judges only the handled
// types (accepting more types than one is sent is harmless, e.g. one shared
// DomainEvent union); unused-subscription counts a channel as used when any of
// its events is handled or accepted, since code after
// `if (event.type === "A") return ...` handles the rest, and says nothing of a
// handler whose dispatch keys cannot be read, or whose parameter admits any
// `type` and which acts on types it does not branch on (inert.ts).
// A Decider's evolve, beside a decide, also folds in decide's own events: its
// parameter type counts as accepted, its branches are not subscriptions.
import { ts } from "ts-morph";
import type { SourceLocation } from "../../spec/types.js";
import { locationOf, type CodeProject } from "../project.js";
import { bindCall, boundArgument, exportBindings, type Env } from "./bindings.js";
import type { HandlerEntry, HandlerInput } from "./handler-entry.js";
import { actsOnUnhandledTypes, type EventReading } from "./inert.js";
import {
  DISCRIMINANT,
  calledFunction,
  discriminate,
  isConst,
  narrowingValue,
  propertyNameText,
  resolvedSymbol,
  returnExpressions,
  unwrap,
  type FunctionWithBody,
} from "./ts-helpers.js";

export interface Subscription {
  eventType: string;
  /** The branch that handles it, or the event parameter. */
  loc: SourceLocation;
}

export interface SubscriptionFacts {
  /** The event types the code branches on (what it visibly handles). */
  handled: Subscription[];
  /** The literal \`type\`s of the event parameter's declared union; undefined when
   * the declared type is not a union of literal types (e.g. \`type: string\`). */
  accepted?: Subscription[];
  /** A dispatch on the event's type through a map whose keys could not be read
   * (built at run time, from a package, ...): it may handle any type. */
  opaqueDispatch: boolean;
  /** Some path the handler takes for a type it does not branch on does more
   * than return the state unchanged (it records the event, dispatches on its
   * type generically, delegates it): such a handler handles every type it is
   * given. False only when every such path is seen to leave the state alone. */
  actsOnUnhandled: boolean;
}

/** How deep delegation (handler -> helper -> helper) is followed. */
const MAX_DEPTH = 6;

export function findSubscriptions(cp: CodeProject, entry: HandlerEntry): SubscriptionFacts {
  const { checker } = cp;
  const handled = new Map<string, SourceLocation>();
  const add = (values: readonly string[] | undefined, at: ts.Node) => {
    if (!values) return;
    for (const v of values) if (!handled.has(v)) handled.set(v, locationOf(at));
  };
  const visited = new Set<string>();
  let opaqueDispatch = false;
  let actsOnUnhandled = false;

  const follow = (fn: FunctionWithBody, paramIndex: number, depth: number, env: Env, entryPoint: boolean) => {
    const key = `${fn.getSourceFile().fileName}:${fn.getStart()}:${paramIndex}`;
    if (visited.has(key) || depth > MAX_DEPTH) return;
    visited.add(key);
    const param = fn.parameters[paramIndex];
    if (!param || !fn.body) return;
    const events = new Set<ts.Symbol>();
    const types = new Set<ts.Symbol>();
    const resolvedDispatch = new Set<ts.Node>();
    bindEvent(param.name, events, types);

    const isEvent = (e: ts.Expression): boolean => {
      const u = unwrap(e);
      if (!ts.isIdentifier(u)) return false;
      const s = checker.getSymbolAtLocation(u);
      return s !== undefined && events.has(s);
    };
    const isTypeOfEvent = (e: ts.Expression): boolean => {
      const u = unwrap(e);
      if (ts.isPropertyAccessExpression(u) || ts.isPropertyAccessChain(u)) return u.name.text === DISCRIMINANT && isEvent(u.expression);
      if (ts.isElementAccessExpression(u)) {
        const arg = u.argumentExpression;
        return (ts.isStringLiteral(arg) || ts.isNoSubstitutionTemplateLiteral(arg)) && arg.text === DISCRIMINANT && isEvent(u.expression);
      }
      if (ts.isIdentifier(u)) {
        const s = checker.getSymbolAtLocation(u);
        return s !== undefined && types.has(s);
      }
      return false;
    };

    function bindEvent(name: ts.BindingName, evts: Set<ts.Symbol>, tys: Set<ts.Symbol>) {
      if (ts.isIdentifier(name)) {
        const s = checker.getSymbolAtLocation(name);
        if (s) evts.add(s);
        return;
      }
      if (ts.isObjectBindingPattern(name)) {
        for (const el of name.elements) {
          const prop = el.propertyName ? (ts.isIdentifier(el.propertyName) ? el.propertyName.text : undefined) : ts.isIdentifier(el.name) ? el.name.text : undefined;
          if (prop === DISCRIMINANT && ts.isIdentifier(el.name)) {
            const s = checker.getSymbolAtLocation(el.name);
            if (s) tys.add(s);
          }
        }
      }
    }

    const visit = (node: ts.Node) => {
      if (ts.isVariableDeclaration(node) && node.initializer) {
        if (isEvent(node.initializer)) bindEvent(node.name, events, types);
        else if (isTypeOfEvent(node.initializer) && ts.isIdentifier(node.name)) {
          const s = checker.getSymbolAtLocation(node.name);
          if (s) types.add(s);
        }
      } else if (ts.isSwitchStatement(node) && isTypeOfEvent(node.expression)) {
        for (const clause of node.caseBlock.clauses) if (ts.isCaseClause(clause)) add(one(narrowingValue(checker, clause.expression)), clause);
      } else if (ts.isBinaryExpression(node) && isComparison(node.operatorToken.kind)) {
        if (isTypeOfEvent(node.left)) add(one(narrowingValue(checker, node.right)), node);
        else if (isTypeOfEvent(node.right)) add(one(narrowingValue(checker, node.left)), node);
      } else if (ts.isCallExpression(node)) {
        const callee = unwrap(node.expression);
        const first = node.arguments[0];
        if (ts.isPropertyAccessExpression(callee) && callee.name.text === "includes" && first && isTypeOfEvent(first)) {
          const list = unwrap(callee.expression);
          if (ts.isArrayLiteralExpression(list)) for (const el of list.elements) add(one(narrowingValue(checker, el)), node);
        }
        node.arguments.forEach((arg, i) => {
          if (!isEvent(arg)) return;
          const target = calledFunction(checker, node);
          if (target) follow(target, i, depth + 1, bindCall(target, node, env), false);
        });
      } else if (ts.isElementAccessExpression(node) && isTypeOfEvent(node.argumentExpression)) {
        const keys = mapKeys(checker, node.expression, env, 0);
        if (keys) {
          // Each key where the map names it: that is the line to change.
          for (const k of keys) add([k.name], k.at);
          resolvedDispatch.add(node);
        } else {
          // Keys unknown: only what the map's type requires is surely handled
          // (optional keys, a `Partial<Record<...>>`, say nothing).
          add(requiredKeys(checker, node.expression), node);
          opaqueDispatch = true;
        }
      }
      ts.forEachChild(node, visit);
    };
    visit(fn.body);
    if (entryPoint) {
      const reading: EventReading = { checker, isTypeOfEvent, isResolvedDispatch: (e) => resolvedDispatch.has(unwrap(e)) };
      if (actsOnUnhandledTypes(reading, fn, paramIndex === 0 ? 1 : 0)) actsOnUnhandled = true;
    }
  };

  const env = exportBindings(checker, entry.exportDecl);
  const receiving = entry.inputs.filter((i) => !i.foldsOwnEvents);
  for (const input of receiving) if (input.receiver) follow(input.receiver, input.eventParamIndex, 0, env, true);
  const accepted = acceptedTypes(checker, entry.inputs);
  return { handled: sorted(handled), ...(accepted ? { accepted } : {}), opaqueDispatch, actsOnUnhandled };
}

/** The literal `type`s every input's declared parameter type carries; undefined
 * when one of them is not a union of literal types. */
function acceptedTypes(checker: ts.TypeChecker, inputs: readonly HandlerInput[]): Subscription[] | undefined {
  const out = new Map<string, SourceLocation>();
  for (const input of inputs) {
    const declared = input.eventType ? discriminate(checker, input.eventType) : undefined;
    if (!declared?.precise) return undefined;
    for (const t of declared.members.keys()) if (!out.has(t)) out.set(t, input.eventLoc);
  }
  return out.size > 0 ? sorted(out) : undefined;
}

function isComparison(kind: ts.SyntaxKind): boolean {
  return (
    kind === ts.SyntaxKind.EqualsEqualsEqualsToken ||
    kind === ts.SyntaxKind.EqualsEqualsToken ||
    kind === ts.SyntaxKind.ExclamationEqualsEqualsToken ||
    kind === ts.SyntaxKind.ExclamationEqualsToken
  );
}

/** A key of a dispatch map, and the property that names it. */
interface MapKey {
  name: string;
  at: ts.Node;
}

/** Every key, or undefined when one part is unknown. */
function union(parts: (MapKey[] | undefined)[]): MapKey[] | undefined {
  return parts.every((p): p is MapKey[] => p !== undefined) ? parts.flat() : undefined;
}

/** The keys of the object a dispatch map expression holds, read from the
 * object literals assigned to it; undefined when some assignment cannot be read. */
function mapKeys(checker: ts.TypeChecker, expr: ts.Expression, env: Env, depth: number): MapKey[] | undefined {
  if (depth > MAX_DEPTH) return undefined;
  const e = unwrap(expr);
  if (ts.isObjectLiteralExpression(e)) return objectKeys(checker, e, env, depth);
  if (ts.isConditionalExpression(e)) return union([mapKeys(checker, e.whenTrue, env, depth + 1), mapKeys(checker, e.whenFalse, env, depth + 1)]);
  if (ts.isIdentifier(e)) {
    const bound = boundArgument(checker, e, env);
    if (bound) return mapKeys(checker, bound.arg, bound.env, depth + 1);
    const sym =
      ts.isShorthandPropertyAssignment(e.parent) && e.parent.name === e ? checker.getShorthandAssignmentValueSymbol(e.parent) : resolvedSymbol(checker, e);
    return sym ? assignedKeys(checker, sym, env, depth) : undefined;
  }
  if (ts.isPropertyAccessExpression(e)) {
    const sym = resolvedSymbol(checker, e.name);
    return sym ? assignedKeys(checker, sym, env, depth) : undefined;
  }
  if (ts.isCallExpression(e)) {
    const fn = calledFunction(checker, e);
    const results = fn ? returnExpressions(fn) : [];
    if (!fn || results.length === 0) return undefined;
    const inner = bindCall(fn, e, env);
    return union(results.map((r) => mapKeys(checker, r, inner, depth + 1)));
  }
  return undefined;
}

/** Keys of the values assigned to a variable or property. */
function assignedKeys(checker: ts.TypeChecker, sym: ts.Symbol, env: Env, depth: number): MapKey[] | undefined {
  const decl = sym.valueDeclaration;
  if (!decl) return undefined;
  if (ts.isVariableDeclaration(decl)) return decl.initializer && isConst(decl) ? mapKeys(checker, decl.initializer, env, depth + 1) : undefined;
  if (ts.isPropertyAssignment(decl)) return mapKeys(checker, decl.initializer, env, depth + 1);
  if (ts.isShorthandPropertyAssignment(decl)) {
    const value = checker.getShorthandAssignmentValueSymbol(decl);
    return value ? assignedKeys(checker, value, env, depth + 1) : undefined;
  }
  if (ts.isPropertyDeclaration(decl) && ts.isClassLike(decl.parent)) {
    const values = [...(decl.initializer ? [decl.initializer] : []), ...assignmentsToThis(decl.parent, sym.name)];
    if (values.length === 0) return undefined;
    return union(values.map((v) => mapKeys(checker, v, env, depth + 1)));
  }
  return undefined;
}

/** The right-hand sides of `this.<name> = ...` in a class's members. */
function assignmentsToThis(cls: ts.ClassLikeDeclaration, name: string): ts.Expression[] {
  const out: ts.Expression[] = [];
  const visit = (node: ts.Node) => {
    if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.EqualsToken) {
      const target = unwrap(node.left);
      if (ts.isPropertyAccessExpression(target) && target.expression.kind === ts.SyntaxKind.ThisKeyword && target.name.text === name) out.push(node.right);
    }
    if (ts.isClassLike(node) && node !== cls) return;
    ts.forEachChild(node, visit);
  };
  for (const m of cls.members) visit(m);
  return out;
}

function objectKeys(checker: ts.TypeChecker, obj: ts.ObjectLiteralExpression, env: Env, depth: number): MapKey[] | undefined {
  const keys: MapKey[] = [];
  for (const p of obj.properties) {
    if (ts.isSpreadAssignment(p)) {
      const spread = mapKeys(checker, p.expression, env, depth + 1);
      if (!spread) return undefined;
      keys.push(...spread);
      continue;
    }
    const name = p.name;
    if (name && ts.isComputedPropertyName(name)) {
      const value = narrowingValue(checker, name.expression);
      if (value === undefined) return undefined;
      keys.push({ name: value, at: p });
      continue;
    }
    const text = propertyNameText(name) ?? (name && ts.isNumericLiteral(name) ? name.text : undefined);
    if (text === undefined) return undefined;
    keys.push({ name: text, at: p });
  }
  return keys;
}

/** The non-optional property names of a map's type (`Record<"A" | "B", F>`). */
function requiredKeys(checker: ts.TypeChecker, expr: ts.Expression): string[] | undefined {
  const type = checker.getNonNullableType(checker.getTypeAtLocation(unwrap(expr)));
  const keys = checker
    .getPropertiesOfType(type)
    .filter((p) => (p.flags & ts.SymbolFlags.Optional) === 0)
    .map((p) => p.name);
  return keys.length > 0 ? keys : undefined;
}

const one = (value: string | undefined): string[] | undefined => (value === undefined ? undefined : [value]);

function sorted(map: Map<string, SourceLocation>): Subscription[] {
  return [...map.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([eventType, loc]) => ({ eventType, loc }));
}
