#!/usr/bin/env node
// Runs the TypeScript sources through tsx: archverify loads users' .ts handlers
// the same way, so no build step is asked of anyone.
import "../lib/register.js";
await import("../src/cli/bin.ts");
