/** Reading `/metrics` in the tests: a scrape over real HTTP, and the samples of its text. */
import assert from 'node:assert/strict';
import { rawRequest } from '../http-helpers.js';

export interface Sample {
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly value: number;
}

/** Every sample line of a Prometheus text exposition. */
export function samplesOf(text: string): Sample[] {
  const samples: Sample[] = [];
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    assert.ok(match, `not a sample line: ${line}`);
    const labels: Record<string, string> = {};
    for (const [, key = '', value = ''] of (match[2] ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g))
      labels[key] = value;
    samples.push({ name: match[1] ?? '', labels, value: Number(match[3]) });
  }
  return samples;
}

/** The value of one sample (the labels given must all match); `undefined` when there is none. */
export function valueOf(
  samples: readonly Sample[],
  name: string,
  labels: Record<string, string> = {},
): number | undefined {
  return samples.find(
    (sample) => sample.name === name && Object.entries(labels).every(([key, value]) => sample.labels[key] === value),
  )?.value;
}

/** A scrape of `url`'s `/metrics` from this machine, which must succeed. */
export async function scrape(url: string, headers: Record<string, string> = {}): Promise<Sample[]> {
  const reply = await rawRequest(url, '/metrics', { headers });
  assert.equal(reply.status, 200, reply.body);
  assert.match(String(reply.headers['content-type']), /^text\/plain; version=0\.0\.4/);
  return samplesOf(reply.body);
}
