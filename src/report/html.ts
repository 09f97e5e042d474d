// The report's Markdown rendered (marked, GitHub-flavoured: tables and task lists) into one styled,
// self-contained page: status words coloured wherever they stand in a table or in bold,
// the charts inline SVG so the PDF keeps them as vectors.
import { Marked, type Tokens } from 'marked';
import type { Badge } from './checklist.js';

/** Status words and their colour class; anything that is not PASS is never green. */
const STATUS: readonly [RegExp, 'pass' | 'fail' | 'warn'][] = [
  [/^(Report: )?PASS\b/, 'pass'],
  [/^(Report: )?(FAIL|NOT MEASURED)\b/, 'fail'],
  [/^(Report: )?(INCOMPLETE|PARTIAL|MISSING|UNKNOWN|NO VERDICT)\b/, 'warn'],
];
export const statusClass = (text: string): 'pass' | 'fail' | 'warn' | null => {
  const plain = text.replace(/[*`_]/g, '').trim();
  return STATUS.find(([re]) => re.test(plain))?.[1] ?? null;
};

const slug = (s: string) =>
  s
    .toLowerCase()
    .replace(/<[^>]*>/g, '')
    .replace(/&[a-z]+;/g, '')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');

const marked = new Marked({ gfm: true }).use({
  renderer: {
    heading({ tokens, depth }: Tokens.Heading) {
      const html = this.parser.parseInline(tokens);
      return `<h${depth} id="${slug(html)}">${html}</h${depth}>\n`;
    },
    tablecell(token: Tokens.TableCell) {
      const tag = token.header ? 'th' : 'td';
      const cls = token.header ? null : statusClass(token.text);
      const attrs = `${token.align ? ` align="${token.align}"` : ''}${cls ? ` class="status ${cls}"` : ''}`;
      return `<${tag}${attrs}>${this.parser.parseInline(token.tokens)}</${tag}>\n`;
    },
    strong({ tokens, text }: Tokens.Strong) {
      const cls = statusClass(text);
      return `<strong${cls ? ` class="status ${cls}"` : ''}>${this.parser.parseInline(tokens)}</strong>`;
    },
  },
});

export function markdownToHtml(markdown: string): string {
  return marked.parse(markdown, { async: false });
}

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

const CSS = `
:root{--pass:#1b7f3b;--fail:#c62828;--warn:#b26a00;--line:#d0d7de}
*{box-sizing:border-box}
body{font-family:"DejaVu Sans",system-ui,sans-serif;margin:0;color:#1f2328;font-size:14px;line-height:1.45;-webkit-print-color-adjust:exact;print-color-adjust:exact}
.top{display:flex;gap:1rem;align-items:center;padding:.8rem 2rem;border-bottom:1px solid var(--line);background:#f6f8fa}
.badge{padding:.35rem .9rem;border-radius:4px;color:#fff;font-weight:bold;letter-spacing:.04em}
.badge.pass{background:var(--pass)}.badge.fail{background:var(--fail)}.badge.warn{background:var(--warn)}
main{max-width:1000px;margin:0 auto;padding:1rem 2rem 3rem}
h1{font-size:1.6rem;margin:.6rem 0}h2{font-size:1.25rem;border-bottom:1px solid var(--line);padding-bottom:.25rem;margin-top:2rem}h3{font-size:1.05rem}
table{border-collapse:collapse;margin:.6rem 0;font-size:12.5px;width:auto;max-width:100%}
th,td{border:1px solid var(--line);padding:.3rem .55rem;vertical-align:top}
/* A header word is never split ("sample s"); a cell's long token (a path, a command) breaks only when it must. */
th{background:#f6f8fa;text-align:left;word-break:normal;overflow-wrap:normal;hyphens:manual}
td{overflow-wrap:break-word}
td.status{font-weight:bold;color:#fff}
td.status.pass{background:var(--pass)}td.status.fail{background:var(--fail)}td.status.warn{background:var(--warn)}
strong.status.pass{color:var(--pass)}strong.status.fail{color:var(--fail)}strong.status.warn{color:var(--warn)}
code{background:#f0f2f4;padding:.05rem .3rem;border-radius:3px;font-size:12px}
ul.contains-task-list,ul:has(> li > input[type=checkbox]){list-style:none;padding-left:.4rem}
li{margin:.25rem 0}
.charts{display:grid;grid-template-columns:1fr;gap:.8rem;margin:1rem 0}
svg.chart{max-width:100%;height:auto;border:1px solid var(--line);border-radius:4px;background:#fff}
@page{size:A4;margin:14mm 12mm 16mm}
@media print{
  .top{padding:.4rem 0;background:none}
  main{max-width:none;padding:0}
  /* Sections flow on: a page per section left most pages near-empty. What fits a page stays whole. */
  h2{margin-top:1.2rem}
  h2,h3{break-after:avoid}
  table,svg.chart,tr,li{break-inside:avoid}
  thead{display:table-header-group}
}
`;

export interface PageHeader {
  readonly title: string;
  readonly badge: Badge;
  /** The gate verdict the report rests on, e.g. `PASS` (profile moderate); `NO VERDICT` when none. */
  readonly verdict: string;
  readonly profile: string | null;
}

export function reportHtml(markdown: string, header: PageHeader): string {
  const badgeClass = { PASS: 'pass', FAIL: 'fail', INCOMPLETE: 'warn' }[header.badge];
  const verdictClass = statusClass(header.verdict) ?? 'warn';
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${esc(header.title)}</title>
<style>${CSS}</style></head><body>
<header class="top"><span>Report</span><span class="badge ${badgeClass}" id="badge">${header.badge}</span>
<span>Gate verdict</span><span class="badge ${verdictClass}" id="verdict">${esc(header.verdict)}</span>
<span>${header.profile ? `profile ${esc(header.profile)}` : ''}</span></header>
<main>
${markdownToHtml(markdown)}
</main>
</body></html>
`;
}
