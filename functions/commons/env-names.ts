/**
 * The environment variables Gatehouse's functions read, named once: the CDK constructs set them by these names, the
 * functions and the local runtime read them by the same. Table and bucket names are in resources.ts (`envVar`).
 */
export const envNames = {
  stage: 'STAGE',
  /** JSON routing (contacts, escalation, templates); in AWS read from the secret ROUTING_SECRET_ARN names. */
  routingConfig: 'ROUTING_CONFIG',
  /** The lifetimes acknowledging needs, without a contact: the api function's instead of the routing. */
  alertSettings: 'ALERT_SETTINGS',
  lateDayFrom: 'LATE_DAY_FROM',
  scheduleWindowDays: 'SCHEDULE_WINDOW_DAYS',
  retentionDays: 'RETENTION_DAYS',
  auditRetentionDays: 'AUDIT_RETENTION_DAYS',
  watchedPrisons: 'WATCHED_PRISONS',
  partnershipAreas: 'PARTNERSHIP_AREAS',
  custodyDeadLetterQueueUrl: 'CUSTODY_DLQ_URL',
  partnerDropsDeadLetterQueueUrl: 'PARTNER_DROPS_DLQ_URL',
  partnerFileMaxBytes: 'PARTNER_FILE_MAX_BYTES',
  /** Where acknowledge links point (the HTTP API's address). */
  publicBaseUrl: 'PUBLIC_BASE_URL',
  /** 'true' on a stage that pages people: dispatch refuses to start without a GOV.UK Notify key. */
  notifyRequired: 'NOTIFY_REQUIRED',
  notifyBaseUrl: 'NOTIFY_BASE_URL',
  notifyTimeoutMs: 'NOTIFY_TIMEOUT_MS',
  /** How the sweeper learns of delivery: 'callbacks' (Notify calls back) or 'poll' (it asks getNotificationById). */
  notifyReceipts: 'NOTIFY_RECEIPTS',
  /** With polling: how many minutes after Notify accepted a message it is first asked about (default 3). */
  notifyPollAfterMinutes: 'NOTIFY_POLL_AFTER_MINUTES',
  /** Local only: the file every SMS, e-mail and (unless WEBHOOKS_LIVE) webhook is written to instead of sent. */
  outboxFile: 'OUTBOX_FILE',
  webhooksLive: 'WEBHOOKS_LIVE',
  /** JSON list of feed expectations the sweeper checks (domain/heartbeats.ts). */
  heartbeats: 'HEARTBEATS',
} as const;

/**
 * The secrets, one per purpose (adapters/secrets.ts): in AWS `{name}_SECRET_ARN` names the Secrets Manager secret,
 * locally `{name}` holds the value.
 */
export const secretNames = {
  identifierKey: 'IDENTIFIER_KEY',
  routing: 'ROUTING',
  linkSigningKeys: 'LINK_SIGNING_KEYS',
  notifyApiKey: 'NOTIFY_API_KEY',
  webhookSigningKeys: 'WEBHOOK_SIGNING_KEYS',
  notifyCallbackToken: 'NOTIFY_CALLBACK_TOKEN',
} as const;

export type SecretName = (typeof secretNames)[keyof typeof secretNames];

/** The variable that names a secret's ARN in AWS. */
export function secretArnVariable(name: SecretName): `${SecretName}_SECRET_ARN` {
  return `${name}_SECRET_ARN`;
}
