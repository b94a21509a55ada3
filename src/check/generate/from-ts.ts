// TypeScript type -> TypeShape, with ts-morph: finds a handler export's event
// parameter (handle / evolve / reducer, and a Decider's decide command) and
// describes the JSON values its type admits. Runs on the main thread; the
// result is plain data sent to the sandbox worker.
import { Project, ts, type SourceFile } from "ts-morph";
import { MODULE_RECEIVERS, mayNameWholeModule, type ExportRef, type SourceLocation } from "../../spec/types.js";
import type { FieldShape, TypeShape } from "./type-shape.js";
import { pruneCuts, shapesByEventType } from "./type-shape.js";

export interface HandlerTypeInfo {
  /** The event parameter's shape (undefined when the export has no recognisable shape). */
  events?: TypeShape;
  /** Decider: the command parameter of decide. */
  commands?: TypeShape;
  /** Literal `type`s of events / commands, when every option has one. */
  accepts?: string[];
  commandTypes?: string[];
  /** Where the handler is declared (for findings). */
  location?: SourceLocation;
}

/**
 * Bounds. Only recursion is a reason to stop describing a type: a type met
 * inside itself is unfolded MAX_UNFOLD more times, then cut (pruneCuts moves the
 * cut to an optional field, an empty array or another union member, so every
 * generated value still fits the type). Generic instantiations of one
 * declaration nested in each other (`Node<Node<Node<T>>>`, each a new type) are
 * cut at MAX_SAME_DECLARATION; MAX_DATA_DEPTH (objects, arrays and tuples, not
 * unions or optional wrappers) is a last safeguard that real event types never reach.
 */
const MAX_UNFOLD = 1;
const MAX_SAME_DECLARATION = 8;
const MAX_DATA_DEPTH = 32;

export function createTypeProject(): Project {
  return new Project({
    compilerOptions: {
      strict: true,
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.NodeNext,
      moduleResolution: ts.ModuleResolutionKind.NodeNext,
      skipLibCheck: true,
      noEmit: true,
      allowJs: true,
    },
    skipAddingFilesFromTsConfig: true,
  });
}

/** Describes the handler a reference names. Never throws on odd code: what it
 * cannot describe is left undefined (generation then falls back to the spec). */
export function analyzeHandlerTypes(project: Project, ref: ExportRef): HandlerTypeInfo {
  let sf: SourceFile | undefined;
  try {
    sf = project.getSourceFile(ref.file) ?? project.addSourceFileAtPath(ref.file);
  } catch {
    return {};
  }
  const exports = sf.getExportedDeclarations();
  // No such export under a reference without #name: the module itself (see mayNameWholeModule).
  const decl = exports.get(ref.exportName)?.[0] ?? (mayNameWholeModule(ref) && exports.size > 0 ? sf : undefined);
  if (!decl) return {};
  const checker = project.getTypeChecker().compilerObject;
  const node = decl.compilerNode;
  const moduleSymbol = decl === sf ? checker.getSymbolAtLocation(node) : undefined;
  const type = moduleSymbol ? checker.getTypeOfSymbolAtLocation(moduleSymbol, node) : checker.getTypeAtLocation(node);
  // A whole module is located at the function messages reach, not at its first line.
  const receiver = decl === sf ? MODULE_RECEIVERS.map((n) => exports.get(n)?.[0]).find((d) => d !== undefined) : undefined;
  const start = sf.getLineAndColumnAtPos((receiver ?? decl).getStart());
  const info: HandlerTypeInfo = { location: { file: ref.file, line: start.line, column: start.column } };

  const paramOf = (fnType: ts.Type, index: number): ts.Type | undefined => {
    const sig = fnType.getCallSignatures()[0];
    const p = sig?.getParameters()[index];
    return p ? checker.getTypeOfSymbolAtLocation(p, node) : undefined;
  };
  const member = (name: string): ts.Type | undefined => {
    const prop = type.getProperty(name);
    return prop ? checker.getTypeOfSymbolAtLocation(prop, node) : undefined;
  };

  let eventType: ts.Type | undefined;
  let commandType: ts.Type | undefined;
  const handle = member("handle");
  const evolve = member("evolve");
  if (handle && handle.getCallSignatures().length) eventType = paramOf(handle, 1);
  else if (evolve && evolve.getCallSignatures().length) {
    eventType = paramOf(evolve, 1);
    const decide = member("decide");
    if (decide && decide.getCallSignatures().length) commandType = paramOf(decide, 0);
  } else if (type.getCallSignatures().length) eventType = paramOf(type, 1);

  const describeType = (t: ts.Type) => pruneCuts(new ShapeBuilder(checker, node).shape(t));
  if (eventType) {
    info.events = describeType(eventType);
    const types = typesOf(info.events);
    if (types) info.accepts = types;
  }
  if (commandType) {
    info.commands = describeType(commandType);
    const types = typesOf(info.commands);
    if (types) info.commandTypes = types;
  }
  return info;
}

function typesOf(shape: TypeShape): string[] | undefined {
  const byType = shapesByEventType(shape);
  if (byType.size === 0 || byType.has("*")) return undefined;
  return [...byType.keys()].sort();
}

const CUT: TypeShape = { kind: "cut" };

class ShapeBuilder {
  private readonly stack: ts.Type[] = [];
  private readonly declarations: ts.Symbol[] = [];
  private dataDepth = 0;
  /** Cuts made so far: a shape built without one does not depend on where it was met. */
  private cuts = 0;
  private readonly memo = new Map<ts.Type, TypeShape>();
  constructor(
    private readonly checker: ts.TypeChecker,
    private readonly at: ts.Node,
  ) {}

  shape(t: ts.Type): TypeShape {
    const known = this.memo.get(t);
    if (known) return known;
    const declaration = this.declarationOf(t);
    const unfolded = this.stack.filter((x) => x === t).length;
    const nested = declaration ? this.declarations.filter((d) => d === declaration).length : 0;
    if (unfolded > MAX_UNFOLD || nested >= MAX_SAME_DECLARATION || this.dataDepth > MAX_DATA_DEPTH) {
      this.cuts++;
      return CUT;
    }
    const cutsBefore = this.cuts;
    this.stack.push(t);
    if (declaration) this.declarations.push(declaration);
    try {
      const shape = this.describe(t);
      if (this.cuts === cutsBefore) this.memo.set(t, shape);
      return shape;
    } finally {
      this.stack.pop();
      if (declaration) this.declarations.pop();
    }
  }

  /** The declaration an object or alias type instantiates (arrays and tuples excepted: nesting them is data, not recursion). */
  private declarationOf(t: ts.Type): ts.Symbol | undefined {
    if (t.aliasSymbol) return t.aliasSymbol;
    if (!(t.flags & ts.TypeFlags.Object) || this.checker.isArrayType(t) || this.checker.isTupleType(t)) return undefined;
    return t.getSymbol();
  }

  private nestedData<T>(fn: () => T): T {
    this.dataDepth++;
    try {
      return fn();
    } finally {
      this.dataDepth--;
    }
  }

  private describe(t: ts.Type): TypeShape {
    const f = t.flags;
    const F = ts.TypeFlags;
    if (f & (F.Any | F.Unknown)) return { kind: "json" };
    if (f & F.StringLiteral) return { kind: "literal", value: (t as ts.StringLiteralType).value };
    if (f & F.NumberLiteral) return { kind: "literal", value: (t as ts.NumberLiteralType).value };
    if (f & F.BooleanLiteral) return { kind: "literal", value: (t as { intrinsicName?: string }).intrinsicName === "true" };
    if (f & F.TemplateLiteral) {
      const template = t as ts.TemplateLiteralType;
      return { kind: "template", texts: [...template.texts], types: template.types.map((x) => this.shape(x)) };
    }
    if (f & (F.String | F.StringMapping)) return { kind: "string" };
    if (f & F.Number) return { kind: "number" };
    if (f & F.Boolean) return { kind: "boolean" };
    if (f & F.Null) return { kind: "null" };
    if (f & (F.Undefined | F.Void | F.Never)) return { kind: "cut" };
    if (f & (F.BigInt | F.BigIntLiteral)) return { kind: "number", integer: true };
    if (t.isUnion()) {
      const parts = t.types.filter((x) => !(x.flags & (ts.TypeFlags.Undefined | ts.TypeFlags.Void)));
      const options = parts.map((x) => this.shape(x)).filter((s) => s.kind !== "cut");
      const hasTrue = options.some((o) => o.kind === "literal" && o.value === true);
      const hasFalse = options.some((o) => o.kind === "literal" && o.value === false);
      const merged: TypeShape[] = hasTrue && hasFalse ? [{ kind: "boolean" }, ...options.filter((o) => !(o.kind === "literal" && typeof o.value === "boolean"))] : options;
      if (merged.length === 0) return { kind: "cut" };
      return merged.length === 1 ? (merged[0] as TypeShape) : { kind: "union", options: merged };
    }
    const name = t.getSymbol()?.getName();
    if (name === "Date") return { kind: "string", format: "date-time", date: true };
    if (name === "Map" || name === "Set" || name === "Function" || t.getCallSignatures().length) return { kind: "json" };
    const checker = this.checker;
    if (checker.isTupleType(t)) {
      return this.nestedData(() => ({ kind: "tuple", items: checker.getTypeArguments(t as ts.TypeReference).map((x) => this.shape(x)) }));
    }
    if (checker.isArrayType(t)) {
      const item = checker.getTypeArguments(t as ts.TypeReference)[0];
      return this.nestedData(() => ({ kind: "array", items: item ? this.shape(item) : { kind: "json" } }));
    }
    if (f & F.Object || t.isIntersection()) return this.nestedData(() => this.describeObject(t));
    return { kind: "json" };
  }

  private describeObject(t: ts.Type): TypeShape {
    const checker = this.checker;
    const fields: FieldShape[] = [];
    for (const prop of checker.getPropertiesOfType(t)) {
      const propType = checker.getTypeOfSymbolAtLocation(prop, this.at);
      if (propType.getCallSignatures().length && !propType.isUnion()) continue; // methods are not data
      const optional = (prop.flags & ts.SymbolFlags.Optional) !== 0 || acceptsUndefined(propType);
      fields.push({ name: prop.getName(), type: this.shape(propType), optional });
    }
    const index = checker.getIndexInfosOfType(t).find((i) => i.keyType.flags & (ts.TypeFlags.String | ts.TypeFlags.Number));
    const shape: TypeShape = { kind: "object", fields };
    if (index) shape.rest = this.shape(index.type);
    return shape;
  }
}

function acceptsUndefined(t: ts.Type): boolean {
  return t.isUnion() && t.types.some((x) => (x.flags & (ts.TypeFlags.Undefined | ts.TypeFlags.Void)) !== 0);
}
