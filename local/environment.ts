/**
 * Defaults for running the functions on a laptop. Imported before anything else in local/, because the
 * Powertools logger and metrics read their settings when they are created.
 */
// Lambda runs Node 24; on a Node 20 laptop the SDK's notice about its future minimum is noise.
const defaults: Record<string, string> = {
  AWS_REGION: 'eu-west-2',
  AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  POWERTOOLS_TRACE_ENABLED: 'false',
  POWERTOOLS_METRICS_DISABLED: 'true',
  POWERTOOLS_LOG_LEVEL: 'WARN',
};

for (const [name, value] of Object.entries(defaults)) process.env[name] ??= value;
