// k6's own split of one test over N instances, as k6-operator does it: instance i runs execution
// segment i/N:(i+1)/N of the sequence 0,1/N,...,1, so the N segments cover every VU and iteration
// exactly once, and tags its samples instance_id=i so no two instances write the same series.

export interface Segment {
  /** 0-based. */
  readonly index: number;
  readonly count: number;
}

const frac = (k: number, n: number) => (k === 0 ? '0' : k === n ? '1' : `${k}/${n}`);

export function segments(count: number): Segment[] {
  if (!Number.isInteger(count) || count < 1 || count > 64)
    throw new RangeError(`instances must be an integer from 1 to 64, not ${count}`);
  return Array.from({ length: count }, (_, index) => ({ index, count }));
}

/** `--execution-segment 1/3:2/3 --execution-segment-sequence 0,1/3,2/3,1 --tag instance_id=1`. */
export function segmentArgs({ index, count }: Segment): string[] {
  const sequence = Array.from({ length: count + 1 }, (_, k) => frac(k, count)).join(',');
  return [
    '--execution-segment',
    `${frac(index, count)}:${frac(index + 1, count)}`,
    '--execution-segment-sequence',
    sequence,
    '--tag',
    `instance_id=${index}`,
  ];
}
