import { describe, expect, it } from 'vitest';
import type { Backoff } from '#commons/retry';
import { again, againAtOnce } from '#commons/retry';
import { chunkedApplier, type Chunk, type ChunkPolicy } from '#use-cases/chunked-applier';

/** An effect is a row about a subject; `cost` is what it adds to the chunk's transaction. */
interface Row {
  subject: string;
  cost?: number;
}

const policy = (overrides: Partial<ChunkPolicy<Row>> = {}): ChunkPolicy<Row> => ({
  maxRows: 3,
  maxInFlight: 4,
  fits: (effects, next) => [...effects, next].reduce((n, e) => n + (e.cost ?? 1), 0) <= 10,
  subjectOf: (e) => e.subject,
  ...overrides,
});

const noWait = (): Backoff & { delays: number[] } => {
  const delays: number[] = [];
  return { delays, sleep: async (ms) => void delays.push(ms), random: () => 0.5 };
};

/** A promise the test settles when it chooses. */
function gate() {
  let open!: () => void;
  let fail!: (e: Error) => void;
  const promise = new Promise<void>((resolve, reject) => {
    open = resolve;
    fail = reject;
  });
  return { promise, open, fail };
}

/** A committer that tries each chunk once. */
const once = { attempts: 1, exhausted: () => new Error('no second attempt') };

const summary = (c: Chunk<Row>) => ({
  index: c.index,
  subjects: c.effects.map((e) => e.subject),
  rejected: c.rejected,
});

describe('the chunked applier', () => {
  it('closes a chunk at the row limit, counting rejected rows, and returns the results in chunk order', async () => {
    const committed: ReturnType<typeof summary>[] = [];
    const applier = chunkedApplier(policy(), {
      ...once,
      attempt: async (c) => {
        committed.push(summary(c));
        return c.index * 10;
      },
    });
    for (const s of ['a', 'b']) await applier.accept({ subject: s });
    await applier.reject();
    await applier.accept({ subject: 'c' });
    expect(await applier.finish()).toEqual([0, 10]);
    expect(committed).toEqual([
      { index: 0, subjects: ['a', 'b'], rejected: 1 },
      { index: 1, subjects: ['c'], rejected: 0 },
    ]);
  });

  it('closes a chunk before an effect that would not fit its transaction', async () => {
    const committed: ReturnType<typeof summary>[] = [];
    const applier = chunkedApplier(policy({ maxRows: 100 }), {
      ...once,
      attempt: async (c) => void committed.push(summary(c)),
    });
    await applier.accept({ subject: 'a', cost: 6 });
    await applier.accept({ subject: 'b', cost: 5 });
    await applier.accept({ subject: 'c', cost: 5 });
    await applier.finish();
    expect(committed.map((c) => c.subjects)).toEqual([['a'], ['b', 'c']]);
  });

  it('commits no empty chunk', async () => {
    let attempts = 0;
    const applier = chunkedApplier(policy(), {
      ...once,
      attempt: async () => {
        attempts += 1;
      },
    });
    expect(await applier.finish()).toEqual([]);
    expect(attempts).toBe(0);
  });

  it('commits chunks about different subjects side by side, and a chunk sharing a subject after the earlier one', async () => {
    const gates = [gate(), gate(), gate()];
    const started: number[] = [];
    const finished: number[] = [];
    const applier = chunkedApplier(policy({ maxRows: 1 }), {
      ...once,
      attempt: async (c) => {
        started.push(c.index);
        await gates[c.index]!.promise;
        finished.push(c.index);
      },
    });
    await applier.accept({ subject: 'person-1' });
    await applier.accept({ subject: 'person-2' });
    await applier.accept({ subject: 'person-1' });
    await new Promise((r) => setImmediate(r));
    expect(started).toEqual([0, 1]); // chunk 2 waits for chunk 0, which holds person-1
    gates[1]!.open();
    await new Promise((r) => setImmediate(r));
    expect(started).toEqual([0, 1]);
    gates[0]!.open();
    gates[2]!.open();
    await applier.finish();
    expect(started).toEqual([0, 1, 2]);
    expect(finished.indexOf(2)).toBeGreaterThan(finished.indexOf(0));
  });

  it('holds no more than maxInFlight chunks committing at once', async () => {
    let inFlight = 0;
    let most = 0;
    const gates = Array.from({ length: 6 }, gate);
    const applier = chunkedApplier(policy({ maxRows: 1, maxInFlight: 2 }), {
      ...once,
      attempt: async (c) => {
        most = Math.max(most, ++inFlight);
        await gates[c.index]!.promise;
        inFlight -= 1;
      },
    });
    const feeding = (async () => {
      for (let i = 0; i < 6; i++) await applier.accept({ subject: `p${i}` });
      return applier.finish();
    })();
    for (const g of gates) {
      await new Promise((r) => setImmediate(r));
      g.open();
    }
    await feeding;
    expect(most).toBe(2);
  });

  it('prepares a chunk once, then tries it again after a backoff, or at once when told to', async () => {
    const backoff = noWait();
    let prepared = 0;
    const answers = [againAtOnce, again, 'applied'] as const;
    const attempts: number[] = [];
    const applier = chunkedApplier(policy(), {
      attempts: 8,
      backoff,
      prepare: async () => {
        prepared += 1;
      },
      attempt: async (_c, n) => {
        attempts.push(n);
        return answers[n - 1]!;
      },
      exhausted: () => new Error('kept conflicting'),
    });
    await applier.accept({ subject: 'a' });
    expect(await applier.finish()).toEqual(['applied']);
    expect(prepared).toBe(1);
    expect(attempts).toEqual([1, 2, 3]);
    expect(backoff.delays).toEqual([20]); // none after the attempt that went again at once
  });

  it('fails with the chunk’s own error when its attempts are spent', async () => {
    const applier = chunkedApplier(policy(), {
      attempts: 3,
      backoff: noWait(),
      attempt: async () => again,
      exhausted: (c) => new Error(`chunk ${c.index} kept conflicting`),
    });
    await applier.accept({ subject: 'a' });
    await expect(applier.finish()).rejects.toThrow('chunk 0 kept conflicting');
  });

  it('stops taking rows once a chunk failed, after the chunks in flight settle', async () => {
    const slow = gate();
    const settled: number[] = [];
    const applier = chunkedApplier(policy({ maxRows: 1, maxInFlight: 2 }), {
      ...once,
      attempt: async (c) => {
        if (c.index === 0) throw new Error('the table is unavailable');
        await slow.promise;
        settled.push(c.index);
      },
    });
    await applier.accept({ subject: 'a' }).catch(() => undefined);
    const second = applier.accept({ subject: 'b' });
    slow.open();
    await expect(second).rejects.toThrow('the table is unavailable');
    expect(settled).toEqual([1]);
  });
});
