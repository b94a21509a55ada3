// Reports are written to a temporary file beside the target and renamed, so a
// reader never sees half a report and a crash leaves the old one in place.
// A missing folder is created; anything else in the way (a file where a folder
// should be, no permission, a read-only disk) is an environment error naming
// the path and the problem, not a crash.
import { mkdirSync, renameSync, rmSync, statSync, writeFileSync, type Stats } from "node:fs";
import { basename, dirname, join } from "node:path";
import { ArchverifyError } from "../errors.js";

export function writeFileAtomic(target: string, content: string | Uint8Array): void {
  const existing = statOf(target);
  if (existing?.isDirectory()) throw cannotWrite(target, "it is a folder");
  if (existing && !existing.isFile()) {
    // A device or a pipe (/dev/null, /dev/stdout, a FIFO): renaming over it would replace it, so write into it.
    // A reader that closed the pipe early (`--output /dev/stdout | head`) is not an error.
    attempt(target, () => {
      try {
        writeFileSync(target, content);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== "EPIPE") throw error;
      }
    });
    return;
  }
  const dir = dirname(target);
  attempt(target, () => mkdirSync(dir, { recursive: true }), dir);
  const temp = join(dir, `.${basename(target)}.${process.pid}.${Date.now()}.tmp`);
  try {
    attempt(target, () => writeFileSync(temp, content), dir);
    attempt(target, () => renameSync(temp, target));
  } catch (error) {
    rmSync(temp, { force: true });
    throw error;
  }
}

function attempt(target: string, action: () => void, folder?: string): void {
  try {
    action();
  } catch (error) {
    throw cannotWrite(target, reason(error, folder), error);
  }
}

function cannotWrite(target: string, why: string, cause?: unknown): ArchverifyError {
  return new ArchverifyError("environment", `cannot write ${target}: ${why}`, {
    expected: "the path of a file in a folder you can write (a missing folder is created)",
    ...(cause === undefined ? {} : { cause }),
  });
}

/** What an fs error means for the user; `folder` is the folder being created or written into, if any. */
function reason(error: unknown, folder?: string): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  const inFolder = folder === undefined ? "" : ` in ${folder}`;
  switch (code) {
    case "EEXIST":
    case "ENOTDIR": {
      const blocker = folder === undefined ? undefined : firstNonFolder(folder);
      return blocker ? `${blocker} is a file, not a folder` : "a part of the path is a file, not a folder";
    }
    case "EACCES":
    case "EPERM":
      return `permission denied${inFolder}`;
    case "EROFS":
      return "the file system is read-only";
    case "ENOSPC":
    case "EDQUOT":
      return "no space left on the device";
    case "EISDIR":
      return "it is a folder";
    case "ENAMETOOLONG":
      return "the path is too long";
    case "ENOENT":
      return folder === undefined ? "the path went away while it was being written" : `files cannot be created${inFolder}`;
    default:
      return error instanceof Error ? error.message : String(error);
  }
}

/** The deepest existing ancestor of `dir` (or `dir` itself) when it is not a folder. */
function firstNonFolder(dir: string): string | undefined {
  for (let d = dir; ; d = dirname(d)) {
    const stat = statOf(d);
    if (stat) return stat.isDirectory() ? undefined : d;
    if (dirname(d) === d) return undefined;
  }
}

function statOf(path: string): Stats | undefined {
  try {
    return statSync(path);
  } catch {
    return undefined;
  }
}
