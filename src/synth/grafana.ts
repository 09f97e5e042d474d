// Grafana provisioning: one JSON file per dashboard, the file provider, and the datasources whose
// uids the dashboards' datasource variables default to.
import type { Construct } from '../constructs/construct.js';
import { Dashboard } from '../constructs/dashboard.js';
import type { Rendered } from './claims.js';
import { toJson, toYaml } from './serialize.js';

export const GRAFANA_DIR = 'infra/grafana/provisioning';
export const DASHBOARD_DIR = `${GRAFANA_DIR}/dashboards`;

/** One file per dashboard, owned by its construct. */
export function renderDashboards(root: Construct): Rendered[] {
  return root
    .findAll(Dashboard)
    .map((d) => ({ path: `${DASHBOARD_DIR}/${d.uid}.json`, content: toJson(d.build()), owner: d.path, site: d }));
}

/** The dashboard provider and datasources: owned by this module, not by a construct. */
export function renderGrafanaProvisioning(): Map<string, string> {
  const files = new Map<string, string>();
  files.set(
    `${DASHBOARD_DIR}/dashboards.yml`,
    toYaml(
      {
        apiVersion: 1,
        providers: [
          {
            name: 'stressgate',
            folder: 'Release gate',
            type: 'file',
            disableDeletion: true,
            allowUiUpdates: false,
            updateIntervalSeconds: 30,
            // Where docker compose mounts infra/grafana/provisioning.
            options: { path: '/etc/grafana/provisioning/dashboards', foldersFromFilesStructure: false },
          },
        ],
      },
      'src/synth/grafana.ts',
    ),
  );
  files.set(
    `${GRAFANA_DIR}/datasources/datasources.yml`,
    toYaml(
      {
        apiVersion: 1,
        datasources: [
          // Grafana expands $VAR in provisioning files from its environment.
          {
            name: 'Prometheus',
            uid: 'prometheus',
            type: 'prometheus',
            access: 'proxy',
            url: '$PROMETHEUS_URL',
            isDefault: true,
            jsonData: { timeInterval: '15s' },
          },
          { name: 'Loki', uid: 'loki', type: 'loki', access: 'proxy', url: '$LOKI_URL' },
        ],
      },
      'src/synth/grafana.ts',
    ),
  );
  return files;
}
