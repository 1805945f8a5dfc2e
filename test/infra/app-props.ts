/**
 * How the infra tests build stacks: with the feature flags of cdk.json (as `cdk synth` does), and prod with the
 * example routing file, as an operator would pass a real one, and the sample postcode lookup accepted (a real
 * deployment imports the ONS Postcode Directory first: functions/adapters/hmpps/README.md).
 */
import { readFileSync } from 'node:fs';
import type { AppProps } from 'aws-cdk-lib';

export const exampleRoutingFile = 'infra/config/routing.example.json';

/** cdk.json's context without the stage: its feature flags. */
export const cdkJsonContext: Record<string, unknown> = Object.fromEntries(
  Object.entries(JSON.parse(readFileSync('cdk.json', 'utf8')).context as Record<string, unknown>).filter(
    ([name]) => name !== 'stage',
  ),
);

export function appProps(stage: string, props: AppProps = {}): AppProps {
  return {
    ...props,
    context: {
      ...cdkJsonContext,
      ...(stage === 'prod' ? { routingFile: exampleRoutingFile, allowSamplePostcodeAreas: true } : {}),
      ...props.context,
    },
  };
}
