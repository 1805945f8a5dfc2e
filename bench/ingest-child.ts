/**
 * One partner file ingested in a process of its own, so that its peak RSS is the ingest's alone.
 * Started by bench/ingest.ts with the local stack's environment; prints one JSON line.
 */
import '#local/environment';
import { ingestDependencies } from '#composition/partner-drop';
import { ingestPartnerFile } from '#use-cases/ingest-partner-file';

const [key, size] = process.argv.slice(2);
// The parent passes the local stack's environment, IDENTIFIER_KEY included.
const deps = ingestDependencies(process.env, process.env.IDENTIFIER_KEY!);
const started = performance.now();
const result = await ingestPartnerFile(
  { key: key!, size: Number(size), sequencer: `bench-${Date.now()}`, receivedAt: new Date().toISOString() },
  deps,
);
const ms = performance.now() - started;
process.stdout.write(
  `${JSON.stringify({ outcome: result.outcome, rows: result.report?.rows, ms, maxRssMb: process.resourceUsage().maxRSS / 1024 })}\n`,
);
