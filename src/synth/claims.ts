// Every generated file has exactly one owner. Two constructs rendering the same path would silently
// overwrite each other, and the loser's old file would be removed as stale; synthesis refuses
// instead, naming both constructs. (Two dashboards with one uid are caught earlier, by a Dashboard
// validation.)
import { DefinitionError, type DefinitionSite } from '../constructs/construct.js';

/** Who renders a file: a construct path, or the generator module for files no construct owns. */
export interface Rendered {
  readonly path: string;
  readonly content: string;
  readonly owner: string;
  /** The construct that renders it, when one does (its source line goes into errors). */
  readonly site?: DefinitionSite;
}

export class FileClaims {
  private readonly files = new Map<string, Rendered>();

  add(file: Rendered): void {
    const first = this.files.get(file.path);
    if (first)
      throw new DefinitionError(
        file.site ?? { path: file.owner },
        'id',
        `renders ${file.path}, which ${first.owner} renders too; give one of them another id`,
      );
    this.files.set(file.path, file);
  }

  addAll(owner: string, files: ReadonlyMap<string, string>): void {
    for (const [path, content] of files) this.add({ path, content, owner });
  }

  /** The claimed files by path, sorted. */
  toMap(): Map<string, string> {
    return new Map(
      [...this.files.values()].sort((a, b) => a.path.localeCompare(b.path)).map((f) => [f.path, f.content]),
    );
  }
}
