// src/kernel/markdown.ts: headings as GitHub anchors them, and the line ranges of their sections
// (what the lint reads per alert and what synth writes its facts blocks into).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { headings, headingSlug, sectionRanges } from '../../src/kernel/markdown.js';

describe('kernel: markdown sections', () => {
  it('anchors ATX and setext headings outside code fences, de-duplicated like GitHub', () => {
    const lines = ['# A', '```', '# not a heading', '```', '## A', 'Setext', '---', 'text'];
    assert.deepEqual(
      headings(lines).map((h) => [h.anchor, h.level, h.line, h.bodyLine]),
      [
        ['a', 1, 0, 1],
        ['a-1', 2, 4, 5],
        ['setext', 2, 5, 7],
      ],
    );
    assert.equal(headingSlug('[Release gate](http://x/d/release-gate) p95 > 300ms'), 'release-gate-p95--300ms');
  });

  it('a section runs to the next heading of the same or a higher level, sub-sections included', () => {
    const lines = ['# T', 'intro', '## A', 'a', '### A1', 'a1', '## B', 'b'];
    const ranges = sectionRanges(lines);
    assert.deepEqual(
      [...ranges].map(([anchor, r]) => [anchor, r.heading.line, r.end]),
      [
        ['t', 0, 8],
        ['a', 2, 6],
        ['a1', 4, 6],
        ['b', 6, 8],
      ],
    );
  });
});
