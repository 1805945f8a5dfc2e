/** The heartbeat writes a container makes: a feed's arrival is recorded at most once a minute. */
import { describe, expect, it } from 'vitest';
import { oncePerMinute } from '#adapters/dynamodb/heartbeats';
import type { HeartbeatStore } from '#use-cases/alert-ports';

function recording(): HeartbeatStore & { writes: string[] } {
  const writes: string[] = [];
  return {
    writes,
    async seen(feed, at) {
      writes.push(`${feed} ${at}`);
    },
    lastSeen: async () => ({}),
  };
}

describe('heartbeats written once a minute per feed', () => {
  it('records the first arrival, skips those within the minute, and records again a minute on', async () => {
    const store = recording();
    const heartbeats = oncePerMinute(store);
    for (const at of [
      '2025-03-03T10:00:00Z',
      '2025-03-03T10:00:20Z',
      '2025-03-03T10:00:59Z',
      '2025-03-03T10:01:00Z',
    ])
      await heartbeats.seen('hmpps-events', at);
    expect(store.writes).toEqual(['hmpps-events 2025-03-03T10:00:00Z', 'hmpps-events 2025-03-03T10:01:00Z']);
  });

  it('keeps each feed to its own minute', async () => {
    const store = recording();
    const heartbeats = oncePerMinute(store);
    await heartbeats.seen('hmpps-events', '2025-03-03T10:00:00Z');
    await heartbeats.seen('partner-file:darlington-housing:on-call-rota', '2025-03-03T10:00:10Z');
    await heartbeats.seen('hmpps-events', '2025-03-03T10:00:30Z');
    expect(store.writes).toEqual([
      'hmpps-events 2025-03-03T10:00:00Z',
      'partner-file:darlington-housing:on-call-rota 2025-03-03T10:00:10Z',
    ]);
  });

  it('tries again after a write that failed', async () => {
    const writes: string[] = [];
    let failing = true;
    const heartbeats = oncePerMinute({
      async seen(feed, at) {
        if (failing) throw new Error('throttled');
        writes.push(`${feed} ${at}`);
      },
      lastSeen: async () => ({}),
    });
    await expect(heartbeats.seen('hmpps-events', '2025-03-03T10:00:00Z')).rejects.toThrow('throttled');
    failing = false;
    await heartbeats.seen('hmpps-events', '2025-03-03T10:00:05Z');
    expect(writes).toEqual(['hmpps-events 2025-03-03T10:00:05Z']);
  });
});
