// The lint's "did you mean" comes from the kernel, where the CLI's option and command suggestions find it too.
export { closest, closestMetric, editDistance } from '../kernel/suggest.js';
