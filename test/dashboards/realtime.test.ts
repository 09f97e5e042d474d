import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BACKPRESSURE_DROPS_ALLOWED, wsBackpressureDrops } from '../../src/alerts/realtime.js';
import { colorAt, dashboardJson } from './dashboard-json.js';

const d = dashboardJson('realtime');

describe('realtime dashboard', () => {
  it('the backpressure panel turns red where WsBackpressureDrops fires (above its threshold), not later', () => {
    const p = d.panels.find((p) => p.title.startsWith('Backpressure drops'));
    assert.ok(p);
    assert.match(String(wsBackpressureDrops.props.expr), new RegExp(`> ${BACKPRESSURE_DROPS_ALLOWED}$`));
    assert.notEqual(colorAt(p, BACKPRESSURE_DROPS_ALLOWED), 'red', 'at the threshold the alert is quiet');
    // increase() extrapolates: half a drop in 5m fires the alert, so it must be red too
    for (const v of [BACKPRESSURE_DROPS_ALLOWED + 0.5, BACKPRESSURE_DROPS_ALLOWED + 1])
      assert.equal(colorAt(p, v), 'red', `${v} drops`);
  });
});
