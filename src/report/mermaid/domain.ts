// The domain model of a code root, read from its TypeScript types with
// ts-morph: interfaces, classes and type aliases of object types become
// classes (an `id` makes an entity, a string-literal `type` an event, the rest
// value objects), string-literal unions and enums become enumerations, other
// unions become unions (their named members realize them, inline ones are
// listed), any other alias (a template literal, `keyof X`) is shown with its
// type, and property types become relations. Types are shown as written.
import { existsSync, statSync } from "node:fs";
import { dirname, isAbsolute, relative, sep } from "node:path";
import { Node, Project, ts, type SourceFile, type TypeNode } from "ts-morph";
import { listSourceFiles } from "../../code/project.js";
import type { CodeRoot, Spec } from "../../spec/types.js";
import { displayPath } from "../../util/paths.js";

export type DomainKind = "entity" | "value" | "event" | "enumeration" | "union" | "alias";

export interface DomainRelation {
  /** Key of the target type. */
  to: string;
  /** Property name. */
  label: string;
  /** `1`, `0..1` or `*`. */
  multiplicity: "1" | "0..1" | "*";
}

export interface DomainType {
  /** `file#name`, unique in one model. */
  key: string;
  name: string;
  /** Type parameters as written (`T extends { id: string }` -> `T`), shown after the name. */
  typeParameters?: string[];
  kind: DomainKind;
  /** Object types: `name: Type`; enumerations: the values; unions: the inline alternatives; aliases: the type. */
  members: string[];
  relations: DomainRelation[];
  /** Interface `extends` and union members: keys of the parents / members. */
  parents: string[];
  /** Declared outside the root (shown because a root type refers to it). */
  external: boolean;
  /** Repository-relative file. */
  file: string;
}

export interface DomainModel {
  /** Service or shared kernel name. */
  name: string;
  kind: "service" | "shared-kernel";
  /** Repository-relative code root. */
  root: string;
  types: DomainType[];
}

const COLLECTIONS = new Set(["Array", "ReadonlyArray", "Set", "ReadonlySet", "Map", "ReadonlyMap", "Record", "Iterable"]);
/** Utility types that keep the shape of their argument. */
const SHAPE_KEEPING = new Set(["Readonly", "Partial", "Required", "NonNullable"]);
const MAX_MEMBER = 60;
const MAX_MEMBERS = 25;

type Declaration = Node & { getName(): string | undefined };

function isTypeDeclaration(node: Node): node is Declaration {
  return Node.isInterfaceDeclaration(node) || Node.isTypeAliasDeclaration(node) || Node.isEnumDeclaration(node) || Node.isClassDeclaration(node);
}

/** Every code root of a spec (services with `code:`, shared kernels), each with its TypeScript files. */
export function codeRoots(spec: Spec): Array<{ name: string; kind: DomainModel["kind"]; root: CodeRoot; files: string[] }> {
  const roots: Array<{ name: string; kind: DomainModel["kind"]; root: CodeRoot }> = [];
  for (const s of [...spec.services.values()].sort((a, b) => (a.name < b.name ? -1 : 1))) if (s.code && !s.external) roots.push({ name: s.name, kind: "service", root: s.code });
  for (const k of [...spec.sharedKernels.values()].sort((a, b) => (a.name < b.name ? -1 : 1))) roots.push({ name: k.name, kind: "shared-kernel", root: k.code });
  const folders = roots.map((r) => r.root.path);
  return roots.map((r) => {
    const own = r.root.path;
    // A deeper root of another element owns its files.
    const deeper = folders.filter((f) => f !== own && isInside(f, own));
    const files = existsSync(own) ? listSourceFiles(own, r.root.loc).filter((f) => !deeper.some((d) => f === d || isInside(f, d))) : [];
    return { ...r, files };
  });
}

function isInside(file: string, dir: string): boolean {
  const rel = relative(dir, file);
  return rel !== "" && !rel.startsWith(`..${sep}`) && rel !== ".." && !isAbsolute(rel);
}

/** The domain model of every code root of the spec (one ts-morph project for all). */
export function domainModels(spec: Spec, cwd: string): DomainModel[] {
  const roots = codeRoots(spec);
  if (roots.length === 0) return [];
  const project = new Project({
    compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.NodeNext, moduleResolution: ts.ModuleResolutionKind.NodeNext, strict: true, skipLibCheck: true, noEmit: true, allowJs: false },
    skipAddingFilesFromTsConfig: true,
  });
  const all = new Set(roots.flatMap((r) => r.files));
  for (const f of [...all].sort()) project.addSourceFileAtPath(f);
  project.resolveSourceFileDependencies();
  return roots.map((r) => buildModel(project, r.name, r.kind, r.root.path, r.files, cwd));
}

function buildModel(project: Project, name: string, kind: DomainModel["kind"], root: string, files: string[], cwd: string): DomainModel {
  const types = new Map<string, DomainType>();
  const pending: Array<{ decl: Declaration; external: boolean }> = [];
  // Every key ever queued: a type that refers to itself (a tree) or to one being described
  // must not queue it again, or the external copy would replace the real one.
  const queued = new Set<string>();
  const keyOf = (decl: Declaration) => `${displayPath(decl.getSourceFile().getFilePath(), cwd)}#${decl.getName() ?? "default"}`;
  const enqueue = (decl: Declaration, external: boolean) => {
    const key = keyOf(decl);
    if (queued.has(key)) return key;
    queued.add(key);
    pending.push({ decl, external });
    return key;
  };
  for (const f of [...files].sort()) {
    const sf = project.getSourceFile(f);
    if (!sf) continue;
    for (const decl of declarationsOf(sf)) enqueue(decl, false);
  }
  while (pending.length > 0) {
    const { decl, external } = pending.shift()!;
    const t = describe(decl, external, cwd, keyOf, (d) => (external ? undefined : enqueue(d, true)));
    if (t) types.set(t.key, t);
  }
  // Relations and parents only to types that made it into the model.
  for (const t of types.values()) {
    t.relations = t.relations.filter((r) => types.has(r.to));
    t.parents = t.parents.filter((p) => types.has(p));
  }
  const sorted = [...types.values()].sort((a, b) => Number(a.external) - Number(b.external) || cmp(a.file, b.file) || cmp(a.name, b.name));
  return { name, kind, root: displayPath(statSync(root).isFile() ? dirname(root) : root, cwd), types: sorted };
}

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

function declarationsOf(sf: SourceFile): Declaration[] {
  const out: Declaration[] = [];
  for (const stmt of sf.getStatements()) if (isTypeDeclaration(stmt) && stmt.getName()) out.push(stmt);
  return out;
}

/** The type declaration a type name refers to (through imports), if any. */
function resolveName(node: Node): Declaration | undefined {
  let symbol = node.getSymbol();
  if (!symbol) return undefined;
  if (symbol.isAlias()) symbol = symbol.getAliasedSymbol() ?? symbol;
  const decl = symbol.getDeclarations().find(isTypeDeclaration);
  if (!decl || decl.getSourceFile().isDeclarationFile() || decl.getSourceFile().isInNodeModules()) return undefined;
  return decl;
}

function describe(
  decl: Declaration,
  external: boolean,
  cwd: string,
  keyOf: (d: Declaration) => string,
  refer: (d: Declaration) => string | undefined,
): DomainType | undefined {
  const params = Node.isEnumDeclaration(decl) ? [] : (decl as Declaration & { getTypeParameters(): Array<{ getName(): string }> }).getTypeParameters().map((p) => p.getName());
  const base = {
    key: keyOf(decl),
    name: decl.getName() ?? "default",
    ...(params.length > 0 ? { typeParameters: params } : {}),
    external,
    file: displayPath(decl.getSourceFile().getFilePath(), cwd),
    relations: [] as DomainRelation[],
    parents: [] as string[],
  };
  if (Node.isEnumDeclaration(decl)) return { ...base, kind: "enumeration", members: decl.getMembers().map((m) => m.getName()) };
  if (Node.isTypeAliasDeclaration(decl)) {
    const node = decl.getTypeNode();
    if (!node) return undefined;
    const literals = stringLiterals(node);
    if (literals) return { ...base, kind: "enumeration", members: literals };
    if (Node.isUnionTypeNode(node)) {
      // Named alternatives realize the union; inline ones (`{ ok: true; value: T }`) are listed.
      const parents: string[] = [];
      const members: string[] = [];
      for (const m of node.getTypeNodes()) {
        const r = Node.isTypeReference(m) ? resolveName(m.getTypeName()) : undefined;
        if (r) parents.push(refer(r) ?? keyOf(r));
        else members.push(memberType(m));
      }
      return { ...base, kind: "union", members, parents };
    }
    if (Node.isTypeLiteral(node)) return objectType(base, node.getProperties(), refer);
    if (Node.isIntersectionTypeNode(node)) {
      const parents: string[] = [];
      const props = [];
      for (const part of node.getTypeNodes()) {
        if (Node.isTypeLiteral(part)) props.push(...part.getProperties());
        else if (Node.isTypeReference(part)) {
          const r = resolveName(part.getTypeName());
          if (r) parents.push(refer(r) ?? keyOf(r));
        }
      }
      const t = objectType(base, props, refer);
      t.parents = parents;
      return t;
    }
    // Anything else (a template literal, `keyof X`, a mapped or function type): the type itself.
    return { ...base, kind: "alias", members: [memberType(node)] };
  }
  if (Node.isInterfaceDeclaration(decl)) {
    // An interface of methods only is a port (a client, a repository), not part of the domain model.
    if (decl.getProperties().length === 0 && decl.getMethods().length > 0) return undefined;
    const t = objectType(base, decl.getProperties(), refer);
    t.members.splice(0, 0, ...decl.getIndexSignatures().map((i) => oneLine(i.getText()).replace(/;$/, "")));
    for (const h of decl.getExtends()) {
      const r = resolveName(h.getExpression());
      if (r) t.parents.push(refer(r) ?? keyOf(r));
    }
    return t;
  }
  if (Node.isClassDeclaration(decl)) {
    const props = decl.getProperties().filter((p) => !p.isStatic());
    if (props.length === 0) return undefined;
    const t = objectType(base, props, refer);
    const ext = decl.getExtends();
    const r = ext ? resolveName(ext.getExpression()) : undefined;
    if (r) t.parents.push(refer(r) ?? keyOf(r));
    return t;
  }
  return undefined;
}

/** `"a" | "b" | "c"` -> [a, b, c]; undefined for anything else. */
function stringLiterals(node: TypeNode): string[] | undefined {
  const parts = Node.isUnionTypeNode(node) ? node.getTypeNodes() : [node];
  const out: string[] = [];
  for (const p of parts) {
    if (!Node.isLiteralTypeNode(p)) return undefined;
    const lit = p.getLiteral();
    if (!Node.isStringLiteral(lit)) return undefined;
    out.push(lit.getLiteralValue());
  }
  return out.length > 0 ? out : undefined;
}

type PropertyLike = Node & { getName(): string; getTypeNode(): TypeNode | undefined; hasQuestionToken(): boolean };

function objectType(base: Omit<DomainType, "kind" | "members">, props: PropertyLike[], refer: (d: Declaration) => string | undefined): DomainType {
  const members: string[] = [];
  const relations: DomainRelation[] = [];
  let event = false;
  let entity = false;
  for (const p of props) {
    const name = p.getName();
    const node = p.getTypeNode();
    // A class field without an annotation (`cache = new Map<string, Order>()`): its inferred type.
    const text = node ? memberType(node) : cap(oneLine(p.getType().getText(p, ts.TypeFormatFlags.NoTruncation)));
    members.push(`${name}${p.hasQuestionToken() ? "?" : ""}: ${text}`);
    if (name === "type" && node && stringLiterals(node)?.length === 1) event = true;
    if (name === "id") entity = true;
    if (!node) continue;
    for (const ref of typeReferences(node)) {
      const decl = resolveName(ref.name);
      if (!decl) continue;
      const to = refer(decl) ?? `${decl.getSourceFile().getFilePath()}#${decl.getName()}`;
      const optional = p.hasQuestionToken() || nullable(node);
      relations.push({ to, label: name, multiplicity: ref.many ? "*" : optional ? "0..1" : "1" });
    }
  }
  const kind: DomainKind = event ? "event" : entity ? "entity" : "value";
  return { ...base, kind, members: members.length > MAX_MEMBERS ? [...members.slice(0, MAX_MEMBERS), `... ${members.length - MAX_MEMBERS} more`] : members, relations };
}

function nullable(node: TypeNode): boolean {
  return Node.isUnionTypeNode(node) && node.getTypeNodes().some((t) => t.getText() === "null" || t.getText() === "undefined");
}

/** Named types a property type mentions; `many` when inside an array or a generic wrapper (a collection). */
function typeReferences(node: TypeNode, many = false): Array<{ name: Node; many: boolean }> {
  if (Node.isArrayTypeNode(node)) return typeReferences(node.getElementTypeNode(), true);
  if (Node.isUnionTypeNode(node) || Node.isIntersectionTypeNode(node)) return node.getTypeNodes().flatMap((t) => typeReferences(t, many));
  if (Node.isParenthesizedTypeNode(node)) return typeReferences(node.getTypeNode(), many);
  if (Node.isTypeOperatorTypeNode(node)) return typeReferences(node.getTypeNode(), many);
  if (Node.isTypeReference(node)) {
    const args = node.getTypeArguments();
    if (args.length > 0) {
      // Record<K, V>, Map<K, V>, Table<V>, Register<V>: the last argument is what the wrapper holds,
      // many of them when the wrapper is a collection.
      return typeReferences(args[args.length - 1]!, many || isCollection(node));
    }
    return [{ name: node.getTypeName(), many }];
  }
  return [];
}

/** A built-in collection, or a generic alias / interface that is one (`type Table<T> = Record<string, T>`). */
function isCollection(ref: TypeNode & { getTypeName(): Node }, depth = 0): boolean {
  const name = ref.getTypeName().getText();
  if (COLLECTIONS.has(name)) return true;
  if (SHAPE_KEEPING.has(name)) {
    // Readonly<Record<string, T>> is still a collection.
    const arg = Node.isTypeReference(ref) ? ref.getTypeArguments()[0] : undefined;
    return arg !== undefined && (Node.isArrayTypeNode(arg) || (Node.isTypeReference(arg) && isCollection(arg, depth + 1)));
  }
  const decl = resolveName(ref.getTypeName());
  if (!decl || depth > 3) return false;
  if (Node.isInterfaceDeclaration(decl)) return decl.getIndexSignatures().length > 0;
  if (!Node.isTypeAliasDeclaration(decl)) return false;
  const target = decl.getTypeNode();
  if (!target) return false;
  if (Node.isArrayTypeNode(target)) return true;
  if (Node.isTypeLiteral(target)) return target.getIndexSignatures().length > 0;
  if (Node.isMappedTypeNode(target)) return true;
  return Node.isTypeReference(target) && isCollection(target, depth + 1);
}

const oneLine = (text: string) => text.replace(/\s+/g, " ").trim();
const cap = (text: string) => (text.length > MAX_MEMBER ? `${text.slice(0, MAX_MEMBER - 1)}…` : text);

/** A type as a class member shows it: as written, on one line, cut at MAX_MEMBER characters. */
export function memberType(node: TypeNode): string {
  return cap(oneLine(node.getText()));
}
