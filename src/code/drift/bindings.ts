// Parameters bound to the arguments a call passes them, so the code of a
// helper or of a handler factory reads as it runs for that call:
// `event("OrderPlaced", id)` gives `type: kind` the value "OrderPlaced", and
// `handle: fromMap({ OrderPlaced: ... })` gives the factory's `map[e.type]` the
// keys of that object. Shared by the emission and the subscription analyses.
import { ts } from "ts-morph";
import { calledFunction, resolvedSymbol, type FunctionWithBody } from "./ts-helpers.js";

/** An argument, read in its caller's bindings. */
export interface Bound {
  arg: ts.Expression;
  env: Env;
}

/** Parameters bound to the arguments of the calls being followed. */
export type Env = ReadonlyMap<ts.ParameterDeclaration, Bound>;

export const NO_BINDINGS: Env = new Map();

/** `env` plus the parameters of `fn` bound to the arguments of `call`
 * (rest parameters and spread arguments stay unbound: their positions shift). */
export function bindCall(fn: FunctionWithBody, call: ts.CallExpression, env: Env): Env {
  const next = new Map(env);
  fn.parameters.forEach((p, i) => {
    const arg = call.arguments[i];
    if (arg && !p.dotDotDotToken && !ts.isSpreadElement(arg)) next.set(p, { arg, env });
  });
  return next;
}

/** The argument a parameter name is bound to, when `id` names a bound parameter. */
export function boundArgument(checker: ts.TypeChecker, id: ts.Identifier, env: Env): Bound | undefined {
  const decl = resolvedSymbol(checker, id)?.valueDeclaration;
  return decl && ts.isParameter(decl) ? env.get(decl) : undefined;
}

/** The bindings a handler export's own calls make: `handle: answer("Pong", 4)`
 * binds `answer`'s parameters wherever its code is read. Calls inside
 * functions run later, with other arguments, and are not read; a parameter two
 * calls bind to different arguments stays unbound. */
export function exportBindings(checker: ts.TypeChecker, decl: ts.Node): Env {
  const env = new Map<ts.ParameterDeclaration, Bound>();
  const ambiguous = new Set<ts.ParameterDeclaration>();
  const scan = (node: ts.Node) => {
    if (ts.isFunctionLike(node)) return;
    if (ts.isCallExpression(node)) {
      const fn = calledFunction(checker, node);
      if (fn) {
        for (const [p, b] of bindCall(fn, node, NO_BINDINGS)) {
          if (env.has(p) && env.get(p)!.arg !== b.arg) ambiguous.add(p);
          env.set(p, b);
        }
      }
    }
    ts.forEachChild(node, scan);
  };
  ts.forEachChild(decl, scan);
  for (const p of ambiguous) env.delete(p);
  return env;
}
