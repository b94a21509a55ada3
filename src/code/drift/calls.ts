// Synchronous calls from a service's code to other services of the spec.
// Recognised (each only when the name it yields is a service of the spec,
// compared after normalisation, see service-names.ts; calls to itself are ignored):
//   1. `callService("inventory", ...)`, `client.call("inventory", ...)`: a call whose
//      function or method name is one of `callees` and whose first argument is a
//      string (literal, const or enum member);
//   2. `new InventoryServiceClient(...)` / `new InventoryClient(...)`, and constructor
//      parameters typed with such a class or interface (injection), when the class is
//      the project's own: declared in a file of the project (a hand-written client, or a
//      generated gRPC/OpenAPI client whose .ts or .d.ts lives in the project), not in a
//      package under node_modules (Slack's `WebClient`, Algolia's `SearchClient` are
//      not services of the spec even when the spec has a `web` or `search`);
//   3. `createClient(InventoryService, transport)`: a factory in `clientFactories`
//      given a service descriptor named `<Service>` / `<Service>Service`;
//   4. URLs in strings and template heads whose host IS the service's name (schemes
//      http, https, grpc, grpcs, ws, wss, h2c; optional port): a single-label host
//      (`http://inventory`, `http://inventory-service:8080/...`, a container or compose
//      name), a Kubernetes service `inventory.<namespace>.svc[.cluster.local]`, a Consul
//      service `inventory.service[.<dc>].consul`. A public domain names no service:
//      `https://api.stripe.com` does not call a service named `api`;
//   5. configuration names read in an expression: `process.env.INVENTORY_URL`,
//      `process.env["INVENTORY_SERVICE_HOST"]`, `INVENTORY_ENDPOINT`, `config.inventoryServiceUrl`:
//      a name ending in URL, URI, HOST, ADDR, ADDRESS or ENDPOINT (after an optional BASE),
//      in CONSTANT_CASE, or in camelCase with the word Service/Svc (`pageUrl` is not a service);
//   6. `urlPatterns` / `namePatterns` given as rule options: regular expressions over
//      string literals / names whose first group is the service name.
import { ts } from "ts-morph";
import { inputError } from "../../errors.js";
import type { SourceLocation } from "../../spec/types.js";
import { locationOf, type CodeProject } from "../project.js";
import { ServiceNames } from "./service-names.js";
import { calleeName, stringValues, unwrap } from "./ts-helpers.js";

export interface CodeCall {
  /** The spec service called. */
  target: string;
  loc: SourceLocation;
  /** What in the code showed the call, e.g. `new InventoryServiceClient()`. */
  evidence: string;
}

export interface CallPatterns {
  callees: readonly string[];
  clientFactories: readonly string[];
  urlPatterns: readonly RegExp[];
  namePatterns: readonly RegExp[];
}

export const DEFAULT_CALL_PATTERNS: CallPatterns = {
  callees: ["callService", "invokeService", "call", "invoke", "rpc"],
  clientFactories: ["createClient", "createPromiseClient", "createGrpcClient", "createServiceClient"],
  urlPatterns: [
    // http://inventory, http://inventory-service:8080/reserve
    /^(?:https?|grpcs?|wss?|h2c):\/\/([A-Za-z0-9_-]+)(?::\d+)?(?:[/?#]|$)/,
    // http://inventory.shop.svc, http://inventory.shop.svc.cluster.local:8080
    /^(?:https?|grpcs?|wss?|h2c):\/\/([A-Za-z0-9_-]+)\.[A-Za-z0-9_-]+\.svc(?:\.[A-Za-z0-9-]+)*(?::\d+)?(?:[/?#]|$)/,
    // http://inventory.service.consul, http://inventory.service.dc1.consul:8500
    /^(?:https?|grpcs?|wss?|h2c):\/\/([A-Za-z0-9_-]+)\.service(?:\.[A-Za-z0-9_-]+)?\.consul(?::\d+)?(?:[/?#]|$)/,
  ],
  namePatterns: [],
};

const CLIENT_CLASS = /^(.+?)(?:Service)?Client$/;
const ENDPOINT_WORDS = new Set(["url", "uri", "host", "addr", "address", "endpoint"]);
const ENDPOINT_SUFFIX = /(url|uri|host|addr|address|endpoint)$/i;

/** The patterns in effect: the defaults plus what the rules' options add. */
export function callPatternsFromOptions(raw: Record<string, unknown>, loc: SourceLocation | undefined, ruleId: string): CallPatterns {
  const strings = (key: string): string[] => {
    const v = raw[key];
    if (v === undefined) return [];
    if (!Array.isArray(v) || !v.every((x) => typeof x === "string")) {
      throw inputError(`rule ${ruleId}: option ${key} must be a list of strings`, {
        ...(loc ? { location: loc } : {}),
        expected: `${key}: ["name", ...]`,
      });
    }
    return v;
  };
  const regexes = (key: string): RegExp[] =>
    strings(key).map((source) => {
      try {
        return new RegExp(source);
      } catch (e) {
        throw inputError(`rule ${ruleId}: option ${key} has an invalid regular expression ${JSON.stringify(source)}: ${(e as Error).message}`, {
          ...(loc ? { location: loc } : {}),
          expected: "a JavaScript regular expression whose first group is the service name",
        });
      }
    });
  return {
    callees: [...DEFAULT_CALL_PATTERNS.callees, ...strings("callees")],
    clientFactories: [...DEFAULT_CALL_PATTERNS.clientFactories, ...strings("clientFactories")],
    urlPatterns: [...DEFAULT_CALL_PATTERNS.urlPatterns, ...regexes("urlPatterns")],
    namePatterns: [...DEFAULT_CALL_PATTERNS.namePatterns, ...regexes("namePatterns")],
  };
}

export function findCalls(
  cp: CodeProject,
  self: string,
  /** The service's own files and the declarations its handler reaches elsewhere. */
  roots: readonly ts.Node[],
  names: ServiceNames,
  patterns: CallPatterns = DEFAULT_CALL_PATTERNS,
): CodeCall[] {
  const { checker } = cp;
  const callees = new Set(patterns.callees);
  const factories = new Set(patterns.clientFactories);
  const out = new Map<string, CodeCall>();
  const found = (spelling: string | undefined, node: ts.Node, evidence: string) => {
    if (!spelling) return;
    const target = names.resolve(spelling);
    if (!target || target === self) return;
    const loc = locationOf(node);
    const key = `${target}@${loc.file}:${loc.line}`;
    if (!out.has(key)) out.set(key, { target, loc, evidence });
  };
  const fromString = (text: string, node: ts.Node) => {
    for (const re of patterns.urlPatterns) {
      const m = re.exec(text);
      if (m?.[1]) found(m[1], node, JSON.stringify(text.length > 60 ? `${text.slice(0, 57)}...` : text));
    }
  };
  const fromName = (name: string, node: ts.Node, evidence: string) => {
    found(endpointServiceName(name), node, evidence);
    for (const re of patterns.namePatterns) {
      const m = re.exec(name);
      if (m?.[1]) found(m[1], node, evidence);
    }
  };

  const visit = (node: ts.Node) => {
    if (ts.isCallExpression(node)) {
      const name = calleeName(node);
      const first = node.arguments[0];
      if (name && first && callees.has(name)) {
        const values = stringValues(checker, first);
        if (values?.length === 1) found(values[0], node, `${name}(${JSON.stringify(values[0])})`);
      }
      if (name && first && factories.has(name)) {
        const arg = unwrap(first);
        const descriptor = ts.isIdentifier(arg) ? arg.text : ts.isPropertyAccessExpression(arg) ? arg.name.text : undefined;
        if (descriptor) found(descriptor, node, `${name}(${descriptor})`);
      }
    } else if (ts.isNewExpression(node)) {
      const callee = unwrap(node.expression);
      const nameNode = ts.isPropertyAccessExpression(callee) ? callee.name : callee;
      const name = calleeName(node);
      const m = name ? CLIENT_CLASS.exec(name) : null;
      if (m?.[1] && isProjectDeclared(checker, nameNode)) found(m[1], node, `new ${name}()`);
    } else if (ts.isParameter(node) && ts.isConstructorDeclaration(node.parent) && node.type && ts.isTypeReferenceNode(node.type)) {
      const typeName = node.type.typeName;
      const nameNode = ts.isIdentifier(typeName) ? typeName : typeName.right;
      const m = CLIENT_CLASS.exec(nameNode.text);
      if (m?.[1] && isProjectDeclared(checker, nameNode)) found(m[1], node, `constructor parameter of type ${nameNode.text}`);
    } else if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) {
      fromString(node.text, node);
      if (ts.isElementAccessExpression(node.parent) && node.parent.argumentExpression === node) {
        fromName(node.text, node, `${node.parent.expression.getText()}[${JSON.stringify(node.text)}]`);
      }
    } else if (ts.isTemplateHead(node)) {
      fromString(node.text, node.parent);
    } else if (ts.isIdentifier(node) && isReadInExpression(node)) {
      fromName(node.text, node, ts.isPropertyAccessExpression(node.parent) ? node.parent.getText() : node.text);
    }
    ts.forEachChild(node, visit);
  };
  for (const r of roots) visit(r);
  return [...out.values()].sort(
    (a, b) => (a.loc.file < b.loc.file ? -1 : a.loc.file > b.loc.file ? 1 : a.loc.line - b.loc.line || a.loc.column - b.loc.column),
  );
}

/** Whether the class (or interface) a name refers to is declared in the
 * project rather than in a package: one of its declarations lies outside
 * node_modules. An import that does not resolve counts when its specifier is
 * a relative path (the project's own file, not compiled yet), not when it names
 * a package (a package that is not installed is still a package). */
function isProjectDeclared(checker: ts.TypeChecker, name: ts.Node): boolean {
  const sym = checker.getSymbolAtLocation(name);
  if (!sym) return false;
  const target = sym.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(sym) : sym;
  const decls = target.declarations ?? [];
  if (decls.length > 0) return decls.some((d) => !isInPackage(d.getSourceFile().fileName));
  const importDecl = sym.declarations?.map(importOf).find((d) => d !== undefined);
  const spec = importDecl && ts.isStringLiteral(importDecl.moduleSpecifier) ? importDecl.moduleSpecifier.text : undefined;
  return spec !== undefined && (spec.startsWith(".") || spec.startsWith("/"));
}

function isInPackage(fileName: string): boolean {
  return fileName.split(/[\\/]/).includes("node_modules");
}

function importOf(node: ts.Node): ts.ImportDeclaration | undefined {
  for (let n: ts.Node | undefined = node; n; n = n.parent) if (ts.isImportDeclaration(n)) return n;
  return undefined;
}

/** `INVENTORY_URL`, `INVENTORY_SERVICE_BASE_URL`, `inventoryServiceUrl` ->
 * the service's spelling. A constant-case name (configuration, environment) is
 * enough; a camelCase one must say `service`/`svc`, since `pageUrl` or
 * `orderUrl` usually means a resource's address, not another service. */
export function endpointServiceName(name: string): string | undefined {
  if (!ENDPOINT_SUFFIX.test(name)) return undefined; // most names: no work beyond this test
  const constantCase = /^[A-Z0-9_]+$/.test(name);
  const words = name
    .replace(/([a-z0-9])([A-Z])/g, "$1 $2")
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((w) => w.length > 0);
  if (words.length < 2 || !ENDPOINT_WORDS.has(words[words.length - 1]!)) return undefined;
  words.pop();
  if (words[words.length - 1] === "base") words.pop();
  if (!constantCase && !words.some((w) => w === "service" || w === "svc")) return undefined;
  return words.length > 0 ? words.join("-") : undefined;
}

/** An identifier read as a value (not a declaration's name, a type or an import). */
function isReadInExpression(id: ts.Identifier): boolean {
  const parent = id.parent;
  // `process.env.INVENTORY_URL`, `config.inventoryUrl`: every part is read.
  if (ts.isPropertyAccessExpression(parent)) return true;
  if ((ts.isVariableDeclaration(parent) || ts.isParameter(parent) || ts.isPropertyDeclaration(parent) || ts.isPropertySignature(parent) ||
    ts.isPropertyAssignment(parent) || ts.isFunctionDeclaration(parent) || ts.isMethodDeclaration(parent) || ts.isClassDeclaration(parent) ||
    ts.isInterfaceDeclaration(parent) || ts.isTypeAliasDeclaration(parent) || ts.isEnumDeclaration(parent) || ts.isEnumMember(parent) ||
    ts.isBindingElement(parent)) && (parent as ts.NamedDeclaration).name === id) {
    return false;
  }
  if (ts.isImportSpecifier(parent) || ts.isImportClause(parent) || ts.isNamespaceImport(parent) || ts.isExportSpecifier(parent)) return false;
  if (ts.isTypeReferenceNode(parent) || ts.isQualifiedName(parent) || ts.isTypeQueryNode(parent) || ts.isExpressionWithTypeArguments(parent)) return false;
  return true;
}
