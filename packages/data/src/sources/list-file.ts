import { DatasetError, ListConflictError, type OnError, type Problem } from '../errors';
import type { FileEntry } from './file-dataset';

/**
 * Largest list (or pairs) file read by default, in bytes: 256 MiB, ten million lines of 25 bytes
 * (MS1M's 5.8 M images fit), and half of V8's longest string, so the text always decodes.
 */
export const DEFAULT_MAX_LIST_BYTES = 256 * 1024 * 1024;

/** Splits one CSV line (RFC 4180 quoting: "a,b" and "" for a quote); null if a quote is unclosed. */
function csvFields(line: string): string[] | null {
  const fields: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"' && field === '') quoted = true;
    else if (ch === ',') {
      fields.push(field);
      field = '';
    } else field += ch;
  }
  if (quoted) return null;
  fields.push(field);
  return fields;
}

export interface ParseImageListOptions {
  /** Name of the list in problem reports. Default 'list'. */
  source?: string;
  /** Malformed lines: throw a DatasetError (default) or skip them into `problems`. */
  onError?: OnError;
  /**
   * The file a path names: duplicates are found by it, and entries carry it as their path
   * (ImageList resolves paths against the list's root, so `a.jpg` and `./a.jpg` are one file).
   * Default: the path as written.
   */
  fileOf?: (path: string) => string;
}

/**
 * Reads a list file: one `path,label` line per image (label: identity name or number), an
 * optional `path,label` header, blank lines ignored, fields quoted as in CSV when they hold commas.
 * A malformed line is reported as `<source>:<line>`. A file listed twice with the same label is
 * kept once (the repeat goes into `problems`); a file listed under two labels throws a
 * ListConflictError naming both lines, whatever `onError` says.
 */
export function parseImageList(
  text: string,
  options: ParseImageListOptions = {},
): { entries: FileEntry[]; problems: Problem[] } {
  const { source = 'list', onError = 'throw', fileOf = (p: string) => p } = options;
  const entries: FileEntry[] = [];
  const seen = new Map<string, { line: number; label: string }>();
  const problems: Problem[] = [];
  const lines = String(text).split(/\r?\n/);
  lines.forEach((raw, i) => {
    if (raw.trim() === '') return;
    const fields = csvFields(raw);
    const where = `${source}:${i + 1}`;
    let reason: string | null = null;
    if (!fields) reason = 'unclosed quote';
    else if (fields.length !== 2) reason = `expected 2 fields (path,label), got ${fields.length}`;
    else if (fields[0].trim() === '' || fields[1].trim() === '') reason = 'empty path or label';
    if (reason === null && fields) {
      const [path, label] = fields.map((f) => f.trim());
      if (i === 0 && path.toLowerCase() === 'path' && label.toLowerCase() === 'label') return;
      const file = fileOf(path);
      const first = seen.get(file);
      if (first && first.label !== label)
        throw new ListConflictError(
          where,
          `${JSON.stringify(path)} is listed as ${JSON.stringify(first.label)} at line ${first.line} ` +
            `and as ${JSON.stringify(label)} at line ${i + 1}: one image, two identities (fix the list)`,
          [first.line, i + 1],
        );
      if (first) {
        problems.push({ path: where, reason: `duplicate of line ${first.line}, listed once` });
        return;
      }
      seen.set(file, { line: i + 1, label });
      entries.push({ path: file, identity: label });
      return;
    }
    if (onError === 'throw') throw new DatasetError(where, `${reason}: ${JSON.stringify(raw)}`);
    problems.push({ path: where, reason: reason as string });
  });
  return { entries, problems };
}
