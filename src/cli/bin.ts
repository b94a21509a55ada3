// Process entry: run main, set the exit code, and turn an unexpected crash
// into a short message (the stack only with --debug).
import { main } from "./main.js";
import { processIO } from "./io.js";

const argv = process.argv.slice(2);
try {
  process.exitCode = await main(argv, processIO());
} catch (error) {
  const debug = argv.includes("--debug");
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(`archverify: internal error: ${message}\n`);
  process.stderr.write(debug && error instanceof Error && error.stack ? `${error.stack}\n` : "Run again with --debug for the stack trace, and please report it.\n");
  process.exitCode = 2;
}
