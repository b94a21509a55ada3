// Worker bootstrap (plain JS, so it runs before any TypeScript loader exists):
// register tsx for this thread, then hand over to the TypeScript side.
import "../../../lib/register.js";
await import(new URL("./sandbox-worker-main.ts", import.meta.url).href);
