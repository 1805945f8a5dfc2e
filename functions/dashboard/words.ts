/**
 * The domain's words the dashboard reads, served to the page as `words.js` (site.ts writes it from these values),
 * so the page's lists of pathways, statuses, checkpoints and buckets are the domain's and never a copy.
 * Only plain data here: the page receives it as JSON.
 */
import { ackBuckets as bucketsWithWords } from '#domain/alerts';

export { accommodationCheckpoints, accommodationStatuses, pathways } from '#domain/circumstances';
export const ackBuckets = bucketsWithWords.map((b) => b.bucket);
