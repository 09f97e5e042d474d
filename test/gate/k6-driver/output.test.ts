// Reading k6's JSON log: exceptions, the first iteration error per scenario and remote-write
// failures are told apart (lines as k6 v0.48.0 prints them), and the rest is kept aside.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { readK6Log } from '../../../src/gate/k6-driver/output.js';

const LOG = [
  '{"level":"info","msg":"setup done","time":"2026-11-25T12:47:48Z"}',
  '{"error":"listen tcp 127.0.0.1:6565: bind: address already in use","level":"warning","msg":"Error from API server","time":"2026-11-25T12:47:48Z"}',
  '{"level":"error","msg":"stressgate-iteration-error {\\"scenario\\":\\"messaging\\",\\"message\\":\\"TypeError: Object has no member \'setTimeout\'\\"}","source":"console","time":"2026-11-25T12:47:51Z"}',
  '{"level":"error","msg":"stressgate-iteration-error {\\"scenario\\":\\"messaging\\",\\"message\\":\\"a later one\\"}","source":"console","time":"2026-11-25T12:47:52Z"}',
  '{"executor":"ramping-vus","level":"error","msg":"Uncaught (in promise) TypeError: Object has no member \'setTimeout\'\\n\\tat setTimeout (file:///tmp/main.transitional.js:506:51(5))\\n","scenario":"default","time":"2026-11-25T12:47:51Z"}',
  '{"error":"got status code: 404 instead expected a 2xx successful status code","level":"error","msg":"Failed to send the time series data to the endpoint","output":"Prometheus remote write","time":"2026-11-25T12:42:24Z"}',
  'running (00m01.0s), 04/18 VUs, 12 complete and 0 interrupted iterations',
  '{"level":"error","msg":"thresholds on metrics \'http_req_duration\' have been crossed","time":"2026-11-25T12:48:09Z"}',
].join('\n');

it('tells exceptions, iteration errors and remote-write failures apart', () => {
  const found = readK6Log(LOG);
  assert.deepEqual(found.exceptions, ["Uncaught (in promise) TypeError: Object has no member 'setTimeout'"]);
  assert.deepEqual(found.iterationErrors, { messaging: "TypeError: Object has no member 'setTimeout'" });
  assert.deepEqual(found.remoteWriteErrors, [
    'Failed to send the time series data to the endpoint: got status code: 404 instead expected a 2xx successful status code',
  ]);
  assert.deepEqual(found.other, [
    'Error from API server: listen tcp 127.0.0.1:6565: bind: address already in use',
    "thresholds on metrics 'http_req_duration' have been crossed",
  ]);
  assert.deepEqual(readK6Log('running (00m20.0s), 00/18 VUs, 607 complete and 0 interrupted iterations\n'), {
    exceptions: [],
    iterationErrors: {},
    remoteWriteErrors: [],
    other: [],
  });
});
