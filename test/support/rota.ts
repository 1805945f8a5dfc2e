/** An on-call rota for tests: a primary and a secondary on SMS in one area, over one window. */
import type { RotaEntry } from '#domain/rota';

/** The window defaults to November–December 2026, around the integration fixtures' epoch (an injected clock). */
export function onCallRota(
  localAuthority: string,
  primary: string,
  secondary: string,
  window: { start: string; end: string } = { start: '2026-11-01T00:00:00Z', end: '2027-01-01T00:00:00Z' },
): RotaEntry[] {
  const entry = (tier: RotaEntry['tier'], address: string): RotaEntry => ({
    localAuthority,
    tier,
    ...window,
    channel: 'sms',
    address,
    source: 'test',
  });
  return [entry('primary', primary), entry('secondary', secondary)];
}
