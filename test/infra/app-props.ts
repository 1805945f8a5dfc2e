/** How the infra tests build stacks: prod with the example routing file, as an operator would pass a real one. */
import type { AppProps } from 'aws-cdk-lib';

export const exampleRoutingFile = 'infra/config/routing.example.json';

export function appProps(stage: string, props: AppProps = {}): AppProps {
  return stage === 'prod' ? { ...props, context: { routingFile: exampleRoutingFile, ...props.context } } : props;
}
