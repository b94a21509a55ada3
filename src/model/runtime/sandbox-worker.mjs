// Worker bootstrap (plain JS, so it runs before any TypeScript loader exists):
// register tsx for this thread, then hand over to the TypeScript side.
import { register } from "tsx/esm/api";

register();
await import(new URL("./sandbox-worker-main.ts", import.meta.url).href);
