// Every dashboard module, in the order they appear in Grafana's folder.
import './release-gate.js';
import './error-budget.js';
import './api-overview.js';
import './dependencies.js';
import './realtime.js';
import './notifications.js';
import './games.js';
import './runtime.js';
