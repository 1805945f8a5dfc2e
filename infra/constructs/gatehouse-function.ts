/** A Gatehouse Lambda: Node.js 24 on arm64, ESM bundle, Powertools configured, logs kept for the stage's period. */
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import { Architecture, LoggingFormat, Runtime, Tracing } from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { Construct } from 'constructs';
import {
  aliases,
  entries,
  esbuildTarget,
  esmRequireBanner,
  externalModules,
  type FunctionName,
} from '#infra/bundling';
import type { StageConfig } from '#infra/config/stages';
import { envNames } from '#commons/env-names';

export interface GatehouseFunctionProps {
  name: FunctionName;
  config: StageConfig;
  key: IKey;
  environment: Record<string, string>;
  timeout?: Duration;
  memorySize?: number;
  reservedConcurrentExecutions?: number;
}

export class GatehouseFunction extends NodejsFunction {
  constructor(scope: Construct, id: string, props: GatehouseFunctionProps) {
    const logGroup = new LogGroup(scope, `${id}Logs`, {
      retention: retention(props.config.logRetentionDays),
      encryptionKey: props.key,
      removalPolicy: props.config.protectData ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });
    // Its own role, allowed to write to its own log group only (instead of the managed basic-execution policy).
    const role = new Role(scope, `${id}Role`, {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      description: `Gatehouse ${props.name} function`,
    });
    role.addToPolicy(
      new PolicyStatement({
        actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        resources: [logGroup.logGroupArn, `${logGroup.logGroupArn}:*`],
      }),
    );
    super(scope, id, {
      role,
      entry: entries[props.name],
      handler: 'handler',
      runtime: Runtime.NODEJS_24_X,
      architecture: Architecture.ARM_64,
      memorySize: props.memorySize ?? 512,
      timeout: props.timeout ?? Duration.seconds(30),
      tracing: Tracing.ACTIVE,
      loggingFormat: LoggingFormat.JSON,
      logGroup,
      ...(props.reservedConcurrentExecutions
        ? { reservedConcurrentExecutions: props.reservedConcurrentExecutions }
        : {}),
      environment: {
        [envNames.stage]: props.config.stage,
        POWERTOOLS_SERVICE_NAME: `gatehouse-${props.name}`,
        POWERTOOLS_METRICS_NAMESPACE: 'Gatehouse',
        NODE_OPTIONS: '--enable-source-maps',
        // Traces must not carry what a handler returns or throws: a case body, an acknowledgement page with its
        // signed token, an error message that echoes input. Segments keep timings and annotations only.
        POWERTOOLS_TRACER_CAPTURE_RESPONSE: 'false',
        POWERTOOLS_TRACER_CAPTURE_ERROR: 'false',
        ...props.environment,
      },
      bundling: {
        format: OutputFormat.ESM,
        minify: true,
        sourceMap: true,
        target: esbuildTarget,
        mainFields: ['module', 'main'],
        banner: esmRequireBanner,
        externalModules,
        esbuildArgs: Object.fromEntries(Object.entries(aliases).map(([from, to]) => [`--alias:${from}`, to])),
      },
    });
  }

  /** Use of the stack's key without wildcard actions: what DynamoDB, SQS and SNS need on the caller's behalf. */
  grantKeyUse(key: IKey): void {
    key.grant(this, 'kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey', 'kms:DescribeKey');
  }
}

function retention(days: number): RetentionDays {
  const known = Object.values(RetentionDays).filter(
    (v): v is RetentionDays => typeof v === 'number' && v > 0,
  );
  const match = known.find((d) => d === days);
  if (!match) throw new Error(`log retention of ${days} days is not one CloudWatch offers`);
  return match;
}
