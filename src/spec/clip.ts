// Names and values quoted in messages are cut to a readable length: a file
// that is not a spec (a key file, a password file named by `include:`) must
// not have its lines echoed whole into a terminal or a CI log.

export const MAX_QUOTED_CHARS = 60;

/** `text` itself, or its first characters and "..." when it is longer than `max`. */
export function clip(text: string, max = MAX_QUOTED_CHARS): string {
  if (text.length <= max) return text;
  const chars = [...text];
  return chars.length <= max ? text : `${chars.slice(0, max - 3).join("")}...`;
}
