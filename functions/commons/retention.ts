/** When an item written at `at` may be deleted by the tables' TTL (`expiresAt`, epoch seconds): `days` later. */
export function expiresAt(at: Date | string | number, days: number): number {
  const ms = at instanceof Date ? at.getTime() : typeof at === 'string' ? Date.parse(at) : at;
  return Math.floor(ms / 1000) + days * 86_400;
}
