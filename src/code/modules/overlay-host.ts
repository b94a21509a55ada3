// What module resolution asks of the file system, answered with the graph's
// knowledge on top of the real one.
import type { BuildOutputs } from "./build-outputs.js";
import type { CachedFileSystem, ModuleHost } from "./resolver.js";
import type { WorkspaceLinks } from "./workspaces.js";

/**
 * The file system as module resolution should see it: missing workspace links
 * in node_modules answered by the packages they would point to, and build
 * output of the graph's projects present whether built or not (see
 * workspaces.ts and build-outputs.ts).
 */
export class OverlayHost implements ModuleHost {
  readonly useCaseSensitiveFileNames: boolean;

  constructor(
    private readonly fs: CachedFileSystem,
    private readonly links: WorkspaceLinks | undefined,
    private readonly outputs: BuildOutputs | undefined,
  ) {
    this.useCaseSensitiveFileNames = fs.useCaseSensitiveFileNames;
  }

  private map(p: string): string {
    return this.links?.translate(p) ?? p;
  }

  fileExists(f: string): boolean {
    const p = this.map(f);
    return this.fs.fileExists(p) || (this.outputs?.isVirtualOutput(p) ?? false);
  }

  directoryExists(d: string): boolean {
    const p = this.map(d);
    return this.fs.directoryExists(p) || (this.links?.isVirtualFolder(p) ?? false) || (this.outputs?.isOutputFolder(p) ?? false);
  }

  realpath(p: string): string {
    return this.fs.realpath(this.map(p));
  }

  readFile(f: string): string | undefined {
    return this.fs.readFile(this.map(f));
  }

  getCurrentDirectory(): string {
    return this.fs.getCurrentDirectory();
  }
}

