// The text `archverify explain` prints for the drift rules: exactly which code
// patterns count as a call, an emission and a subscription.
export const DRIFT_DETAILS = `archverify reads each service's \`code:\` root (TypeScript files, without *.test.*,
*.spec.*, __tests__/, node_modules/, dist/, build/) and its \`handler:\` module, with the
compiler options of the nearest tsconfig.json, and compares what the code does with the spec.

Emissions (undeclared-emission, unused-emission): the \`type\` of every event in
  - the \`emit\` property of an object literal: \`return { state, emit: [...] }\`, or \`{ state, emit }\`
    with \`const emit = [...]\` and \`emit.push(e)\`;
  - \`x.emit.push(e)\`; calls of \`emit(e)\` / \`publish(e)\` (option \`emitters\` adds names), except
    EventEmitter-style calls whose first argument is a string (\`socket.emit("message", data)\`);
  - what a Decider's \`decide\` returns.
  An element counts by its type when the type checker gives literal \`type\`s (typed event
  constructors, helper functions, \`satisfies\`), else by the code: an object literal's \`type:\`
  (a literal, a const, an enum member), followed through helper functions, variables, spreads,
  \`concat\` and conditionals. Sites whose type cannot be told are skipped, and then
  unused-emission does not judge that service.

Subscriptions (undeclared-subscription, unused-subscription): from the handler's event
parameter (\`handle\`'s second, a Decider's \`decide\` first / \`evolve\` second, a reducer's
second) and the user functions it is passed to: \`switch (event.type) { case "X": }\`,
\`event.type === "X"\` (and !==, ==, !=), \`["X", "Y"].includes(event.type)\`,
\`const { type } = event\`, and dispatch maps \`handlers[event.type]\`. With no such branch,
the literal \`type\`s of the event parameter's declared union. unused-subscription reports a
consumed channel none of whose events the handler branches on or its parameter type accepts.

Sync calls (undeclared-call, unused-call), each only when the name is a service of the spec
(\`inventory\`, \`inventory-service\`, \`InventoryService\` and \`INVENTORY_SVC\` are equal):
  - \`callService("inventory", ...)\`, \`client.call("inventory", ...)\`: callees callService,
    invokeService, call, invoke, rpc with a string first argument (option \`callees\`);
  - \`new InventoryServiceClient()\` / \`new InventoryClient()\`, and constructor parameters of
    such a type;
  - \`createClient(InventoryService, ...)\` (createClient, createPromiseClient, createGrpcClient,
    createServiceClient; option \`clientFactories\`);
  - URLs \`http(s)|grpc(s)|ws(s)|h2c://inventory[-service][:port][/...]\` in strings and templates
    (option \`urlPatterns\`: regular expressions, group 1 = the service);
  - names read in expressions that end in URL, URI, HOST, ADDR, ADDRESS or ENDPOINT, in
    CONSTANT_CASE or in camelCase with the word Service: \`process.env.INVENTORY_URL\`,
    \`INVENTORY_SERVICE_HOST\`, \`config.inventoryServiceBaseUrl\` (not \`pageUrl\`;
    option \`namePatterns\`).
  unused-call judges only services with a \`code:\` root, and not calls to external services.`;
