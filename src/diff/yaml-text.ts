// YAML as Prometheus reads it. promtool parses rule files with go-yaml, which accepts a multi-line
// quoted scalar whose continuation lines start left of the key (column 0, as in
// samber/awesome-prometheus-alerts' HostContextSwitchingHigh). The `yaml` package follows the spec
// there: its lexer ends the quoted scalar at the unindent ("Missing closing 'quote"), and no option
// turns that off. Re-indenting those continuation lines does not change the scalar's value (line
// folding drops a continuation line's leading spaces), so we indent them and parse again.
import { parseAllDocuments, type Document } from 'yaml';

/** The quoted scalar starting at `open` (a quote character): the offset of its closing quote. */
function closingQuote(text: string, open: number): number {
  const quote = text[open];
  for (let i = open + 1; i < text.length; i++) {
    if (quote === "'" && text[i] === "'") {
      if (text[i + 1] === "'") i++;
      else return i;
    } else if (quote === '"' && text[i] === '\\') i++;
    else if (quote === '"' && text[i] === '"') return i;
  }
  return -1;
}

/** Indents the under-indented continuation lines of every multi-line quoted scalar that follows `key: `. */
export function reindentQuotedScalars(text: string): string {
  const lines = text.split('\n');
  const out: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    out.push(line);
    const m = /^(\s*(?:- )?)[^\s#'"][^:#]*:\s+(['"])/.exec(line);
    if (!m) continue;
    const start = m[0].length - 1;
    if (closingQuote(line, start) >= 0) continue;
    // The scalar goes on: indent its continuation lines to one past the key's column.
    const indent = ' '.repeat(m[1]!.length + 2);
    const rest = lines.slice(i + 1).join('\n');
    const end = closingQuote(`${line.slice(start)}\n${rest}`, 0);
    if (end < 0) continue;
    const taken = `${line.slice(start)}\n${rest}`.slice(0, end).split('\n').length - 1;
    for (let j = 1; j <= taken; j++) {
      const c = lines[i + j]!;
      out.push(c.trim() === '' || c.startsWith(indent) ? c : `${indent}${c.trimStart()}`);
    }
    i += taken;
  }
  return out.join('\n');
}

const firstError = (docs: Document.Parsed[]) => docs.find((d) => d.errors.length)?.errors[0];

/** Every document of `text`; throws the first error (its message's first line) if it does not parse. */
export function parseYamlDocuments(text: string): unknown[] {
  let docs = parseAllDocuments(text);
  if (firstError(docs)) {
    const repaired = parseAllDocuments(reindentQuotedScalars(text));
    if (!firstError(repaired)) docs = repaired;
  }
  const bad = firstError(docs);
  if (bad) throw new Error(bad.message.split('\n')[0]);
  return docs.map((d) => d.toJS() as unknown);
}

/** A single-document YAML file (an empty file is `null`). */
export function parseYamlText(text: string): unknown {
  const docs = parseYamlDocuments(text);
  if (docs.length > 1) throw new Error('expected one YAML document, found several');
  return docs[0] ?? null;
}
