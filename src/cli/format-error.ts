// One paragraph per problem: `file:line:column: what is wrong; expected ...`.
import { ArchverifyError, ArchverifyErrors } from "../errors.js";
import { displayPath } from "../util/paths.js";

export function formatUserError(error: ArchverifyError | ArchverifyErrors, cwd: string): string {
  const list = error instanceof ArchverifyErrors ? error.errors : [error];
  return list.map((e) => formatOne(e, cwd)).join("");
}

function formatOne(e: ArchverifyError, cwd: string): string {
  const where = e.location ? `${displayPath(e.location.file, cwd)}:${e.location.line}:${e.location.column}: ` : "archverify: ";
  let text = `${where}${e.message}`;
  if (e.expected) text += `; expected ${e.expected}`;
  if (e.hint) text += `. ${e.hint}`;
  return `${text}\n`;
}
