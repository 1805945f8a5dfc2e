/**
 * `npm start`: Gatehouse on this machine until Ctrl-C. Data persists under .gatehouse/; `--fresh` starts empty.
 * Stops everything it started (DynamoDB Local, s3rver, the servers) on SIGINT, SIGTERM or SIGHUP, to itself,
 * to npm or to the whole process group, and when whatever started it goes away.
 */
import './environment';
import { createServer } from 'node:net';
import { bankHolidayCoverageWarning, englandAndWales, londonTime } from '#domain/calendar';
import { MissingJavaError } from './emulators';
import { startGatehouse, type Gatehouse } from './runtime';

const fresh = process.argv.includes('--fresh');
const port = Number(process.env.PORT ?? 3000);

class PortInUseError extends Error {}

let gatehouse: Gatehouse | undefined;
let stopping = false;
const stop = async (why: string) => {
  if (stopping) return;
  stopping = true;
  console.log(`\n${why}: stopping Gatehouse…`);
  await gatehouse?.stop();
  process.exit(0);
};
// Installed before anything starts, so a signal during start-up stops what has started so far.
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, () => void stop(signal));
// When the parent (npm, or the shell npm runs) dies without passing the signal on, this process is re-parented.
const parent = process.ppid;
setInterval(
  () => process.ppid !== parent && void stop('the process that started Gatehouse has gone'),
  1000,
).unref();

try {
  await portIsFree(port);
  // The GOV.UK Notify stand-in runs too, so delivery receipts and text-message replies work locally.
  gatehouse = await startGatehouse({ fresh, port, notifyStandIn: true });
  if (stopping) await gatehouse.stop();
  else
    console.log(`Gatehouse is running on ${gatehouse.url}${fresh ? ' (fresh store)' : ''}
  GET  ${gatehouse.url}/                    the LCJB performance dashboard
  POST ${gatehouse.url}/custody-events      one event or an array (see events/examples/)
  GET  ${gatehouse.url}/alerts              the local outbox
  GET  ${gatehouse.url}/aggregates          the counters (?granularity=day|week|month&la=&prison=&from=&to=)
  GET  ${gatehouse.url}/cases/{prisonNumber} a release case and its classification
  GET  ${gatehouse.url}/health
DynamoDB Local ${gatehouse.endpoints.dynamodb}, S3 ${gatehouse.endpoints.s3}, GOV.UK Notify stand-in ${gatehouse.notify?.url ?? '(off)'}; data in .gatehouse/. Ctrl-C stops everything.`);
  // The sweeper warns once a day too; on a laptop the first thing printed is where a newcomer sees it.
  const coverage =
    gatehouse && bankHolidayCoverageWarning(englandAndWales, londonTime(gatehouse.clock()).date);
  if (coverage) console.warn(`Warning: ${coverage.message}`);
} catch (error) {
  if (error instanceof MissingJavaError || error instanceof PortInUseError) {
    console.error(error.message);
    process.exit(1);
  }
  throw error;
}

/** Fails with one line naming the port and how to choose another, before any emulator starts. */
async function portIsFree(wanted: number): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    const probe = createServer();
    probe.once('error', (error: NodeJS.ErrnoException) =>
      reject(
        error.code === 'EADDRINUSE'
          ? new PortInUseError(
              `Port ${wanted} on 127.0.0.1 is already in use (another \`npm start\`?): stop that, or pick another port, e.g. PORT=${wanted + 1} npm start`,
            )
          : error,
      ),
    );
    probe.listen(wanted, '127.0.0.1', () => probe.close(() => resolve()));
  });
}
