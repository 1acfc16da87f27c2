import { DatasetError, type OnError, type Problem } from '../errors';
import type { FileEntry } from './file-dataset';

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
}

/**
 * Reads a list file: one `path,label` line per image (label: identity name or number), an
 * optional `path,label` header, blank lines ignored, fields quoted as in CSV when they hold commas.
 * A malformed line is reported as `<source>:<line>`.
 */
export function parseImageList(
  text: string,
  options: ParseImageListOptions = {},
): { entries: FileEntry[]; problems: Problem[] } {
  const { source = 'list', onError = 'throw' } = options;
  const entries: FileEntry[] = [];
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
      entries.push({ path, identity: label });
      return;
    }
    if (onError === 'throw') throw new DatasetError(where, `${reason}: ${JSON.stringify(raw)}`);
    problems.push({ path: where, reason: reason as string });
  });
  return { entries, problems };
}
