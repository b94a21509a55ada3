// The text `archverify explain` prints for the drift rules: exactly which code
// patterns count as a call, an emission and a subscription.
export const DRIFT_DETAILS = `archverify reads each service's \`code:\` root (TypeScript files, without *.test.*,
*.spec.*, __tests__/, node_modules/, dist/, build/) and its \`handler:\` module, with the
compiler options of the nearest tsconfig.json, and compares what the code does with the spec.

Whose code: the files of a service's \`code:\` root are its own, unless another service
claims the same file (a module holding several services' handlers). Such a module, and a
handler module named without a code root, counts only through the code the handler export
reaches: the export's declaration and, transitively, the user functions, variables and
classes its code refers to (through imports too). So \`handlers.ts#order\` and
\`handlers.ts#payment\` in one file are judged separately.

Emissions (undeclared-emission, unused-emission): the \`type\` of every event in
  - the \`emit\` property of an object literal: \`return { state, emit: [...] }\`, or \`{ state, emit }\`
    with \`const emit = [...]\` and \`emit.push(e)\`;
  - \`x.emit.push(e)\`; calls of \`emit(e)\` / \`publish(e)\` (option \`emitters\` adds names), except
    EventEmitter-style calls whose first argument is a string (\`socket.emit("message", data)\`);
  - what a Decider's \`decide\` returns.
  An element counts by its type when the type checker gives one literal \`type\` (typed event
  constructors, helper functions, \`satisfies\`), else by the code: an object literal's \`type:\`
  (a literal, a const, an enum member, a conditional of those), followed through helper
  functions (their parameters bound to the call's arguments: \`event("OrderPlaced", id)\`),
  handler factories (\`handle: answer("Pong")\` binds \`answer\`'s parameters), variables,
  spreads, \`concat\`, conditionals, array callbacks (\`items.map(sku => ({ type: "ItemPicked" }))\`,
  \`flatMap\`, and \`filter\`/\`slice\`/\`sort\`/\`reverse\` of such arrays) and members of a
  \`const\` object (\`type: EventTypes.Picked\` with \`const EventTypes = { Picked: "Picked" }\`).
  Sites whose type cannot be told (a \`type\` built at run time) are reported by
  unresolved-emission (info) at the file and line, undeclared-emission does not judge them,
  and unused-emission does not judge that service.
  DEFINITE vs POSSIBLE: an emission is definite when the code names its type as above. When
  the type is known only as a member of a union-typed expression (\`emit: [event]\` with
  \`event: OrderPlaced | OrderCancelled\`, or \`{ type }\` with \`type: "A" | "B"\` not bound to a
  literal), the site emits ONE of them, so each is only possible:
  - undeclared-emission reports every definite undeclared type (error), and a union site only
    when NONE of its types is declared for the service (it is then wrong whichever it emits);
    a site that may emit a declared type is not judged on the others;
  - unused-emission counts possible emissions as uses: "the code emits none of the channel's
    events" is not proven while a site may emit one of them, and a false "unused" is the
    worse error. The price is a missed warning when a union is wider than what the code
    really sends. A possible emission never comes from another service's code (attribution
    above) nor from a \`type: string\` (that is an unknown site, which stops the judgement).

Subscriptions (undeclared-subscription, unused-subscription): from the handler's event
parameter (\`handle\`'s second, a Decider's \`decide\` first, \`evolve\` second when there is no
decide, a reducer's second) and the user functions it is passed to (their parameters bound
to the call's arguments). HANDLED (definite) are the explicit branches:
\`switch (event.type) { case "X": }\`, \`event.type === "X"\` (and !==, ==, !=),
\`["X", "Y"].includes(event.type)\`, \`const { type } = event\`, where "X" is a literal, a
constant or enum member of one literal type (\`a.type === event.type\`, a dedupe check,
names no type); and dispatch maps \`handlers[event.type]\`: the keys of the object literal
actually assigned to the map (a const's initializer, a class property's initializer and
\`this.handlers = ...\` in the class, what a factory function returns, the argument a
handler factory is given: \`handle: fromMap({ OrderPlaced: ... })\`), each reported at its
key. When those keys cannot be read (a map built at run time), only the keys its type
requires count (not the optional keys of a \`Partial<Record<...>>\`). ACCEPTED are the
literal \`type\`s of the event parameter's declared union (a Decider: decide's commands
and the events evolve accepts, which the runtime hands to evolve).
  - undeclared-subscription judges only the handled types: a parameter type that accepts more
    event types than the service is sent is not a bug (accepting more than you receive is
    harmless, and one \`DomainEvent\` union shared by every service is common);
  - unused-subscription reports a consumed channel none of whose events the handler handles
    or accepts (code after \`if (event.type === "A") return\` handles the rest, so the
    parameter's union counts, to avoid a false "unused"). It says nothing when the
    handler dispatches through a map whose keys cannot be read, nor when its parameter
    admits any \`type\` (\`type: string\`) and some path for a type it does not branch on
    does more than return the state unchanged (records the event, counts it, hands it on):
    such a handler handles whatever it is sent.

Sync calls (undeclared-call, unused-call), each only when the name is a service of the spec
(\`inventory\`, \`inventory-service\`, \`InventoryService\` and \`INVENTORY_SVC\` are equal):
  - \`callService("inventory", ...)\`, \`client.call("inventory", ...)\`: callees callService,
    invokeService, call, invoke, rpc with a string first argument (option \`callees\`);
  - \`new InventoryServiceClient()\` / \`new InventoryClient()\`, and constructor parameters of
    such a type, when the class or interface is declared in the project (hand-written, or a
    generated gRPC/OpenAPI client whose .ts/.d.ts is in the project), not in a package under
    node_modules: Slack's \`new WebClient()\` or Algolia's \`new SearchClient()\` call no
    service \`web\` or \`search\`;
  - \`createClient(InventoryService, ...)\` (createClient, createPromiseClient, createGrpcClient,
    createServiceClient; option \`clientFactories\`);
  - URLs in strings and templates (schemes http(s), grpc(s), ws(s), h2c) whose host is the
    service: a single-label host \`http://inventory[-service][:port][/...]\`, a Kubernetes
    service \`inventory.<namespace>.svc[.cluster.local]\`, a Consul service
    \`inventory.service[.<dc>].consul\`; not the first label of a public domain
    (\`https://api.stripe.com\` calls no service \`api\`). Option \`urlPatterns\`: regular
    expressions, group 1 = the service;
  - names read in expressions that end in URL, URI, HOST, ADDR, ADDRESS or ENDPOINT, in
    CONSTANT_CASE or in camelCase with the word Service: \`process.env.INVENTORY_URL\`,
    \`INVENTORY_SERVICE_HOST\`, \`config.inventoryServiceBaseUrl\` (not \`pageUrl\`;
    option \`namePatterns\`).
  unused-call judges only services with a \`code:\` root, and not calls to external services.`;
