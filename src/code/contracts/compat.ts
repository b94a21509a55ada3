// Is an emitted event type assignable to the type a consumer accepts? The
// verdict is TypeScript's own (`checker.isTypeAssignableTo`); the walk over
// properties only explains it, naming the first missing or mismatched one.
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
  if (exactDiscriminant) {
    if (checker.isTypeAssignableTo(source, target)) return { assignable: true };
    const first = firstIncompatibility(checker, source, target, "", 0, undefined);
    return first ? { assignable: false, first } : { assignable: false };
  }
  const first = firstIncompatibility(checker, source, target, "", 0, DISCRIMINANT);
  return first ? { assignable: false, first } : { assignable: true };
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
  const shown = props.slice(0, 8).map((p) => {
    const optional = (p.flags & ts.SymbolFlags.Optional) !== 0 ? "?" : "";
    return `${p.name}${optional}: ${show(checker, optional ? checker.getNonNullableType(checker.getTypeOfSymbol(p)) : checker.getTypeOfSymbol(p))}`;
  });
  const body = `{ ${shown.join("; ")}${props.length > 8 ? "; ..." : ""} }`;
  return name.startsWith("{") ? body : `${name} ${body}`;
}

function show(checker: ts.TypeChecker, type: ts.Type): string {
  return checker.typeToString(type, undefined, ts.TypeFormatFlags.NoTruncation);
}
