// rule/dependency, offline: a rule reading a recorded series (a `level:metric:operations` name) that
// no rule in the files given records (it stays empty unless another file records it), and a
// recording rule reading one recorded in another group (groups run independently, in no order, so
// it lags by up to an interval). The other half, a recording rule removed while rules still read
// it, is the diff's: `stressgate diff OLD NEW` flags it weaker.
import { referencedMetrics } from '../../diff/index.js';
import { objectOf, type ForeignCheck, type Problem } from '../context.js';

export const dependencyCheck: ForeignCheck = {
  id: 'rule/dependency',
  severity: 'warning',
  summary: 'a rule reading a recorded series no rule in these files records, or one recorded in another group',
  check: (ctx) => {
    const recordedIn = new Map<string, string>();
    for (const r of ctx.rules) if (r.kind === 'record' && !recordedIn.has(r.name)) recordedIn.set(r.name, r.group);
    const out: Problem[] = [];
    for (const rule of ctx.rules) {
      for (const metric of referencedMetrics(rule.expr)) {
        if (!metric.includes(':')) continue;
        const group = recordedIn.get(metric);
        if (group === undefined)
          out.push({
            file: rule.file,
            object: objectOf(rule),
            message: `reads ${metric}, a recorded series that no rule in these files records`,
            fix: `pass the file that records ${metric} too, or record it (a rule reading nothing ${rule.kind === 'alert' ? 'never fires' : 'records nothing'})`,
          });
        else if (rule.kind === 'record' && group !== rule.group)
          out.push({
            file: rule.file,
            object: objectOf(rule),
            message: `reads ${metric}, recorded in group ${group}: groups are evaluated independently, so it reads a value up to one interval old`,
            fix: `move ${rule.name} into group ${group}, after the rule recording ${metric}`,
          });
      }
    }
    return out;
  },
};
