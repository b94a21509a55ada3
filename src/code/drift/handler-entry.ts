// Finds, in the handler module a spec names, the function that delivered
// events reach and the declared type of its event parameter, for each handler
// shape the runtime accepts:
//   handle   `{ initialState, handle(state, event) -> { state, emit } }`
//   decider  `{ initialState, decide(command, state) -> events, evolve(state, event) -> state }`
//            (a delivered message reaches `evolve` when evolve's type accepts it, else
//            decide as a command; decide's returned events are emissions)
//   reducer  `(state, event) -> { state, emit } | state`
import { ts } from "ts-morph";
import { inputError } from "../../errors.js";
import { MODULE_RECEIVERS, mayNameWholeModule, type ServiceSpec, type SourceLocation } from "../../spec/types.js";
import { locationOf, type CodeProject } from "../project.js";
import { calledFunction, functionOfDeclaration, functionOfName, returnExpressions, unwrap, type FunctionWithBody } from "./ts-helpers.js";

export type HandlerShape = "handle" | "decider" | "reducer";

/** One function delivered messages reach. */
export interface HandlerInput {
  /** The implementation, when it is user code. */
  receiver?: FunctionWithBody;
  /** Which parameter of the receiver is the event. */
  eventParamIndex: number;
  /** The declared type of the event parameter (from the signature, so a
   * `Handler<S, E>` annotation counts even when the parameter has none). */
  eventType?: ts.Type;
  /** The event parameter's declaration, else the export. */
  eventLoc: SourceLocation;
  /** The receiver's declared result type. */
  resultType?: ts.Type;
  /** A Decider's `evolve` beside a `decide`: it folds in the events decide
   * returns as well as the delivered ones its type accepts, so its branches
   * are not what the service subscribes to (its parameter type still says
   * which delivered events reach it). */
  foldsOwnEvents?: boolean;
}

/** The handler; its own fields are those of its first input (`handle`, a
 * Decider's `decide` when it has one, a reducer). */
export interface HandlerEntry extends HandlerInput {
  shape: HandlerShape;
  /** Every function delivered messages reach: one, or a Decider's `decide`
   * (commands) and `evolve` (the events it accepts). */
  inputs: HandlerInput[];
  /** Where the export is declared. */
  exportLoc: SourceLocation;
  /** The export's declaration (variable, function, class or `export default`):
   * where the code reachable from this service's handler starts. */
  exportDecl: ts.Node;
  /** Functions whose returned arrays are the emitted events (a Decider's decide). */
  emittingFunctions: FunctionWithBody[];
}

/** The handler of `service`, or undefined when the service names none or its
 * export has none of the known shapes (the runtime loader reports that). */
export function handlerEntry(cp: CodeProject, service: ServiceSpec): HandlerEntry | undefined {
  const ref = service.handler;
  if (!ref) return undefined;
  const { checker, program } = cp;
  const sf = program.getSourceFile(ref.file);
  if (!sf) return undefined;
  const moduleSymbol = checker.getSymbolAtLocation(sf);
  const exported = moduleSymbol ? checker.getExportsOfModule(moduleSymbol) : [];
  let sym = exported.find((s) => s.name === ref.exportName);
  if (!sym && moduleSymbol && mayNameWholeModule(ref) && exported.length > 0) sym = moduleSymbol;
  if (!sym) {
    const names = exported.map((s) => s.name).sort();
    throw inputError(`${ref.raw}: the module has no export named ${ref.exportName}`, {
      location: ref.loc,
      expected: mayNameWholeModule(ref)
        ? "a module with a default export, or with top-level exports initialState and handle, evolve or decide (or path/to/handler.ts#exportName)"
        : "path/to/handler.ts#exportName naming an exported handler",
      ...(names.length > 0 ? { hint: `it exports ${names.join(", ")}` } : {}),
    });
  }
  if (sym.flags & ts.SymbolFlags.Alias) sym = checker.getAliasedSymbol(sym);
  const decl = sym.valueDeclaration ?? sym.declarations?.[0];
  if (!decl) return undefined;
  const receiverDecl = ts.isSourceFile(decl) ? MODULE_RECEIVERS.map((n) => exported.find((s) => s.name === n)?.declarations?.[0]).find((d) => d !== undefined) : undefined;
  const exportLoc = locationOf(receiverDecl ?? (ts.isExportAssignment(decl) ? decl.expression : decl));
  // An exported class is instantiated by the runtime: its members are the instance's.
  const type = ts.isClassDeclaration(decl) ? checker.getDeclaredTypeOfSymbol(sym) : checker.getTypeOfSymbolAtLocation(sym, decl);

  // By the export's type first; by its initializer when the type is unknown
  // (an annotation from a package that is not installed reads as `any`). An
  // annotated export (`const h: Handler<S, E> = { handle(s, e) {...} }`) has the
  // interface's member as its property: the code is in the initializer then too.
  const member = (name: string, index: number): HandlerInput | undefined => {
    const prop = checker.getPropertyOfType(type, name);
    const receiver = (prop ? implementationOfMember(checker, prop) : undefined) ?? memberOfInitializer(checker, decl, name);
    const propSignature = prop ? checker.getTypeOfSymbolAtLocation(prop, decl).getCallSignatures()[0] : undefined;
    const signature = propSignature ?? (receiver ? checker.getSignatureFromDeclaration(receiver) : undefined);
    return signature ? input(checker, signature, receiver, index, exportLoc, decl) : undefined;
  };
  const handle = member("handle", 1);
  if (handle) return finish("handle", [handle], exportLoc, [], decl);
  // A Decider: messages `evolve` accepts are folded in by it, the others are
  // commands for `decide` (as the runtime delivers them, see model/runtime/normalize.ts).
  const decide = member("decide", 0);
  const evolve = member("evolve", 1);
  if (decide || evolve) {
    const inputs = decide ? [decide, ...(evolve ? [{ ...evolve, foldsOwnEvents: true }] : [])] : [evolve!];
    return finish("decider", inputs, exportLoc, decide?.receiver ? [decide.receiver] : [], decl);
  }

  const receiver =
    functionOfDeclaration(decl) ??
    (ts.isExportAssignment(decl) ? implementationOfExpression(checker, decl.expression) : undefined) ??
    (ts.isVariableDeclaration(decl) && decl.initializer ? implementationOfExpression(checker, decl.initializer) : undefined);
  const signature = type.getCallSignatures()[0] ?? (receiver ? checker.getSignatureFromDeclaration(receiver) : undefined);
  if (!signature) return undefined;
  return finish("reducer", [input(checker, signature, receiver, 1, exportLoc, decl)], exportLoc, [], decl);
}

function input(
  checker: ts.TypeChecker,
  signature: ts.Signature,
  receiver: FunctionWithBody | undefined,
  eventParamIndex: number,
  exportLoc: SourceLocation,
  at: ts.Node,
): HandlerInput {
  const param = signature.parameters[eventParamIndex];
  const eventType = param ? checker.getTypeOfSymbolAtLocation(param, param.valueDeclaration ?? at) : undefined;
  const paramNode = receiver?.parameters[eventParamIndex];
  return {
    ...(receiver ? { receiver } : {}),
    eventParamIndex,
    ...(eventType ? { eventType } : {}),
    eventLoc: paramNode ? locationOf(paramNode) : exportLoc,
    resultType: signature.getReturnType(),
  };
}

function finish(shape: HandlerShape, inputs: HandlerInput[], exportLoc: SourceLocation, emittingFunctions: FunctionWithBody[], at: ts.Node): HandlerEntry {
  const primary = inputs[0]!;
  return { shape, ...primary, inputs, exportLoc, emittingFunctions, exportDecl: at };
}

/** The code of an object member: a method, `handle: (s, e) => ...`,
 * `handle: handleOrder`, or shorthand `{ handle }`. */
function implementationOfMember(checker: ts.TypeChecker, prop: ts.Symbol): FunctionWithBody | undefined {
  for (const decl of prop.declarations ?? []) {
    if (ts.isShorthandPropertyAssignment(decl)) {
      const fn = functionOfName(checker, decl.name);
      if (fn) return fn;
      continue;
    }
    if (ts.isPropertyAssignment(decl)) {
      const fn = implementationOfExpression(checker, decl.initializer);
      if (fn) return fn;
      continue;
    }
    const fn = functionOfDeclaration(decl);
    if (fn) return fn;
  }
  return undefined;
}

/** `name` in the object literal that initialises a declaration: `const h = {...}`,
 * `export default {...}`, or the first object literal argument of a factory
 * (`defineHandler({...})`), through `as` / `satisfies`. */
function memberOfInitializer(checker: ts.TypeChecker, decl: ts.Node, name: string): FunctionWithBody | undefined {
  const init = ts.isVariableDeclaration(decl) ? decl.initializer : ts.isExportAssignment(decl) ? decl.expression : undefined;
  if (!init) return undefined;
  let e = unwrap(init);
  if (ts.isCallExpression(e)) {
    const arg = e.arguments.map(unwrap).find(ts.isObjectLiteralExpression);
    if (!arg) return undefined;
    e = arg;
  }
  if (!ts.isObjectLiteralExpression(e)) return undefined;
  for (const p of e.properties) {
    if (!p.name || (ts.isIdentifier(p.name) || ts.isStringLiteral(p.name) ? p.name.text : undefined) !== name) continue;
    if (ts.isMethodDeclaration(p)) return functionOfDeclaration(p);
    if (ts.isPropertyAssignment(p)) return implementationOfExpression(checker, p.initializer);
    if (ts.isShorthandPropertyAssignment(p)) return functionOfName(checker, p.name);
  }
  return undefined;
}

function implementationOfExpression(checker: ts.TypeChecker, expr: ts.Expression): FunctionWithBody | undefined {
  const e = unwrap(expr);
  if (ts.isArrowFunction(e) || ts.isFunctionExpression(e)) return e;
  if (ts.isIdentifier(e)) return functionOfName(checker, e);
  if (ts.isPropertyAccessExpression(e)) return functionOfName(checker, e.name);
  // A handler made by a factory, `handle: answer("Pong", 4)`: the function the
  // factory returns (when it returns one function literal).
  if (ts.isCallExpression(e)) {
    const factory = calledFunction(checker, e);
    const made = factory ? returnExpressions(factory).map(unwrap).filter((r) => ts.isArrowFunction(r) || ts.isFunctionExpression(r)) : [];
    if (made.length === 1) return made[0] as ts.ArrowFunction | ts.FunctionExpression;
  }
  return undefined;
}
