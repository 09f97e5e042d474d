// The cluster's AlertmanagerConfig routes like infra/alertmanager/alertmanager.yml: rebuilt into an
// Alertmanager config the way Prometheus Operator does (a namespace matcher on the route and on both
// sides of every inhibit rule), amtool must send every alert of the definitions to the same receivers
// as the VM's config, and the inhibitions must be the VM's, scoped to the namespace.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parse, stringify } from 'yaml';
import { routing } from '../../src/alerts/routing.js';
import { synthesize } from '../../src/synth/index.js';
import { app } from '../../src/definitions.js';
import { alertLabelSets, amtoolReceivers, writeTemp } from '../alerts/alertmanager-harness.js';

const NAMESPACE = 'stressgate-staging';
const files = await synthesize(app);
const manifest = parse(files.get('infra/kubernetes/base/alertmanagerconfig-stressgate.yaml')!) as any;
const vm = parse(files.get('infra/alertmanager/alertmanager.yml')!) as any;

type OperatorMatcher = { name: string; value: string; matchType: string };
const matcher = (m: OperatorMatcher) => `${m.name}${m.matchType}${JSON.stringify(m.value)}`;
const scoped = (ms: readonly OperatorMatcher[]) => [`namespace="${NAMESPACE}"`, ...ms.map(matcher)];

/** What the operator makes of the resource (its OnNamespace matcher strategy), as plain Alertmanager config. */
function asAlertmanagerConfig(spec: any): Record<string, unknown> {
  const route = (r: any): Record<string, unknown> => ({
    receiver: r.receiver,
    ...(r.matchers ? { matchers: r.matchers.map(matcher) } : {}),
    ...(r.continue ? { continue: true } : {}),
    ...(r.groupBy ? { group_by: r.groupBy } : {}),
    ...(r.groupWait ? { group_wait: r.groupWait } : {}),
    ...(r.groupInterval ? { group_interval: r.groupInterval } : {}),
    ...(r.repeatInterval ? { repeat_interval: r.repeatInterval } : {}),
    ...(r.routes ? { routes: r.routes.map(route) } : {}),
  });
  const top = route(spec.route);
  return {
    route: { receiver: 'outside-namespace', routes: [{ ...top, matchers: [`namespace="${NAMESPACE}"`] }] },
    inhibit_rules: spec.inhibitRules.map((r: any) => ({
      source_matchers: scoped(r.sourceMatch),
      target_matchers: scoped(r.targetMatch),
      equal: r.equal,
    })),
    receivers: [
      { name: 'outside-namespace' },
      ...spec.receivers.map((r: any) => ({
        name: r.name,
        ...(r.webhookConfigs
          ? { webhook_configs: r.webhookConfigs.map((w: any) => ({ url: w.url, send_resolved: w.sendResolved })) }
          : {}),
      })),
    ],
  };
}

describe('AlertmanagerConfig (the cluster) against alertmanager.yml (the VM)', () => {
  it('every alert reaches the same receivers in its namespace, and none outside it', async () => {
    const cluster = await writeTemp(stringify(asAlertmanagerConfig(manifest.spec)));
    const local = await writeTemp(stringify(routing.render()));
    try {
      const labelSets = alertLabelSets();
      assert.ok(labelSets.length > 10, `only ${labelSets.length} alerts`);
      for (const labels of labelSets) {
        const expected = await amtoolReceivers(local.file, labels);
        assert.deepEqual(
          await amtoolReceivers(cluster.file, { ...labels, namespace: NAMESPACE }),
          expected,
          labels.alertname,
        );
      }
      const another = await amtoolReceivers(cluster.file, { ...labelSets[0]!, namespace: 'payments' });
      assert.deepEqual(another, ['outside-namespace']);
    } finally {
      await cluster.cleanup();
      await local.cleanup();
    }
  });

  it("holds the VM's inhibit rules, receivers and webhooks (relay on the cluster)", () => {
    const rebuilt = asAlertmanagerConfig(manifest.spec) as any;
    assert.deepEqual(
      rebuilt.inhibit_rules.map((r: any) => ({
        ...r,
        source_matchers: r.source_matchers.slice(1),
        target_matchers: r.target_matchers.slice(1),
      })),
      vm.inhibit_rules,
    );
    const paths = (rs: any[]) =>
      rs.map((r) => [r.name, (r.webhook_configs ?? []).map((w: any) => new URL(w.url).pathname)]);
    assert.deepEqual(paths(rebuilt.receivers.slice(1)), paths(vm.receivers));
    for (const r of rebuilt.receivers.slice(1))
      for (const w of r.webhook_configs ?? [])
        assert.match(w.url, /^http:\/\/alert-relay\.stressgate-staging\.svc\.cluster\.local:8080\//);
  });

  it('the comparison catches a route the manifest lost', async () => {
    const spec = structuredClone(manifest.spec);
    spec.route.routes = spec.route.routes.filter((r: any) => r.receiver !== 'oncall-page');
    const broken = await writeTemp(stringify(asAlertmanagerConfig(spec)));
    try {
      const critical = alertLabelSets().find((l) => l.severity === 'critical' && !l.gate)!;
      assert.notDeepEqual(await amtoolReceivers(broken.file, { ...critical, namespace: NAMESPACE }), ['oncall-page']);
    } finally {
      await broken.cleanup();
    }
  });
});
