/**
 * `npm start`: Gatehouse on this machine until Ctrl-C. Data persists under .gatehouse/; `--fresh` starts empty.
 */
import './environment';
import { MissingJavaError } from './emulators';
import { startGatehouse } from './runtime';

const fresh = process.argv.includes('--fresh');
const port = Number(process.env.PORT ?? 3000);

try {
  const gatehouse = await startGatehouse({ fresh, port });
  console.log(`Gatehouse is running on ${gatehouse.url}${fresh ? ' (fresh store)' : ''}
  GET  ${gatehouse.url}/                    the LCJB performance dashboard
  POST ${gatehouse.url}/custody-events      one event or an array (see events/examples/)
  GET  ${gatehouse.url}/alerts              the local outbox
  GET  ${gatehouse.url}/aggregates          the counters (?granularity=day|week|month&la=&prison=&from=&to=)
  GET  ${gatehouse.url}/cases/{prisonNumber} a release case and its classification
  GET  ${gatehouse.url}/health
DynamoDB Local ${gatehouse.endpoints.dynamodb}, S3 ${gatehouse.endpoints.s3}; data in .gatehouse/. Ctrl-C stops everything.`);

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`\n${signal}: stopping Gatehouse…`);
    await gatehouse.stop();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
} catch (error) {
  if (error instanceof MissingJavaError) {
    console.error(error.message);
    process.exit(1);
  }
  throw error;
}
