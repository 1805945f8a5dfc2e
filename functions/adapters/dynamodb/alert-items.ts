/**
 * How an alert sits in the records table's byDue index: the domain says when something is next due on an alert
 * (`dueAt`); the item says which partition of the index lists it. Every alert with something due is in the one
 * partition DUE, sorted by `dueAt`; an alert with nothing due has neither attribute (it leaves the index).
 */
import type { Alert } from '#domain/alerts';

export const duePartition = 'DUE';

/** The alert's attributes as stored: with `duePartition` while something is due on it. */
export function dueIndexed(alert: Alert): Alert & { duePartition?: typeof duePartition } {
  const { duePartition: _stored, ...rest } = alert as Alert & { duePartition?: string };
  return rest.dueAt !== undefined ? { ...rest, duePartition } : rest;
}

/** The alert an item holds, without the index's attribute. */
export function withoutDuePartition(item: Record<string, unknown>): Record<string, unknown> {
  const { duePartition: _partition, ...rest } = item;
  return rest;
}
