/**
 * The state the in-memory ports share, standing in for the records and aggregates tables: items by key, and
 * counter items by series and day (each delta rolled up as the DynamoDB adapters roll it up). Every port reads
 * copies and writes only after all of its conditions held, so a commit is all or nothing, as a transaction is.
 */
import { rollUps, seriesKey, type CounterDelta, type Dimensions, type Family } from '#domain/aggregates';

export class InMemoryTables {
  /** Items by `pk|sk`-like key; values are stored as copies. */
  readonly items = new Map<string, unknown>();
  /** Counter items by `seriesKey|date`, each a map of named counts. */
  readonly counterItems = new Map<string, Record<string, number>>();

  get<T>(key: string): T | undefined {
    const item = this.items.get(key);
    return item === undefined ? undefined : copy(item as T);
  }

  /** The stored item itself, for reading a condition (a version, a status) without copying it: never to be changed or handed out. */
  peek<T>(key: string): Readonly<T> | undefined {
    return this.items.get(key) as T | undefined;
  }

  put(key: string, item: unknown): void {
    this.items.set(key, copy(item));
  }

  /** Writes an item the first time and leaves it as it is on a repeat (the adapters' insertOnce). */
  insertOnce(key: string, item: unknown): void {
    if (!this.items.has(key)) this.put(key, item);
  }

  has(key: string): boolean {
    return this.items.has(key);
  }

  /** Items whose key starts with the prefix, in key order (a Query on a partition). */
  withPrefix<T>(prefix: string): T[] {
    return [...this.items.keys()]
      .filter((k) => k.startsWith(prefix))
      .sort()
      .map((k) => this.get<T>(k)!);
  }

  addCounters(deltas: readonly CounterDelta[]): void {
    for (const item of deltas.flatMap(rollUps)) {
      const key = `${item.series}|${item.date}`;
      const target = this.counterItems.get(key) ?? {};
      for (const [name, n] of Object.entries(item.counts))
        if (n !== 0) target[name] = (target[name] ?? 0) + n;
      this.counterItems.set(key, target);
    }
  }

  /** A count as the metrics API reads it: one series (a missing dimension is the roll-up over it), one day. */
  count<F extends Family>(family: F, dimensions: Partial<Dimensions<F>>, date: string, name: string): number {
    return this.counterItems.get(`${seriesKey(family, dimensions)}|${date}`)?.[name] ?? 0;
  }

  /** Every non-zero count of a series on a day. */
  counts<F extends Family>(
    family: F,
    dimensions: Partial<Dimensions<F>>,
    date: string,
  ): Record<string, number> {
    return Object.fromEntries(
      Object.entries(this.counterItems.get(`${seriesKey(family, dimensions)}|${date}`) ?? {}).filter(
        ([, n]) => n !== 0,
      ),
    );
  }

  setMax(delta: CounterDelta, name: string, value: number): void {
    for (const item of rollUps(delta)) {
      const key = `${item.series}|${item.date}`;
      const target = this.counterItems.get(key) ?? {};
      if (target[name] === undefined || target[name]! < value) target[name] = value;
      this.counterItems.set(key, target);
    }
  }
}

export function copy<T>(value: T): T {
  // The stored items are JSON (as DynamoDB items are), and JSON round-trips them faster than structuredClone.
  return value === undefined ? value : (JSON.parse(JSON.stringify(value)) as T);
}
