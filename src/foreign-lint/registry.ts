// The foreign-file lint's one list of checks: pint's offline checks, for rule files of any team,
// with no catalog (docs/diff.md, "Other teams' rule files"). Adding a check means adding it here.
import type { ForeignCheck } from './context.js';
import { dependencyCheck } from './checks/dependency.js';
import { fragileCheck } from './checks/fragile.js';
import { impossibleCheck } from './checks/impossible.js';
import { nanCheck } from './checks/nan.js';
import { rangeCheck } from './checks/range.js';
import { regexpCheck } from './checks/regexp.js';
import { templateCheck } from './checks/template.js';

export const FOREIGN_CHECKS: readonly ForeignCheck[] = [
  fragileCheck,
  templateCheck,
  impossibleCheck,
  nanCheck,
  regexpCheck,
  dependencyCheck,
  rangeCheck,
];
