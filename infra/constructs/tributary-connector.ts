/**
 * TributaryConnector: a Kafka Connect connector declared in CDK and applied on `cdk deploy`
 * through the service's REST API function — created, then updated in place on a config change
 * (never recreated), deleted when removed from the app (or kept, with RETAIN). Secrets are
 * never props: they are Secrets Manager or SSM references, written into the config as
 * Connect config provider placeholders that only the service's runners resolve.
 */
import { CustomResource, RemovalPolicy } from 'aws-cdk-lib';
import type * as iam from 'aws-cdk-lib/aws-iam';
import type * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import type * as ssm from 'aws-cdk-lib/aws-ssm';
import { Construct } from 'constructs';
import { namedAsSecret } from '../../lib/control/config-secrets.ts';
import { InfraConfigError } from '../errors.ts';
import type { TributaryService } from './tributary-service.ts';

export type ConnectorTargetState = 'RUNNING' | 'PAUSED' | 'STOPPED';

/** A connector config value held in Secrets Manager or SSM Parameter Store. */
export class ConnectorSecret {
  /**
   * A field of a JSON secret in Secrets Manager (`${secretsmanager:<arn>:<field>}`). The field
   * is required: a secret ARN holds colons, so the provider syntax needs the field to end it.
   */
  static fromSecretsManager(secret: secretsmanager.ISecret, field: string): ConnectorSecret {
    if (!field || field.includes(':') || field.includes('}')) throw new InfraConfigError(`Secret field "${field}" must be a non-empty JSON key without ':' or '}'`);
    return new ConnectorSecret(`\${secretsmanager:${secret.secretArn}:${field}}`, (g) => secret.grantRead(g));
  }

  /** An SSM parameter (`${ssm:<name>}`), SecureString or not. */
  static fromSsmParameter(parameter: ssm.IParameter): ConnectorSecret {
    return new ConnectorSecret(`\${ssm:${parameter.parameterName}}`, (g) => parameter.grantRead(g));
  }

  private constructor(
    /** The placeholder written into the connector config. */
    readonly placeholder: string,
    readonly grantRead: (grantee: iam.IGrantable) => void,
  ) {}
}

export interface TributaryConnectorProps {
  readonly service: TributaryService;
  /** The connector's name in the REST API (Connect's rules). Changing it creates a new connector. */
  readonly name: string;
  /** The connector config, as for `POST /connectors` — without secrets (see `secrets`). */
  readonly config: Readonly<Record<string, string>>;
  /** Config keys whose values are secrets, by reference. */
  readonly secrets?: Readonly<Record<string, ConnectorSecret>>;
  /** Default RUNNING. */
  readonly state?: ConnectorTargetState;
  /** Source or sink offsets written once, when the connector is created. */
  readonly initialOffsets?: readonly { partition: Record<string, unknown>; offset: Record<string, unknown> | null }[];
  /** DESTROY (default) deletes the connector when it leaves the app; RETAIN keeps it running. */
  readonly removalPolicy?: RemovalPolicy;
  /**
   * Grant the service's runners what this config needs of S3, SQS or DynamoDB (see
   * `TributaryService.grantConnector`). Default true; false when you grant it yourself.
   */
  readonly grantAwsAccess?: boolean;
}


export class TributaryConnector extends Construct {
  readonly connectorName: string;
  readonly resource: CustomResource;

  constructor(scope: Construct, id: string, props: TributaryConnectorProps) {
    super(scope, id);
    const secrets = props.secrets ?? {};
    for (const [key, value] of Object.entries(props.config)) {
      if (key in secrets) throw new InfraConfigError(`Connector ${props.name}: ${key} is given both as config and as a secret`);
      // The service's one secret rule, by name (the plugin definitions live in the runners).
      if (namedAsSecret(key) && !value.startsWith('${')) {
        throw new InfraConfigError(`Connector ${props.name}: ${key} looks like a secret; pass it through "secrets" (Secrets Manager or SSM), not as a plain value in the template`);
      }
    }
    if (props.config.name !== undefined && props.config.name !== props.name) throw new InfraConfigError(`Connector ${props.name}: config name ${props.config.name} differs`);
    const config: Record<string, string> = { ...props.config };
    for (const [key, secret] of Object.entries(secrets)) {
      config[key] = secret.placeholder;
      for (const reader of props.service.configReaders) secret.grantRead(reader);
    }
    if (props.grantAwsAccess ?? true) props.service.grantConnector({ ...props.config, name: props.name });
    this.connectorName = props.name;
    this.resource = new CustomResource(this, 'Resource', {
      serviceToken: props.service.connectorProvider().serviceToken,
      resourceType: 'Custom::TributaryConnector',
      removalPolicy: props.removalPolicy ?? RemovalPolicy.DESTROY,
      properties: {
        Name: props.name,
        Config: config,
        State: props.state ?? 'RUNNING',
        ...(props.initialOffsets?.length ? { InitialOffsets: JSON.stringify(props.initialOffsets) } : {}),
      },
    });
  }
}
