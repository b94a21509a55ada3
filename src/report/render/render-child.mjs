// Child process of the synchronous renderer (sync.ts): plain JS so it starts
// before any TypeScript loader exists; registers tsx, then renders.
import "../../../lib/register.js";
await import(new URL("./render-child-main.ts", import.meta.url).href);
