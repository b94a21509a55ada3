// Runs madge 8 through its API (what its CLI does for --circular) and prints
// the dependency graph and the cycles it found as one JSON object.
import madge from "madge";

const [dir, tsConfig] = process.argv.slice(2);
const result = await madge(dir, {
  tsConfig,
  fileExtensions: ["ts", "tsx", "mts", "cts"],
  // Count type-only imports too, so every tool analyses the same graph.
  detectiveOptions: { ts: { skipTypeImports: false }, tsx: { skipTypeImports: false } },
});
process.stdout.write(JSON.stringify({ graph: result.obj(), circular: result.circular() }));
