// Small questions asked of the TypeScript compiler API by the drift and
// contract analyses: what a function returns, which string literals a value
// can be, which event `type`s a type's union members carry.
import { ts } from "ts-morph";
import { isProjectCode } from "../project.js";

/** The field that tells events apart (PRODUCT.md: every event has a `type`). */
export const DISCRIMINANT = "type";

/** The expression under parentheses, `as`, `satisfies`, `!` and `<T>` casts. */
export function unwrap(expr: ts.Expression): ts.Expression {
  let e = expr;
  for (;;) {
    if (ts.isParenthesizedExpression(e) || ts.isAsExpression(e) || ts.isSatisfiesExpression(e) || ts.isNonNullExpression(e) || ts.isTypeAssertionExpression(e)) {
      e = e.expression;
    } else return e;
  }
}

/** The symbol a name refers to, through import/export aliases. */
export function resolvedSymbol(checker: ts.TypeChecker, node: ts.Node): ts.Symbol | undefined {
  let sym = checker.getSymbolAtLocation(node);
  if (sym && sym.flags & ts.SymbolFlags.Alias) sym = checker.getAliasedSymbol(sym);
  return sym;
}

export type FunctionWithBody =
  | ts.FunctionDeclaration
  | ts.MethodDeclaration
  | ts.ArrowFunction
  | ts.FunctionExpression
  | ts.GetAccessorDeclaration;

/** The function a declaration defines, when it is user code with a body:
 * `function f`, a method, `const f = () => ...`, `f: function () {}`. */
export function functionOfDeclaration(decl: ts.Declaration | undefined): FunctionWithBody | undefined {
  if (!decl || !isProjectCode(decl)) return undefined;
  if ((ts.isFunctionDeclaration(decl) || ts.isMethodDeclaration(decl) || ts.isGetAccessorDeclaration(decl)) && decl.body) return decl;
  if (ts.isArrowFunction(decl) || ts.isFunctionExpression(decl)) return decl;
  if ((ts.isVariableDeclaration(decl) || ts.isPropertyAssignment(decl) || ts.isPropertyDeclaration(decl)) && decl.initializer) {
    const init = unwrap(decl.initializer);
    if (ts.isArrowFunction(init) || ts.isFunctionExpression(init)) return init;
  }
  return undefined;
}

/** The user function a name or callee refers to (undefined for library code). */
export function functionOfName(checker: ts.TypeChecker, node: ts.Node): FunctionWithBody | undefined {
  const sym = resolvedSymbol(checker, node);
  if (!sym) return undefined;
  if (sym.valueDeclaration && ts.isShorthandPropertyAssignment(sym.valueDeclaration)) {
    const value = checker.getShorthandAssignmentValueSymbol(sym.valueDeclaration);
    return functionOfDeclaration(value?.valueDeclaration);
  }
  for (const decl of sym.declarations ?? []) {
    const fn = functionOfDeclaration(decl);
    if (fn) return fn;
  }
  return undefined;
}

/** The user function a call expression invokes (its callee resolved). */
export function calledFunction(checker: ts.TypeChecker, call: ts.CallExpression): FunctionWithBody | undefined {
  const callee = unwrap(call.expression);
  const inline = ts.isArrowFunction(callee) || ts.isFunctionExpression(callee) ? callee : undefined;
  if (inline) return inline;
  const name = ts.isPropertyAccessExpression(callee) ? callee.name : callee;
  return functionOfName(checker, name);
}

/** The expressions a function returns (an arrow's expression body, or every
 * `return x` not inside a nested function). */
export function returnExpressions(fn: FunctionWithBody): ts.Expression[] {
  if (!fn.body) return [];
  if (!ts.isBlock(fn.body)) return [fn.body];
  const out: ts.Expression[] = [];
  const visit = (node: ts.Node) => {
    if (ts.isReturnStatement(node)) {
      if (node.expression) out.push(node.expression);
      return;
    }
    if (ts.isFunctionLike(node) || ts.isClassLike(node)) return;
    ts.forEachChild(node, visit);
  };
  ts.forEachChild(fn.body, visit);
  return out;
}

/** The string values an expression may take, when all of them are literal
 * (a literal, a `const`, an enum member, a union of literal types). */
export function stringValues(checker: ts.TypeChecker, expr: ts.Expression): string[] | undefined {
  const e = unwrap(expr);
  if (ts.isStringLiteral(e) || ts.isNoSubstitutionTemplateLiteral(e)) return [e.text];
  return literalStrings(checker.getTypeAtLocation(e));
}

/** The one event type an expression names: a string literal, or a constant,
 * enum member or property whose type is a single string literal. A value of a
 * union type (another event's `type`) names no one type. */
export function narrowingValue(checker: ts.TypeChecker, expr: ts.Expression): string | undefined {
  const e = unwrap(expr);
  if (ts.isStringLiteral(e) || ts.isNoSubstitutionTemplateLiteral(e)) return e.text;
  const t = checker.getTypeAtLocation(e);
  return t.isStringLiteral() ? t.value : undefined;
}

/** Whether a variable is declared with `const` (its initializer is its only value). */
export function isConst(decl: ts.VariableDeclaration): boolean {
  return ts.isVariableDeclarationList(decl.parent) && (decl.parent.flags & ts.NodeFlags.Const) !== 0;
}

/** The string literal values of a type that is a string literal or a union of them. */
export function literalStrings(type: ts.Type): string[] | undefined {
  const parts = type.isUnion() ? type.types : [type];
  const out: string[] = [];
  for (const t of parts) {
    if (t.isStringLiteral()) out.push(t.value);
    else return undefined;
  }
  return out.length > 0 ? out : undefined;
}

export interface DiscriminatedType {
  /** Each `type` value, with the union members that carry it. */
  members: Map<string, ts.Type[]>;
  /** Every member has a literal `type`: the set of values is exact. */
  precise: boolean;
}

/** The event `type`s a (union) type carries. `any`, `unknown`, `string`-typed
 * discriminants and members without one make the answer imprecise. */
export function discriminate(checker: ts.TypeChecker, type: ts.Type): DiscriminatedType {
  const members = new Map<string, ts.Type[]>();
  let precise = true;
  const base = type.isTypeParameter() ? (checker.getBaseConstraintOfType(type) ?? type) : type;
  const parts = base.isUnion() ? base.types : [base];
  for (const member of parts) {
    if (member.flags & (ts.TypeFlags.Undefined | ts.TypeFlags.Null | ts.TypeFlags.Never)) continue;
    if (member.flags & (ts.TypeFlags.Any | ts.TypeFlags.Unknown)) {
      precise = false;
      continue;
    }
    const prop = checker.getPropertyOfType(member, DISCRIMINANT);
    const values = prop ? literalStrings(checker.getNonNullableType(checker.getTypeOfSymbol(prop))) : undefined;
    if (!values) {
      precise = false;
      continue;
    }
    for (const v of values) {
      const list = members.get(v) ?? [];
      list.push(member);
      members.set(v, list);
    }
  }
  return { members, precise: precise && members.size > 0 };
}

/** The element type of an array or tuple type (union of tuple members). */
export function elementType(checker: ts.TypeChecker, type: ts.Type): ts.Type | undefined {
  const t = checker.getNonNullableType(type);
  if (checker.isArrayType(t) || checker.isTupleType(t)) return checker.getIndexTypeOfType(t, ts.IndexKind.Number);
  // A union of different array types has no single element type to name here.
  if (t.isUnion()) return undefined;
  return checker.getIndexTypeOfType(t, ts.IndexKind.Number);
}

/** The name a callee is known by: `f` in `f()`, `call` in `a.b.call()`. */
export function calleeName(call: ts.CallExpression | ts.NewExpression): string | undefined {
  const callee = unwrap(call.expression);
  if (ts.isIdentifier(callee)) return callee.text;
  if (ts.isPropertyAccessExpression(callee)) return callee.name.text;
  return undefined;
}

/** `name` or `"name"` of a property-like declaration. */
export function propertyNameText(name: ts.PropertyName | undefined): string | undefined {
  if (!name) return undefined;
  if (ts.isIdentifier(name) || ts.isStringLiteral(name) || ts.isNoSubstitutionTemplateLiteral(name) || ts.isPrivateIdentifier(name)) return name.text;
  return undefined;
}
