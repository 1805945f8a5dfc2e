/**
 * The CDK app: `npx cdk synth -c stage=dev|prod`. cdk-nag's AwsSolutions pack checks every synth;
 * an unacknowledged finding stops it.
 */
import { App, Validations, type AppProps } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { stageConfig } from './config/stages';
import { GatehouseStack } from './gatehouse-stack';
import { acknowledgeFindings } from './nag-acknowledgements';

export function buildApp(stage: string, props: AppProps = {}): { app: App; stack: GatehouseStack } {
  const app = new App(props);
  const config = stageConfig(stage);
  const stack = new GatehouseStack(app, `Gatehouse-${config.stage}`, {
    config,
    env: {
      region: config.region,
      ...(process.env.CDK_DEFAULT_ACCOUNT ? { account: process.env.CDK_DEFAULT_ACCOUNT } : {}),
    },
    description: `Gatehouse release coordination (${config.stage})`,
    tags: { project: 'gatehouse', stage: config.stage },
  });
  acknowledgeFindings(stack);
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  return { app, stack };
}

// Run as the CDK app (cdk.json), not when imported by the tests.
if (process.argv[1] && import.meta.filename === process.argv[1]) {
  // The probe only reads the context: autoSynth off, or at exit it would write an empty assembly over the real one.
  const probe = new App({ autoSynth: false });
  buildApp(String(probe.node.tryGetContext('stage') ?? 'dev')).app.synth();
}
