// Is an emitted event type assignable to the type a consumer accepts? The
// verdict is TypeScript's own (`checker.isTypeAssignableTo`); the walk over
// properties explains it, naming the first missing or mismatched one. An
// emitted object literal is judged as written: each property's value keeps
// its literal type (`channel: "email"` is "email", as `as const` or a literal
// contextual type would keep it), even where a loose annotation of the emit
// array widened it to string.
import { ts } from "ts-morph";
import { DISCRIMINANT } from "../drift/ts-helpers.js";

export interface Incompatibility {
  /** `amount`, `items[].quantity`, `shipping.address.city`. */
  path: string;
  kind: "missing" | "mismatch";
  /** The emitted property's type (mismatch only). */
  actual?: string;
  expected: string;
}

export interface Verdict {
  assignable: boolean;
  /** The first incompatible property (undefined when the types differ
   * elsewhere, e.g. in an index signature). */
  first?: Incompatibility;
}

const MAX_DEPTH = 5;

/**
 * `source` is the emitted event's type, `target` the accepted one. With
 * `exactDiscriminant` false the source's `type` is a widened `string` (the
 * code wrote a literal the annotation forgot): the discriminant was matched
 * already, so the other properties decide.
 */
export function judgeAssignability(checker: ts.TypeChecker, source: ts.Type, target: ts.Type, exactDiscriminant: boolean): Verdict {
  if (exactDiscriminant && checker.isTypeAssignableTo(source, target)) return { assignable: true };
  const first = firstIncompatibility(checker, source, target, "", 0, exactDiscriminant ? undefined : DISCRIMINANT);
  if (first) return { assignable: false, first };
  if (!exactDiscriminant) return { assignable: true };
  // The checker said no, yet every property fits as written: an object literal
  // whose literals were widened (`channel: "email"` read as string), unless
  // the target asks for more than named properties.
  return isObjectLiteralType(source) && !hasIndexOrCallSignatures(checker, target) ? { assignable: true } : { assignable: false };
}

/** What an emitted property's written value says against the expected type:
 * it fits, it does not (and where), or the value is not one to read as
 * written (undefined: judge the property by its type). */
const FITS = "fits";
type Written = Incompatibility | typeof FITS | undefined;

/** The value written for a property of an object literal (`channel: "email"`,
 * shorthand `{ channel }`), whose own type keeps its literals, as \`as const\`
 * or a literal contextual type would: the object's property type does not
 * (a loosely typed \`emit\` array widens \`"email"\` to string). */
function writtenValue(prop: ts.Symbol): ts.Expression | undefined {
  const decl = prop.valueDeclaration;
  if (decl && ts.isPropertyAssignment(decl)) return decl.initializer;
  if (decl && ts.isShorthandPropertyAssignment(decl)) return decl.name;
  return undefined;
}

function judgeWritten(checker: ts.TypeChecker, expr: ts.Expression, expected: ts.Type, path: string, depth: number): Written {
  const e = unparenthesized(expr);
  const target = checker.getNonNullableType(expected);
  if (ts.isObjectLiteralExpression(e)) {
    if (depth >= MAX_DEPTH || !isPlainObject(target) || hasIndexOrCallSignatures(checker, target)) return undefined;
    return firstIncompatibility(checker, checker.getTypeAtLocation(e), target, path, depth + 1, undefined) ?? FITS;
  }
  if (ts.isArrayLiteralExpression(e)) {
    if (depth >= MAX_DEPTH || !isArrayLike(checker, target)) return undefined;
    const element = checker.getIndexTypeOfType(target, ts.IndexKind.Number);
    if (!element) return undefined;
    for (const el of e.elements) {
      if (ts.isSpreadElement(el) || ts.isOmittedExpression(el)) return undefined;
      const verdict = judgeWritten(checker, el, element, `${path}[]`, depth + 1);
      if (verdict === undefined) return checker.isTypeAssignableTo(checker.getTypeAtLocation(el), element) ? FITS : undefined;
      if (verdict !== FITS) return verdict;
    }
    return FITS;
  }
  // A const holding an object or array literal: read what it was given.
  if (ts.isIdentifier(e) && depth < MAX_DEPTH) {
    const sym = checker.getSymbolAtLocation(e);
    const decl = sym?.valueDeclaration;
    if (decl && ts.isVariableDeclaration(decl) && decl.initializer && !decl.type && isConstDeclaration(decl)) {
      const init = decl.initializer;
      if (ts.isObjectLiteralExpression(init) || ts.isArrayLiteralExpression(init)) return judgeWritten(checker, init, expected, path, depth + 1);
    }
  }
  // A literal, a const, a conditional of literals: its own type keeps the literals.
  const actual = checker.getTypeAtLocation(e);
  if (checker.isTypeAssignableTo(actual, expected)) return FITS;
  if (actual.flags & ts.TypeFlags.Object) return undefined;
  return { path, kind: "mismatch", actual: show(checker, actual), expected: show(checker, expected) };
}

function isConstDeclaration(decl: ts.VariableDeclaration): boolean {
  return ts.isVariableDeclarationList(decl.parent) && (decl.parent.flags & ts.NodeFlags.Const) !== 0;
}

function isObjectLiteralType(t: ts.Type): boolean {
  return ((t.symbol?.flags ?? 0) & ts.SymbolFlags.ObjectLiteral) !== 0;
}

function hasIndexOrCallSignatures(checker: ts.TypeChecker, t: ts.Type): boolean {
  return checker.getIndexInfosOfType(t).length > 0 || t.getCallSignatures().length > 0 || t.getConstructSignatures().length > 0;
}

function firstIncompatibility(
  checker: ts.TypeChecker,
  source: ts.Type,
  target: ts.Type,
  path: string,
  depth: number,
  skip: string | undefined,
): Incompatibility | undefined {
  for (const prop of checker.getPropertiesOfType(target)) {
    if (prop.name === skip) continue;
    const at = path ? `${path}.${prop.name}` : prop.name;
    const expectedType = checker.getTypeOfSymbol(prop);
    const optional = (prop.flags & ts.SymbolFlags.Optional) !== 0;
    const sourceProp = checker.getPropertyOfType(source, prop.name);
    if (!sourceProp) {
      if (!optional) return { path: at, kind: "missing", expected: show(checker, expectedType) };
      continue;
    }
    const written = writtenValue(sourceProp);
    const verdict = written ? judgeWritten(checker, written, expectedType, at, depth) : undefined;
    if (verdict === FITS) continue;
    if (verdict) return verdict;
    const actualType = checker.getTypeOfSymbol(sourceProp);
    if (checker.isTypeAssignableTo(actualType, expectedType)) continue;
    if (depth < MAX_DEPTH) {
      const nested = nestedIncompatibility(checker, actualType, expectedType, at, depth);
      if (nested) return nested;
    }
    const maybeMissing = (sourceProp.flags & ts.SymbolFlags.Optional) !== 0 && !optional;
    return {
      path: at,
      kind: "mismatch",
      actual: `${show(checker, actualType)}${maybeMissing ? " (optional)" : ""}`,
      expected: show(checker, expectedType),
    };
  }
  return undefined;
}

/** Descends into objects and arrays of objects, where the answer is deeper. */
function nestedIncompatibility(checker: ts.TypeChecker, actual: ts.Type, expected: ts.Type, path: string, depth: number): Incompatibility | undefined {
  const a = checker.getNonNullableType(actual);
  const e = checker.getNonNullableType(expected);
  if (isArrayLike(checker, a) && isArrayLike(checker, e)) {
    const ae = checker.getIndexTypeOfType(a, ts.IndexKind.Number);
    const ee = checker.getIndexTypeOfType(e, ts.IndexKind.Number);
    if (ae && ee && !checker.isTypeAssignableTo(ae, ee)) {
      return isPlainObject(ae) && isPlainObject(ee) ? firstIncompatibility(checker, ae, ee, `${path}[]`, depth + 1, undefined) : undefined;
    }
    return undefined;
  }
  if (isPlainObject(a) && isPlainObject(e)) return firstIncompatibility(checker, a, e, path, depth + 1, undefined);
  return undefined;
}

function isArrayLike(checker: ts.TypeChecker, t: ts.Type): boolean {
  return checker.isArrayType(t) || checker.isTupleType(t);
}

/** An object type that is not a union, a function or a primitive wrapper. */
function isPlainObject(t: ts.Type): boolean {
  return (t.flags & ts.TypeFlags.Object) !== 0 && t.getCallSignatures().length === 0;
}

/** A type as a person reads it: the name, and its properties when it has any. */
export function describeType(checker: ts.TypeChecker, type: ts.Type): string {
  const name = show(checker, type);
  if (!(type.flags & ts.TypeFlags.Object) && !type.isIntersection()) return name;
  const props = checker.getPropertiesOfType(type);
  if (props.length === 0) return name;
  const body = describeProperties(checker, props, 0);
  return name.startsWith("{") ? body : `${name} ${body}`;
}

/** `{ a: T; b?: U }`, an object literal's properties as written (see judgeWritten). */
function describeProperties(checker: ts.TypeChecker, props: readonly ts.Symbol[], depth: number): string {
  const shown = props.slice(0, 8).map((p) => {
    const optional = (p.flags & ts.SymbolFlags.Optional) !== 0 ? "?" : "";
    const written = writtenValue(p);
    const inner = written && unparenthesized(written);
    if (inner && ts.isObjectLiteralExpression(inner) && depth < MAX_DEPTH) {
      return `${p.name}${optional}: ${describeProperties(checker, checker.getPropertiesOfType(checker.getTypeAtLocation(inner)), depth + 1)}`;
    }
    const type = written ? checker.getTypeAtLocation(written) : checker.getTypeOfSymbol(p);
    return `${p.name}${optional}: ${show(checker, optional ? checker.getNonNullableType(type) : type)}`;
  });
  return `{ ${shown.join("; ")}${props.length > 8 ? "; ..." : ""} }`;
}

function unparenthesized(expr: ts.Expression): ts.Expression {
  let e = expr;
  while (ts.isParenthesizedExpression(e)) e = e.expression;
  return e;
}

function show(checker: ts.TypeChecker, type: ts.Type): string {
  return checker.typeToString(type, undefined, ts.TypeFormatFlags.NoTruncation);
}
