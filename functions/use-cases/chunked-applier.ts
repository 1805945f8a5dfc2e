/**
 * Applies a stream of rows in chunks, each chunk exactly once by its own ledger item (the commit is the
 * caller's), several chunks at a time:
 * - the chunk policy closes a chunk at `maxRows` rows, or before an effect that would not `fit` its transaction;
 * - the scheduler lets up to `maxInFlight` chunks commit at once, but a chunk that shares a subject with an
 *   earlier chunk still in flight waits for it, so rows about one subject apply in file order;
 * - each chunk is `prepare`d once, then `attempt`ed until it stops saying `again` (with a backoff) or
 *   `againAtOnce`, at most `attempts` times; the first chunk that fails fails the whole (after the chunks
 *   in flight settle), and a retry of the file finds the chunks that were applied by their ledger items.
 */
import { retrying, type Again, type Backoff } from '#commons/retry';

export interface Chunk<E> {
  index: number;
  /** The accepted rows' effects, in file order. */
  effects: E[];
  rejected: number;
}

export interface ChunkPolicy<E> {
  maxRows: number;
  maxInFlight: number;
  /** Whether one more effect still fits the chunk's transaction. */
  fits(effects: readonly E[], next: E): boolean;
  /** What an effect is about: chunks with a subject in common apply one after the other. */
  subjectOf(effect: E): string;
}

export interface ChunkCommitter<E, R> {
  attempts: number;
  backoff?: Backoff;
  /** Done once per chunk, before its first attempt. */
  prepare?(chunk: Chunk<E>): Promise<void>;
  attempt(chunk: Chunk<E>, attempt: number): Promise<R | Again>;
  exhausted(chunk: Chunk<E>): Error;
}

export interface ChunkedApplier<E, R> {
  accept(effect: E): Promise<void>;
  reject(): Promise<void>;
  /** Commits the last chunk and waits for all; the chunks' results in chunk order. */
  finish(): Promise<R[]>;
}

export function chunkedApplier<E, R>(
  policy: ChunkPolicy<E>,
  committer: ChunkCommitter<E, R>,
): ChunkedApplier<E, R> {
  const fresh = (index: number): Chunk<E> => ({ index, effects: [], rejected: 0 });
  let chunk = fresh(0);
  const results: R[] = [];
  const inFlight = new Set<Promise<void>>();
  const lastTouching = new Map<string, Promise<void>>();
  let failure: { error: unknown } | undefined;

  const commit = async (c: Chunk<E>): Promise<void> => {
    await committer.prepare?.(c);
    const options = {
      attempts: committer.attempts,
      exhausted: () => committer.exhausted(c),
      ...(committer.backoff ? { backoff: committer.backoff } : {}),
    };
    results[c.index] = await retrying(options, (n) => committer.attempt(c, n));
  };

  const flush = async () => {
    if (chunk.effects.length + chunk.rejected === 0) return;
    const committing = chunk;
    chunk = fresh(committing.index + 1);
    const touches = [...new Set(committing.effects.map(policy.subjectOf))];
    const after = [...new Set(touches.map((t) => lastTouching.get(t)).filter((p) => p !== undefined))];
    const done = Promise.all(after).then(() => commit(committing));
    for (const t of touches) lastTouching.set(t, done);
    const settled = done
      .then(
        () => undefined,
        (error: unknown) => {
          failure ??= { error };
        },
      )
      .finally(() => {
        inFlight.delete(settled);
        for (const t of touches) if (lastTouching.get(t) === done) lastTouching.delete(t);
      });
    inFlight.add(settled);
    while (inFlight.size >= policy.maxInFlight && !failure) await Promise.race(inFlight);
    if (failure) {
      await Promise.all(inFlight);
      throw failure.error;
    }
  };
  const closeWhenFull = async () => {
    if (chunk.effects.length + chunk.rejected >= policy.maxRows) await flush();
  };

  return {
    async accept(effect) {
      if (!policy.fits(chunk.effects, effect)) await flush();
      chunk.effects.push(effect);
      await closeWhenFull();
    },
    async reject() {
      chunk.rejected += 1;
      await closeWhenFull();
    },
    async finish() {
      await flush();
      await Promise.all(inFlight);
      if (failure) throw failure.error;
      return results;
    },
  };
}
