/** Bundled by test/integration/bundled-notify.test.ts exactly as the Lambda bundles are, then sent through. */
export { notifyChannel, notifyClient } from '#adapters/channels/notify';
