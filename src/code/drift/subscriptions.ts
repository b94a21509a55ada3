// The event types a handler handles. Followed from the handler's event
// parameter (and into the user functions it is passed to, as any argument):
//   - `switch (event.type) { case "X": ... }`
//   - `event.type === "X"`, `!==`, `==`, `!=` (either side)
//   - `["X", "Y"].includes(event.type)`
//   - `const { type } = event` / `const t = event.type`, then the forms above on it
//   - a dispatch map: `handlers[event.type]` (the map's property names)
// Literals count whether written inline, as `const`s or as enum members.
// Separately, the literal `type`s of the event parameter's declared union are
// what the handler accepts: undeclared-subscription judges only the handled
// types (accepting more types than one is sent is harmless, e.g. one shared
// DomainEvent union); unused-subscription counts a channel as used when any of
// its events is handled or accepted, since code after
// `if (event.type === "A") return ...` handles the rest.
import { ts } from "ts-morph";
import type { SourceLocation } from "../../spec/types.js";
import { locationOf, type CodeProject } from "../project.js";
import type { HandlerEntry } from "./handler-entry.js";
import { DISCRIMINANT, calledFunction, discriminate, resolvedSymbol, stringValues, unwrap, type FunctionWithBody } from "./ts-helpers.js";

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

  const follow = (fn: FunctionWithBody, paramIndex: number, depth: number) => {
    const key = `${fn.getSourceFile().fileName}:${fn.getStart()}:${paramIndex}`;
    if (visited.has(key) || depth > MAX_DEPTH) return;
    visited.add(key);
    const param = fn.parameters[paramIndex];
    if (!param || !fn.body) return;
    const events = new Set<ts.Symbol>();
    const types = new Set<ts.Symbol>();
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
        for (const clause of node.caseBlock.clauses) if (ts.isCaseClause(clause)) add(stringValues(checker, clause.expression), clause);
      } else if (ts.isBinaryExpression(node) && isComparison(node.operatorToken.kind)) {
        if (isTypeOfEvent(node.left)) add(stringValues(checker, node.right), node);
        else if (isTypeOfEvent(node.right)) add(stringValues(checker, node.left), node);
      } else if (ts.isCallExpression(node)) {
        const callee = unwrap(node.expression);
        const first = node.arguments[0];
        if (ts.isPropertyAccessExpression(callee) && callee.name.text === "includes" && first && isTypeOfEvent(first)) {
          const list = unwrap(callee.expression);
          if (ts.isArrayLiteralExpression(list)) for (const el of list.elements) add(stringValues(checker, el), node);
        }
        node.arguments.forEach((arg, i) => {
          if (!isEvent(arg)) return;
          const target = calledFunction(checker, node);
          if (target) follow(target, i, depth + 1);
        });
      } else if (ts.isElementAccessExpression(node) && isTypeOfEvent(node.argumentExpression)) {
        add(dispatchKeys(checker, node.expression), node);
      }
      ts.forEachChild(node, visit);
    };
    visit(fn.body);
  };

  if (entry.receiver) follow(entry.receiver, entry.eventParamIndex, 0);
  const declared = entry.eventType ? discriminate(checker, entry.eventType) : undefined;
  const accepted = declared?.precise
    ? [...declared.members.keys()].sort().map((eventType) => ({ eventType, loc: entry.eventLoc }))
    : undefined;
  return { handled: sorted(handled), ...(accepted ? { accepted } : {}) };
}

function isComparison(kind: ts.SyntaxKind): boolean {
  return (
    kind === ts.SyntaxKind.EqualsEqualsEqualsToken ||
    kind === ts.SyntaxKind.EqualsEqualsToken ||
    kind === ts.SyntaxKind.ExclamationEqualsEqualsToken ||
    kind === ts.SyntaxKind.ExclamationEqualsToken
  );
}

/** The keys of a dispatch map: an object literal's property names, else the
 * property names of its type (a `Record<"A" | "B", ...>`). */
function dispatchKeys(checker: ts.TypeChecker, expr: ts.Expression): string[] | undefined {
  const e = unwrap(expr);
  const sym = ts.isIdentifier(e) ? resolvedSymbol(checker, e) : undefined;
  const decl = sym?.valueDeclaration;
  if (decl && ts.isVariableDeclaration(decl) && decl.initializer) {
    const init = unwrap(decl.initializer);
    if (ts.isObjectLiteralExpression(init)) {
      const names = init.properties.map((p) => (p.name && (ts.isIdentifier(p.name) || ts.isStringLiteral(p.name)) ? p.name.text : undefined));
      if (names.every((n): n is string => n !== undefined)) return names;
    }
  }
  const props = checker.getPropertiesOfType(checker.getNonNullableType(checker.getTypeAtLocation(e)));
  return props.length > 0 ? props.map((p) => p.name) : undefined;
}

function sorted(map: Map<string, SourceLocation>): Subscription[] {
  return [...map.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([eventType, loc]) => ({ eventType, loc }));
}
