// Which tsconfig governs each file, as the TypeScript language service decides
// it: the nearest tsconfig.json above the file (or the one given with
// --tsconfig); when that tsconfig has `references` and does not itself include
// the file (a solution-style root with `files: []`, create-vite's
// tsconfig.json naming tsconfig.app.json and tsconfig.node.json), the first
// project found by following `references` recursively that includes it. A
// file that no project includes keeps the nearest tsconfig's options.
import { dirname, resolve } from "node:path";
import { DEFAULT_TSCONFIG, findTsconfigUpward, listProjectFiles, loadTsconfig, type LoadedTsconfig } from "./tsconfig.js";

export class ProjectIndex {
  private readonly loaded = new Map<string, LoadedTsconfig>();
  private readonly nearestByDir = new Map<string, LoadedTsconfig>();
  private readonly included = new Map<LoadedTsconfig, Set<string>>();
  private readonly explicit: LoadedTsconfig | undefined;

  /** `explicit`: one tsconfig (with its references) in place of the nearest one for every file. */
  constructor(explicit?: string) {
    this.explicit = explicit === undefined ? undefined : this.load(resolve(explicit));
  }

  /** The tsconfig whose options resolve the imports of `file` (an absolute path). */
  configOf(file: string): LoadedTsconfig {
    const nearest = this.explicit ?? this.nearest(dirname(file));
    if (nearest.references.length === 0 || this.includes(nearest, file)) return nearest;
    return this.referencedOwner(nearest, file) ?? nearest;
  }

  /** Every tsconfig loaded so far (the nearest ones and the referenced projects read to place files). */
  configs(): LoadedTsconfig[] {
    return [...new Set([...this.loaded.values(), ...(this.explicit ? [this.explicit] : [])])];
  }

  private nearest(dir: string): LoadedTsconfig {
    let c = this.nearestByDir.get(dir);
    if (!c) {
      const file = findTsconfigUpward(dir);
      c = file === undefined ? DEFAULT_TSCONFIG : this.load(file);
      this.nearestByDir.set(dir, c);
    }
    return c;
  }

  private load(file: string): LoadedTsconfig {
    let c = this.loaded.get(file);
    if (!c) {
      c = loadTsconfig(file);
      this.loaded.set(file, c);
    }
    return c;
  }

  private includes(config: LoadedTsconfig, file: string): boolean {
    let files = this.included.get(config);
    if (!files) {
      files = new Set(listProjectFiles(config));
      this.included.set(config, files);
    }
    return files.has(file);
  }

  /** Depth first, in `references` order, each project once (references may form cycles). */
  private referencedOwner(root: LoadedTsconfig, file: string): LoadedTsconfig | undefined {
    const seen = new Set<LoadedTsconfig>([root]);
    const visit = (config: LoadedTsconfig): LoadedTsconfig | undefined => {
      for (const ref of config.references) {
        const child = this.load(ref);
        if (seen.has(child)) continue;
        seen.add(child);
        if (this.includes(child, file)) return child;
        const deeper = visit(child);
        if (deeper) return deeper;
      }
      return undefined;
    };
    return visit(root);
  }
}
