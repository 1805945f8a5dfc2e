/**
 * What a function needs to fetch release facts from HMPPS: the secret holding the HMPPS Auth client credentials
 * (operators put HMPPS's values in it: `aws secretsmanager put-secret-value --secret-string
 * '{"clientId":"…","clientSecret":"…"}'`), the APIs' base URLs, and the postcode lookup checked at synth (the
 * repository's sample is refused where data is protected, i.e. in production).
 *
 * `connect(fn)` gives one function the environment (names from functions/adapters/hmpps/config.ts) and read access
 * to the secret, and turns off the tracer's capture of outgoing HTTP requests: their URLs hold prison numbers.
 */
import { RemovalPolicy } from 'aws-cdk-lib';
import type { IGrantable } from 'aws-cdk-lib/aws-iam';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { hmppsEnv } from '#adapters/hmpps/config';
import { checkPostcodeAreas, POSTCODE_AREAS_FILE } from '#adapters/postcode-areas';
import type { PostcodeAreas } from '#domain/postcode-areas';
import type { StageConfig } from '#infra/config/stages';

export interface HmppsEndpoints {
  authUrl: string;
  prisonerSearchUrl: string;
  probationUrl: string;
  resettlementPassportUrl: string;
  cas3Url: string;
}

/** HMPPS production, as HMPPS's own services configure it (hmpps-resettlement-passport-api helm_deploy/values-prod.yaml). */
export const hmppsProduction: HmppsEndpoints = {
  authUrl: 'https://sign-in.hmpps.service.justice.gov.uk/auth',
  prisonerSearchUrl: 'https://prisoner-search.prison.service.justice.gov.uk',
  probationUrl: 'https://resettlement-passport-and-delius.hmpps.service.justice.gov.uk',
  resettlementPassportUrl: 'https://resettlement-passport-api.hmpps.service.justice.gov.uk',
  cas3Url: 'https://approved-premises-api.hmpps.service.justice.gov.uk',
};

export interface HmppsApisProps {
  config: StageConfig;
  key: IKey;
  endpoints?: HmppsEndpoints;
  /** The postcode lookup to check; the bundled one by default. */
  postcodeAreasFile?: string;
  /** Accept the repository's sample lookup; by default only where data is not protected (not in production). */
  allowSamplePostcodeAreas?: boolean;
}

export class HmppsApis extends Construct {
  readonly secret: Secret;
  readonly endpoints: HmppsEndpoints;
  readonly postcodeAreas: PostcodeAreas;

  constructor(scope: Construct, id: string, props: HmppsApisProps) {
    super(scope, id);
    this.postcodeAreas = checkPostcodeAreas(props.postcodeAreasFile ?? POSTCODE_AREAS_FILE, {
      allowSample: props.allowSamplePostcodeAreas ?? !props.config.protectData,
    });
    this.endpoints = props.endpoints ?? hmppsProduction;
    this.secret = new Secret(this, 'ClientCredentials', {
      description:
        'Gatehouse: HMPPS Auth client credentials {"clientId", "clientSecret"} (client-credentials grant), issued by HMPPS',
      encryptionKey: props.key,
      // Empty until an operator puts HMPPS's values in; the functions then say which field is missing.
      generateSecretString: {
        secretStringTemplate: JSON.stringify({ clientId: '', clientSecret: '' }),
        generateStringKey: 'placeholder',
        passwordLength: 16,
      },
      removalPolicy: props.config.protectData ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });
  }

  connect(fn: IGrantable & { addEnvironment(name: string, value: string): unknown }): void {
    const environment: Record<string, string> = {
      [hmppsEnv.authUrl]: this.endpoints.authUrl,
      [hmppsEnv.prisonerSearchUrl]: this.endpoints.prisonerSearchUrl,
      [hmppsEnv.probationUrl]: this.endpoints.probationUrl,
      [hmppsEnv.resettlementPassportUrl]: this.endpoints.resettlementPassportUrl,
      [hmppsEnv.cas3Url]: this.endpoints.cas3Url,
      [hmppsEnv.clientSecretArn]: this.secret.secretArn,
      POWERTOOLS_TRACER_CAPTURE_HTTPS_REQUESTS: 'false',
    };
    for (const [name, value] of Object.entries(environment)) fn.addEnvironment(name, value);
    this.secret.grantRead(fn);
  }
}
