/**
 * Escalation policies: who is paged, in which order, and how long each is given to acknowledge.
 * A policy is an ordered list of steps (a rota tier or a named contact, and the wait before the next step)
 * run `repeat + 1` times. Pure: the time is always passed in.
 */
import * as z from 'zod';
import { rotaTiers } from './rota';

export const escalationTarget = z.union([
  z
    .strictObject({ tier: z.enum(rotaTiers) })
    .describe('whoever is on the rota at this tier when the step is due'),
  z.strictObject({ contact: z.string().min(1) }).describe("a contact named in the area's routing config"),
]);

export const escalationStepSchema = z.strictObject({
  target: escalationTarget,
  /** Minutes the target has to acknowledge before the next step is paged. */
  waitMinutes: z.number().int().positive(),
});

export const escalationPolicySchema = z.strictObject({
  steps: z.array(escalationStepSchema).min(1),
  /** How many more times the whole list is run when nobody acknowledged (0 = once). */
  repeat: z.number().int().min(0).max(5),
});

export type EscalationTarget = z.infer<typeof escalationTarget>;
export type EscalationStep = z.infer<typeof escalationStepSchema>;
export type EscalationPolicy = z.infer<typeof escalationPolicySchema>;

/** primary → 15 min → secondary → 15 min → manager → 15 min, and the whole list once more. */
export const defaultEscalationPolicy: EscalationPolicy = {
  steps: [
    { target: { tier: 'primary' }, waitMinutes: 15 },
    { target: { tier: 'secondary' }, waitMinutes: 15 },
    { target: { tier: 'manager' }, waitMinutes: 15 },
  ],
  repeat: 1,
};

/** How many pages the policy sends at most when nobody acknowledges. */
export function totalSteps(policy: EscalationPolicy): number {
  return policy.steps.length * (policy.repeat + 1);
}

/** The step paged at position `index` (0 = the first page), or undefined past the end of the policy. */
export function escalationStep(policy: EscalationPolicy, index: number): EscalationStep | undefined {
  if (index < 0 || index >= totalSteps(policy)) return undefined;
  return policy.steps[index % policy.steps.length];
}

/** When the step after `index` is due, if `index` was paged at `pagedAt`. */
export function nextStepDue(policy: EscalationPolicy, index: number, pagedAt: Date): Date | undefined {
  const step = escalationStep(policy, index);
  return step ? new Date(pagedAt.getTime() + step.waitMinutes * 60_000) : undefined;
}

export function describeTarget(target: EscalationTarget): string {
  return 'tier' in target ? `${target.tier} on call` : target.contact;
}
