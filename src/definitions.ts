// Loads every definition module so the platform's construct tree is complete, and returns it.
import './recording-rules/http.js';
import './recording-rules/realtime.js';
import './slos/index.js';
import './slos/burn-rate-rules.js';
import './alerts/slo.js';
import './alerts/realtime.js';
import './alerts/dependencies.js';
import './alerts/burn-rate.js';
import './alerts/routing.js';
import './alerts/gate-health.js';
import './alerts/rule-health.js';
import './dashboards/index.js';
import './cluster/index.js';

export { app } from './platform.js';
