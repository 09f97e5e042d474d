// promql/regexp: a regexp matcher with nothing of a regexp in it (`job=~"api"` is `job="api"`, and
// cheaper), or with `^`/`$` anchors, which Prometheus adds anyway (`=~"^api$"` is `=~"^^api$$"`).
import { selectors } from '../../kernel/promql.js';
import { objectOf, type ForeignCheck, type Problem } from '../context.js';

const SPECIAL = /[.*+?()[\]{}|\\^$]/;

export const regexpCheck: ForeignCheck = {
  id: 'promql/regexp',
  severity: 'warning',
  summary: 'a regexp matcher that should be an equality, or anchored with ^/$ (Prometheus anchors regexps itself)',
  check: (ctx) => {
    const out: Problem[] = [];
    for (const rule of ctx.rules) {
      for (const s of selectors(rule.expr)) {
        for (const m of [...s.matchers, ...(s.nameMatcher ? [s.nameMatcher] : [])]) {
          if (m.op !== '=~' && m.op !== '!~') continue;
          const eq = m.op === '=~' ? '=' : '!=';
          const where = `${s.metric || '{...}'}{${m.label}${m.op}"${m.value}"}`;
          if (!SPECIAL.test(m.value))
            out.push({
              file: rule.file,
              object: objectOf(rule),
              message: `${where}: the regexp has no special characters, so it matches one value only`,
              fix: `write ${m.label}${eq}"${m.value}" (an equality is cheaper than a regexp)`,
            });
          else if (m.value.startsWith('^') || (m.value.endsWith('$') && !m.value.endsWith('\\$')))
            out.push({
              file: rule.file,
              object: objectOf(rule),
              message: `${where}: the ^ and $ anchors are redundant, Prometheus anchors every regexp`,
              fix: `write ${m.label}${m.op}"${m.value.replace(/^\^/, '').replace(/(?<!\\)\$$/, '')}"`,
            });
        }
      }
    }
    return out;
  },
};
