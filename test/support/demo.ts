/**
 * The demo's week (local/demo-scenario.ts) played into a test Gatehouse, and the release cases it left,
 * read back through the API: tests derive the figures they expect from these, so they keep holding as the
 * scenario grows.
 */
import { demoFactsPeople, demoFailedPage, demoWeek } from '#local/demo-scenario';
import type { ReleaseCase } from '#domain/release-case';
import { getJson, postJson } from './gatehouse';

interface Playable {
  url: string;
  settle(): Promise<void>;
}

export const demoPeriod = { from: '2026-11-01', to: '2026-11-30' } as const;

export async function playDemoWeek(gatehouse: Playable): Promise<void> {
  for (const step of demoWeek) {
    const response = await postJson(`${gatehouse.url}/custody-events`, step.events);
    if (response.status !== 202)
      throw new Error(`demo step '${step.say}': HTTP ${response.status} ${JSON.stringify(response.body)}`);
    await gatehouse.settle();
  }
}

/** Prison numbers the scenario's events name (custody event v1, or an HMPPS domain event), the demo's own steps' too. */
export function demoPrisonNumbers(): string[] {
  const numbers = [...demoWeek.map((step) => step.events), [demoFailedPage.event]].flatMap((events) =>
    events.map((e) => {
      const event = e as {
        person?: { prisonNumber?: string };
        additionalInformation?: { nomsNumber?: string };
        Message?: string;
      };
      return (
        event.person?.prisonNumber ??
        event.additionalInformation?.nomsNumber ??
        (event.Message ? JSON.parse(event.Message).additionalInformation?.nomsNumber : undefined)
      );
    }),
  );
  return [
    ...new Set(
      [...numbers, ...Object.values(demoFactsPeople)].filter((n): n is string => typeof n === 'string'),
    ),
  ];
}

/** Every release case of the people in the scenario, as Gatehouse now holds them. */
export async function demoCases(gatehouse: Playable): Promise<ReleaseCase[]> {
  const cases: ReleaseCase[] = [];
  for (const prisonNumber of demoPrisonNumbers()) {
    const view = await getJson(`${gatehouse.url}/cases/${prisonNumber}`);
    if (view.status === 200) cases.push(...(view.body.cases as ReleaseCase[]));
  }
  return cases;
}
