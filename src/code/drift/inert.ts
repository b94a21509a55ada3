// Does a handler act on an event type it does not branch on? Read for an event
// of some OTHER type than every literal the code compares `event.type` with:
// conditions on `event.type` are then decided (`=== "X"` is false, `!== "X"`
// true, `["X"].includes(...)` false, a `switch` takes its `default`, a lookup
// in a dispatch map whose keys are known finds nothing), the others may go
// either way. The handler leaves such an event alone when every path it may
// take returns the state unchanged (`{ state }`, `state`, `[]` from a decide,
// nothing) or throws, doing nothing else on the way. Anything else (a
// statement with an effect, a loop, a call the event is handed to, a new
// state) counts as acting: the answer errs towards "acts", which only ever
// silences unused-subscription.
import { ts } from "ts-morph";
import { isConst, narrowingValue, unwrap, type FunctionWithBody } from "./ts-helpers.js";

/** How the code around the event parameter reads, as the subscription
 * analysis has bound it (aliases of the event and of its `type`). */
export interface EventReading {
  checker: ts.TypeChecker;
  /** `event.type`, `event["type"]`, or a name bound to it. */
  isTypeOfEvent(e: ts.Expression): boolean;
  /** A dispatch lookup `map[event.type]` whose keys were read. */
  isResolvedDispatch(e: ts.Expression): boolean;
}

type Truth = boolean | undefined;
/** How a statement ends for such an event: every path returned the state
 * unchanged, some path goes on to the next statement, or some path acts. */
type Flow = "left-alone" | "continues" | "acts";

export function actsOnUnhandledTypes(reading: EventReading, fn: FunctionWithBody, stateParamIndex: number): boolean {
  const { checker, isTypeOfEvent, isResolvedDispatch } = reading;
  const named = (e: ts.Expression) => narrowingValue(checker, e) !== undefined;
  const stateParam = fn.parameters[stateParamIndex];
  const stateSymbol = stateParam && ts.isIdentifier(stateParam.name) ? checker.getSymbolAtLocation(stateParam.name) : undefined;
  // `const h = handlers[event.type]`: undefined for a type the map lacks.
  const missesForOthers = new Set<ts.Symbol>();
  const collect = (node: ts.Node) => {
    if (ts.isVariableDeclaration(node) && node.initializer && ts.isIdentifier(node.name) && isResolvedDispatch(node.initializer) && isConst(node)) {
      const s = checker.getSymbolAtLocation(node.name);
      if (s) missesForOthers.add(s);
    }
    ts.forEachChild(node, collect);
  };
  if (fn.body) collect(fn.body);

  const isNothing = (e: ts.Expression): boolean => {
    const u = unwrap(e);
    if (isResolvedDispatch(u)) return true;
    if (ts.isIdentifier(u)) {
      const s = checker.getSymbolAtLocation(u);
      return s !== undefined && missesForOthers.has(s);
    }
    // `handlers[event.type]?.(state, event)` on a known map: no call happens.
    if (ts.isCallExpression(u) && u.questionDotToken) return isNothing(u.expression);
    return false;
  };

  const truth = (cond: ts.Expression): Truth => {
    const e = unwrap(cond);
    if (ts.isPrefixUnaryExpression(e) && e.operator === ts.SyntaxKind.ExclamationToken) {
      const t = truth(e.operand);
      return t === undefined ? undefined : !t;
    }
    if (ts.isBinaryExpression(e)) {
      const op = e.operatorToken.kind;
      if (op === ts.SyntaxKind.AmpersandAmpersandToken) {
        const [a, b] = [truth(e.left), truth(e.right)];
        return a === false || b === false ? false : a === true && b === true ? true : undefined;
      }
      if (op === ts.SyntaxKind.BarBarToken) {
        const [a, b] = [truth(e.left), truth(e.right)];
        return a === true || b === true ? true : a === false && b === false ? false : undefined;
      }
      const equal = op === ts.SyntaxKind.EqualsEqualsEqualsToken || op === ts.SyntaxKind.EqualsEqualsToken;
      const different = op === ts.SyntaxKind.ExclamationEqualsEqualsToken || op === ts.SyntaxKind.ExclamationEqualsToken;
      if ((equal || different) && comparesTypeWithLiteral(e)) return different;
    }
    if (ts.isCallExpression(e)) {
      const callee = unwrap(e.expression);
      const first = e.arguments[0];
      if (ts.isPropertyAccessExpression(callee) && callee.name.text === "includes" && first && isTypeOfEvent(first)) {
        const list = unwrap(callee.expression);
        if (ts.isArrayLiteralExpression(list) && list.elements.every((el) => named(el))) return false;
      }
    }
    if (isNothing(e)) return false;
    return undefined;
  };
  const comparesTypeWithLiteral = (e: ts.BinaryExpression) =>
    (isTypeOfEvent(e.left) && named(e.right)) || (isTypeOfEvent(e.right) && named(e.left));

  // Is the value returned for such an event the state unchanged?
  const leavesAlone = (expr: ts.Expression | undefined): boolean => {
    if (!expr) return true;
    const e = unwrap(expr);
    if (e.kind === ts.SyntaxKind.NullKeyword || ts.isVoidExpression(e)) return true;
    if (ts.isIdentifier(e)) {
      if (e.text === "undefined") return true;
      const s = checker.getSymbolAtLocation(e);
      return s !== undefined && s === stateSymbol;
    }
    if (ts.isArrayLiteralExpression(e)) return e.elements.length === 0;
    if (ts.isObjectLiteralExpression(e)) return e.properties.length > 0 && e.properties.every(resultPropertyLeavesAlone);
    if (ts.isConditionalExpression(e)) {
      const t = truth(e.condition);
      return t === true ? leavesAlone(e.whenTrue) : t === false ? leavesAlone(e.whenFalse) : leavesAlone(e.whenTrue) && leavesAlone(e.whenFalse);
    }
    if (ts.isBinaryExpression(e) && (e.operatorToken.kind === ts.SyntaxKind.QuestionQuestionToken || e.operatorToken.kind === ts.SyntaxKind.BarBarToken)) {
      return isNothing(e.left) ? leavesAlone(e.right) : leavesAlone(e.left) && leavesAlone(e.right);
    }
    return false;
  };
  // `{ state }`, `{ state: state }`, `{ state, emit: [] }`.
  const resultPropertyLeavesAlone = (p: ts.ObjectLiteralElementLike): boolean => {
    if (ts.isShorthandPropertyAssignment(p)) {
      const s = checker.getShorthandAssignmentValueSymbol(p);
      return p.name.text === "state" && s !== undefined && s === stateSymbol;
    }
    if (!ts.isPropertyAssignment(p) || !ts.isIdentifier(p.name)) return false;
    if (p.name.text === "state") return leavesAlone(p.initializer);
    if (p.name.text === "emit") {
      const v = unwrap(p.initializer);
      return (ts.isArrayLiteralExpression(v) && v.elements.length === 0) || (ts.isIdentifier(v) && v.text === "undefined");
    }
    return false;
  };

  const block = (statements: readonly ts.Statement[]): Flow => {
    for (const s of statements) {
      const flow = statement(s);
      if (flow !== "continues") return flow;
    }
    return "continues";
  };
  const either = (a: Flow, b: Flow): Flow => (a === "acts" || b === "acts" ? "acts" : a === "left-alone" && b === "left-alone" ? "left-alone" : "continues");
  const statement = (s: ts.Statement): Flow => {
    if (ts.isBlock(s)) return block(s.statements);
    if (ts.isReturnStatement(s)) return leavesAlone(s.expression) ? "left-alone" : "acts";
    if (ts.isThrowStatement(s)) return "left-alone";
    if (ts.isIfStatement(s)) {
      const t = truth(s.expression);
      const whenTrue = () => statement(s.thenStatement);
      const whenFalse = (): Flow => (s.elseStatement ? statement(s.elseStatement) : "continues");
      return t === true ? whenTrue() : t === false ? whenFalse() : either(whenTrue(), whenFalse());
    }
    if (ts.isSwitchStatement(s)) return switchStatement(s);
    // Declarations compute values; what matters is what reaches a return.
    if (ts.isVariableStatement(s) || ts.isFunctionDeclaration(s) || ts.isEmptyStatement(s) || ts.isTypeAliasDeclaration(s) || ts.isInterfaceDeclaration(s)) {
      return "continues";
    }
    if (ts.isBreakStatement(s)) return "continues";
    return "acts";
  };
  // On the event's type: such an event takes the `default` clause (falling
  // through the clauses after it) or skips the switch. On anything else, any clause.
  const switchStatement = (s: ts.SwitchStatement): Flow => {
    const clauses = s.caseBlock.clauses;
    const from = (i: number): Flow => {
      for (let j = i; j < clauses.length; j++) {
        for (const st of clauses[j]!.statements) {
          if (ts.isBreakStatement(st)) return "continues";
          const flow = statement(st);
          if (flow !== "continues") return flow;
        }
      }
      return "continues";
    };
    if (isTypeOfEvent(s.expression) && clauses.every((c) => ts.isDefaultClause(c) || named(c.expression))) {
      const d = clauses.findIndex((c) => ts.isDefaultClause(c));
      return d < 0 ? "continues" : from(d);
    }
    const paths = clauses.map((_, i) => from(i));
    if (!clauses.some((c) => ts.isDefaultClause(c))) paths.push("continues");
    return paths.reduce(either, paths[0] ?? "continues");
  };

  if (!fn.body) return true;
  if (!ts.isBlock(fn.body)) return !leavesAlone(fn.body);
  // Falling off the end returns nothing.
  return block(fn.body.statements) === "acts";
}
