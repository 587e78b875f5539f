/**
 * How Tributary reaches Kafka: the bootstrap servers and auth mode handed to functions and
 * runners, and the IAM grants that mode needs (Secrets Manager for SASL/SCRAM,
 * kafka-cluster actions scoped to the cluster, topic, group and transactional-id ARNs for
 * MSK IAM; nothing for PLAINTEXT and TLS).
 */
import { Fn, Stack, Token } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import type { IConstruct } from 'constructs';
import type { ApiEnv } from '../../lib/config/function-env.ts';
import { InfraConfigError } from '../errors.ts';
import { acknowledgeWildcardResources } from './nag-acknowledgments.ts';

/** MSK IAM auth; topic, group and transactional-id names may use `*` as IAM does. */
export interface MskIamAuth {
  readonly mode: 'msk-iam';
  /** `arn:aws:kafka:<region>:<account>:cluster/<name>/<uuid>`. */
  readonly clusterArn: string;
  /** Default `['*']`: connectors read and write the topics their config names. */
  readonly topics?: readonly string[];
  /** Default `['connect-*']`, Kafka Connect's sink group naming. */
  readonly consumerGroups?: readonly string[];
  /** Default `['*']`: exactly-once sources use one transactional id per task. */
  readonly transactionalIds?: readonly string[];
}

export type KafkaAuth =
  | { readonly mode: 'plaintext' }
  | { readonly mode: 'tls' }
  | {
      readonly mode: 'sasl-scram-256' | 'sasl-scram-512';
      /** A secret holding `{"username": "...", "password": "..."}`. */
      readonly secret: secretsmanager.ISecret;
    }
  | MskIamAuth;

export type KafkaAuthMode = KafkaAuth['mode'];

export interface KafkaConnectionProps {
  /** Comma-separated `host:port` list. */
  readonly bootstrapServers: string;
  readonly auth: KafkaAuth;
}

/** What a Kafka client of the service may do. Runners also produce transactionally. */
export type KafkaClientRole = 'control' | 'runner';

/** The Kafka part of a function's environment, shared by the API, runner and Fargate runner. */
export type KafkaEnvironment = Pick<ApiEnv, 'KAFKA_BOOTSTRAP_SERVERS'> & {
  KAFKA_AUTH: KafkaAuthMode;
  KAFKA_SASL_SECRET_ARN: string | undefined;
  AWS_REGION: undefined;
};

const MSK_CLUSTER_ARN = /^arn:[\w-]+:kafka:[\w-]*:\d*:cluster\/[^/]+\/[^/]+$/;

/** Resolves a Kafka connection into environment variables and IAM grants. */
export class KafkaAccess {
  constructor(readonly props: KafkaConnectionProps) {
    if (!Token.isUnresolved(props.bootstrapServers) && props.bootstrapServers.trim() === '') {
      throw new InfraConfigError('kafka.bootstrapServers must name at least one broker');
    }
    const auth = props.auth;
    if (auth.mode === 'msk-iam' && !Token.isUnresolved(auth.clusterArn) && !MSK_CLUSTER_ARN.test(auth.clusterArn)) {
      throw new InfraConfigError(`kafka.auth.clusterArn is not an MSK cluster ARN: ${auth.clusterArn}`);
    }
  }

  get environment(): KafkaEnvironment {
    const auth = this.props.auth;
    return {
      KAFKA_BOOTSTRAP_SERVERS: this.props.bootstrapServers,
      KAFKA_AUTH: auth.mode,
      KAFKA_SASL_SECRET_ARN: auth.mode === 'sasl-scram-256' || auth.mode === 'sasl-scram-512' ? auth.secret.secretArn : undefined,
      // Lambda and ECS set the region themselves.
      AWS_REGION: undefined,
    };
  }

  /** Grants what a Kafka client needs under the configured auth mode; nothing for PLAINTEXT/TLS. */
  grantClient(grantee: iam.IGrantable & IConstruct, role: KafkaClientRole): void {
    const auth = this.props.auth;
    if (auth.mode === 'sasl-scram-256' || auth.mode === 'sasl-scram-512') {
      grantSecretValue(grantee, auth.secret);
    } else if (auth.mode === 'msk-iam') {
      this.grantMskIam(grantee, auth, role);
    }
  }

  private grantMskIam(grantee: iam.IGrantable & IConstruct, auth: MskIamAuth, role: KafkaClientRole): void {
    const wildcards: string[] = [];
    const arn = (type: MskResourceType, names: readonly string[]) => {
      const arns = names.map((name) => mskResourceArn(auth.clusterArn, type, name));
      wildcards.push(...arns.filter((a, i) => names[i]?.includes('*')));
      return arns;
    };
    const add = (actions: string[], resources: string[]) =>
      grantee.grantPrincipal.addToPrincipalPolicy(new iam.PolicyStatement({ actions, resources }));

    add(
      ['kafka-cluster:Connect', 'kafka-cluster:DescribeCluster', ...(role === 'runner' ? ['kafka-cluster:WriteDataIdempotently'] : [])],
      [auth.clusterArn],
    );
    add(
      [
        'kafka-cluster:DescribeTopic',
        'kafka-cluster:DescribeTopicDynamicConfiguration',
        // the offsets topic and DLQ topics are created on first use, as Kafka Connect does
        'kafka-cluster:CreateTopic',
        'kafka-cluster:ReadData',
        'kafka-cluster:WriteData',
      ],
      arn('topic', auth.topics ?? ['*']),
    );
    add(
      // control: the REST API reads, alters and resets sink offsets (`DELETE /connectors/x/offsets`)
      ['kafka-cluster:DescribeGroup', 'kafka-cluster:AlterGroup', ...(role === 'control' ? ['kafka-cluster:DeleteGroup'] : [])],
      arn('group', auth.consumerGroups ?? ['connect-*']),
    );
    if (role === 'runner') {
      add(['kafka-cluster:DescribeTransactionalId', 'kafka-cluster:AlterTransactionalId'], arn('transactional-id', auth.transactionalIds ?? ['*']));
    }
    acknowledgeWildcardResources(
      grantee,
      wildcards,
      'MSK IAM: connectors read and write the topics named in their config, which are not known at deploy time; topic, group and transactional-id ARNs are scoped to this one cluster and to the configured name patterns (groups default to connect-*).',
    );
  }
}

type MskResourceType = 'topic' | 'group' | 'transactional-id';

/** `arn:…:cluster/<name>/<uuid>` → `arn:…:<type>/<name>/<uuid>/<resourceName>`, for tokens too. */
export function mskResourceArn(clusterArn: string, type: MskResourceType, resourceName: string): string {
  if (!Token.isUnresolved(clusterArn)) return `${clusterArn.replace(':cluster/', `:${type}/`)}/${resourceName}`;
  const parts = Fn.split(':cluster/', clusterArn, 2);
  return Fn.join('', [Fn.select(0, parts), `:${type}/`, Fn.select(1, parts), `/${resourceName}`]);
}

/** GetSecretValue on the one secret, and Decrypt through Secrets Manager when it has its own key. */
function grantSecretValue(grantee: iam.IGrantable, secret: secretsmanager.ISecret): void {
  // A partial ARN (no random suffix) must match the suffix Secrets Manager appends.
  const secretArn = secret.secretFullArn ?? `${secret.secretArn}-??????`;
  grantee.grantPrincipal.addToPrincipalPolicy(
    new iam.PolicyStatement({ actions: ['secretsmanager:GetSecretValue'], resources: [secretArn] }),
  );
  if (secret.encryptionKey) {
    grantee.grantPrincipal.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ['kms:Decrypt'],
        resources: [secret.encryptionKey.keyArn],
        conditions: { StringEquals: { 'kms:ViaService': `secretsmanager.${Stack.of(secret).region}.amazonaws.com` } },
      }),
    );
  }
}
