// src/synth/runbook-links.ts: the runbooks' dashboard links are on the Grafanas the configuration
// names (GRAFANA_URLS, or STRESSGATE_GRAFANA_URL / STRESSGATE_CLUSTER_GRAFANA_URL for one synth), not
// on the local stack's 127.0.0.1:3000 whatever the user's Grafana is (issue 26).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { marked, type Token } from 'marked';
import { app } from '../../src/definitions.js';
import { synthesize } from '../../src/synth/index.js';
import { fillLinks, grafanaUrls, LINKS_END, LINKS_START } from '../../src/synth/runbook-links.js';
import { UsageError } from '../../src/usage-error.js';
import { ROOT } from '../helpers.js';

const RUNBOOK = 'docs/runbooks/alerts.md';

/** Every link target a Markdown text renders (inline links and resolved reference links alike). */
function linkTargets(markdown: string): string[] {
  const hrefs: string[] = [];
  marked.walkTokens(marked.lexer(markdown), (t: Token) => void (t.type === 'link' && hrefs.push(t.href)));
  return hrefs;
}

const runbookWith = async (grafana?: { vm: string; cluster: string }) =>
  (await synthesize(app, { projectRoot: ROOT, ...(grafana ? { grafana } : {}) })).get(RUNBOOK)!;

describe('synth: runbook dashboard links', () => {
  it('synth with other Grafana URLs links every dashboard on them, none on the local stack', async () => {
    const text = await runbookWith({ vm: 'https://grafana.example.com/', cluster: 'https://g.cluster.example.com' });
    const dashboards = linkTargets(text).filter((h) => h.includes('/d/'));
    assert.ok(dashboards.length >= 20, `the runbook's dashboard links (${dashboards.length})`);
    for (const h of dashboards)
      assert.match(h, /^https:\/\/(grafana\.example\.com|g\.cluster\.example\.com)\/d\/[a-z0-9-]+$/, h);
    assert.ok(dashboards.some((h) => h.startsWith('https://grafana.example.com/d/')));
    assert.ok(dashboards.some((h) => h.startsWith('https://g.cluster.example.com/d/')));
    assert.deepEqual(
      linkTargets(text).filter((h) => /127\.0\.0\.1:300[01]/.test(h)),
      [],
      'no link on the local Grafanas',
    );
  });

  it("by default the links are the local stack's (VM on :3000, cluster port-forwarded to :3001)", async () => {
    const dashboards = linkTargets(await runbookWith()).filter((h) => h.includes('/d/'));
    assert.ok(dashboards.includes('http://127.0.0.1:3000/d/release-gate'));
    assert.ok(dashboards.includes('http://127.0.0.1:3001/d/release-gate'));
  });

  it('the environment overrides the setting; a bad URL is an error naming the variable', () => {
    assert.deepEqual(grafanaUrls({ STRESSGATE_GRAFANA_URL: 'https://grafana.example.com/' }), {
      vm: 'https://grafana.example.com',
      cluster: 'http://127.0.0.1:3001',
    });
    assert.throws(
      () => grafanaUrls({ STRESSGATE_CLUSTER_GRAFANA_URL: 'grafana:3000' }),
      (e: unknown) => e instanceof UsageError && /STRESSGATE_CLUSTER_GRAFANA_URL.*"grafana:3000"/.test(e.message),
    );
  });

  it('the definitions block is appended once, rewritten in place, and leaves the prose alone', () => {
    const doc = '# Runbooks\n\n## A\n\nSee [VM][vm/x].\n';
    const once = fillLinks(RUNBOOK, doc, ['[vm/x]: http://a/d/x']);
    assert.ok(once.startsWith(doc) && once.includes(`${LINKS_START}`) && once.endsWith(`${LINKS_END}\n`));
    assert.equal(fillLinks(RUNBOOK, once, ['[vm/x]: http://a/d/x']), once, 'idempotent');
    const moved = fillLinks(RUNBOOK, once, ['[vm/x]: http://b/d/x']);
    assert.ok(moved.startsWith(doc) && moved.includes('http://b/d/x') && !moved.includes('http://a/'));
    assert.throws(
      () => fillLinks(RUNBOOK, `${doc}\n${LINKS_START}\n`, []),
      (e: unknown) => e instanceof UsageError && e.message.startsWith(`${RUNBOOK}:7:`),
    );
  });
});
