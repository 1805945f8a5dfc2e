/** A Gatehouse of its own for a test file: fresh tables on the shared emulators, a temporary data folder. */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { inject } from 'vitest';
import { startGatehouse, type GatehouseOptions } from '#local/runtime';
import { runningFrom, testEpoch } from './clock';

export async function testGatehouse(options: GatehouseOptions = {}) {
  return startGatehouse({
    dynamoEndpoint: inject('dynamoEndpoint'),
    s3Endpoint: inject('s3Endpoint'),
    stage: `t${randomBytes(4).toString('hex')}`,
    dataDir: mkdtempSync(join(tmpdir(), 'gatehouse-test-')),
    port: 0,
    visibilityTimeoutMs: 50,
    // Never the wall clock: fixtures are dated around the test epoch (a test may bring its own clock).
    clock: runningFrom(testEpoch),
    ...options,
  });
}

export async function postJson(url: string, body: unknown): Promise<{ status: number; body: any }> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: await response.json() };
}

export async function getJson(url: string): Promise<{ status: number; body: any }> {
  const response = await fetch(url);
  return { status: response.status, body: await response.json() };
}
