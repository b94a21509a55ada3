// Reads one spec file as text, refusing what cannot be a YAML spec before
// parsing it: a missing path, a folder, a file above the size limit (checked
// before reading it), binary content (NUL bytes) and text that is not UTF-8.
import { closeSync, openSync, readdirSync, readSync, statSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { inputError, type ArchverifyError } from "../errors.js";
import { SPEC_FILE_NAMES } from "./discover.js";
import { displayPath } from "../util/paths.js";
import { didYouMean } from "./suggest.js";
import type { SourceLocation } from "./types.js";

/** Default largest spec file, in bytes. The YAML parser keeps about 100 bytes of
 * memory per byte of input, so a larger file is split with `include:`. */
export const DEFAULT_MAX_SPEC_BYTES = 16 * 1024 * 1024;

/** `ARCHVERIFY_MAX_SPEC_SIZE` (bytes, or with a KB/MB suffix) overrides the limit. */
export function maxSpecBytes(env: Record<string, string | undefined> = process.env): number {
  const raw = env.ARCHVERIFY_MAX_SPEC_SIZE?.trim();
  if (!raw) return DEFAULT_MAX_SPEC_BYTES;
  const m = /^(\d+(?:\.\d+)?)\s*(b|kb|k|mb|m)?$/i.exec(raw);
  if (!m) throw inputError(`ARCHVERIFY_MAX_SPEC_SIZE is "${raw}"`, { expected: "a size such as 32MB or 5000000" });
  const unit = (m[2] ?? "b").toLowerCase();
  const factor = unit.startsWith("m") ? 1024 * 1024 : unit.startsWith("k") ? 1024 : 1;
  return Math.floor(Number(m[1]) * factor);
}

export interface ReadOptions {
  maxBytes?: number;
  /** Where the file was named (an `include:` entry); problems with the file itself point there. */
  referencedAt?: SourceLocation;
  /** The path as the user wrote it, for messages (default: relative to the working directory). */
  shownAs?: string;
}

export function formatBytes(n: number): string {
  return n >= 1024 * 1024 ? `${(n / (1024 * 1024)).toFixed(1)} MB` : n >= 1024 ? `${(n / 1024).toFixed(1)} KB` : `${n} bytes`;
}

/** The text of a spec file, or an ArchverifyError saying why it cannot be one. */
export function readSpecText(file: string, options: ReadOptions = {}): string {
  const maxBytes = options.maxBytes ?? maxSpecBytes();
  const shown = options.shownAs ?? displayPath(file, process.cwd());
  const at = (message: string, details: { expected?: string; hint?: string } = {}): ArchverifyError =>
    inputError(message, { ...details, ...(options.referencedAt ? { location: options.referencedAt } : {}) });
  // A file named by an `include:` entry is introduced by the caller ("include x.yaml: the file ...").
  const subject = options.referencedAt ? "the file" : `spec file ${shown}`;
  const path = options.referencedAt ? "the path" : shown;
  let stat;
  try {
    stat = statSync(file);
  } catch (error) {
    throw unreadable(error, subject, at, () => nearbyFileHint(file));
  }
  if (stat.isDirectory()) {
    const inside = SPEC_FILE_NAMES.find((n) => isFile(join(file, n)));
    throw at(`${path} is a folder`, { expected: "a YAML spec file", ...(inside ? { hint: `did you mean ${join(shown, inside)}?` } : {}) });
  }
  if (!stat.isFile()) throw at(`${path} is not a regular file`, { expected: "a YAML spec file" });
  if (stat.size > maxBytes) {
    throw at(`${subject} is ${formatBytes(stat.size)}, above the ${formatBytes(maxBytes)} limit`, {
      expected: "a smaller spec",
      hint: "split it into several files with `include:`, or raise the limit with ARCHVERIFY_MAX_SPEC_SIZE=64MB",
    });
  }
  let bytes: Buffer;
  try {
    bytes = readAtMost(file, maxBytes + 1);
  } catch (error) {
    throw unreadable(error, subject, at);
  }
  if (bytes.length > maxBytes) throw at(`${subject} grew above the ${formatBytes(maxBytes)} limit while being read`);
  return decodeSpecBytes(bytes, file);
}

/** Why a spec file could not be opened or read, in words. */
function unreadable(
  error: unknown,
  subject: string,
  at: (message: string, details?: { expected?: string; hint?: string }) => ArchverifyError,
  nearby?: () => string | undefined,
): ArchverifyError {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  const expected = "the path of a YAML spec file";
  switch (code) {
    case "ENOENT":
    case "ENOTDIR": {
      const hint = nearby?.();
      return at(`${subject} does not exist`, { expected, ...(hint ? { hint } : {}) });
    }
    case "ELOOP":
      return at(`${subject} is a loop of symbolic links`, { expected, hint: "a link in the path leads back to itself" });
    case "EACCES":
    case "EPERM":
      return at(`${subject} cannot be read (permission denied)`, { expected: "a spec file you can read" });
    case "ENAMETOOLONG":
      return at(`the path of ${subject} is too long`, { expected });
    default:
      return at(`${subject} cannot be read (${code ?? (error instanceof Error ? error.message : String(error))})`, { expected });
  }
}

/** UTF-8 text of `bytes`; a NUL byte or an invalid UTF-8 sequence is an error at its position. */
export function decodeSpecBytes(bytes: Uint8Array, file: string): string {
  const nul = bytes.indexOf(0);
  if (nul >= 0) {
    const utf16 = (bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff);
    throw inputError(utf16 ? "the spec is UTF-16 text" : "the spec is a binary file (it contains a NUL byte)", {
      location: locationOfByte(bytes, utf16 ? 0 : nul, file),
      expected: "a UTF-8 YAML text file",
    });
  }
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    const bad = firstInvalidUtf8(bytes);
    throw inputError(`the spec is not valid UTF-8 (byte 0x${(bytes[bad] ?? 0).toString(16).padStart(2, "0")} at offset ${bad})`, {
      location: locationOfByte(bytes, bad, file),
      expected: "a UTF-8 YAML text file",
      hint: "re-save the file as UTF-8",
    });
  }
}

function readAtMost(file: string, limit: number): Buffer {
  const fd = openSync(file, "r");
  try {
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const chunk = Buffer.allocUnsafe(Math.min(1 << 20, limit - total));
      if (chunk.length === 0) break;
      const n = readSync(fd, chunk, 0, chunk.length, null);
      if (n === 0) break;
      chunks.push(chunk.subarray(0, n));
      total += n;
    }
    return Buffer.concat(chunks, total);
  } finally {
    closeSync(fd);
  }
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

function nearbyFileHint(file: string): string | undefined {
  try {
    const dir = dirname(file);
    return didYouMean(basename(file), readdirSync(dir));
  } catch {
    return undefined;
  }
}

/** 1-based line and column (in characters, as far as the bytes before it decode) of byte `offset`. */
function locationOfByte(bytes: Uint8Array, offset: number, file: string): SourceLocation {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset; i++) {
    if (bytes[i] === 0x0a) {
      line++;
      lineStart = i + 1;
    }
  }
  const before = new TextDecoder("utf-8").decode(bytes.subarray(lineStart, offset));
  return { file, line, column: [...before].length + 1 };
}

/** Offset of the first byte that does not belong to a well-formed UTF-8 sequence. */
export function firstInvalidUtf8(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i] ?? 0;
    let need: number;
    let min: number;
    if (b < 0x80) {
      i++;
      continue;
    } else if (b >= 0xc2 && b <= 0xdf) [need, min] = [1, 0x80];
    else if (b >= 0xe0 && b <= 0xef) [need, min] = [2, 0x800];
    else if (b >= 0xf0 && b <= 0xf4) [need, min] = [3, 0x10000];
    else return i;
    let cp = b & (need === 1 ? 0x1f : need === 2 ? 0x0f : 0x07);
    for (let k = 1; k <= need; k++) {
      const c = bytes[i + k];
      if (c === undefined || (c & 0xc0) !== 0x80) return i;
      cp = (cp << 6) | (c & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return i;
    i += need + 1;
  }
  return bytes.length;
}
