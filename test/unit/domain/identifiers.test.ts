import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { alertIdFor } from '#domain/alerts';
import { hmppsEventId } from '#events/hmpps/to-custody-event';

const keyA = 'deployment-a-identifier-key-0000000000000';
const keyB = 'deployment-b-identifier-key-0000000000000';

describe('identifiers that travel in links, logs and Notify references', () => {
  const dedupKey = ['CRITICAL_RELEASE', 'A1234BC', '2026-11-20', 'oncall:E06000005'].join('|');

  it('keys an alert id: stable within a deployment (a repeat finds its alert), different in another', () => {
    expect(alertIdFor(dedupKey, keyA)).toBe(alertIdFor(dedupKey, keyA));
    expect(alertIdFor(dedupKey, keyA)).not.toBe(alertIdFor(dedupKey, keyB));
    expect(alertIdFor(dedupKey, keyA)).toMatch(/^[0-9a-f]{24}$/);
  });

  it('is not the plain hash of the deduplication key, which a search over prison numbers reverses', () => {
    expect(alertIdFor(dedupKey, keyA)).not.toBe(
      createHash('sha256').update(dedupKey).digest('hex').slice(0, 24),
    );
  });

  it('keys the HMPPS event id the same way', () => {
    const args = ['prison-offender-events.prisoner.released', 'A1234BC', '2026-06-05T16:40:00Z'] as const;
    expect(hmppsEventId(...args, keyA)).not.toBe(hmppsEventId(...args, keyB));
    expect(hmppsEventId(...args, keyA)).not.toBe(
      `hmpps-${createHash('sha256').update(args.join('|').replace('16:40:00Z', '16:40:00.000Z')).digest('hex').slice(0, 32)}`,
    );
  });
});
