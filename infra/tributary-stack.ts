/**
 * TributaryStack: the stack `cdk deploy` creates. It turns the app's plain settings (ids and
 * ARNs from context) into constructs and instantiates one TributaryService.
 */
import { Annotations, CfnOutput, Duration, RemovalPolicy, Stack, Validations, type StackProps } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import type { Construct } from 'constructs';
import { PLACEHOLDER_BOOTSTRAP_SERVERS, type AppContext } from './app-context.ts';
import type { KafkaAuth } from './constructs/kafka-access.ts';
import { TributaryService, type TributaryServiceProps } from './constructs/tributary-service.ts';

export interface TributaryStackProps extends StackProps {
  readonly settings: AppContext;
  /** Extra service props, e.g. `functionCode` in tests; settings win where both apply. */
  readonly service?: Partial<Omit<TributaryServiceProps, 'kafka'>>;
}

const REMOVAL_POLICIES = {
  retain: RemovalPolicy.RETAIN,
  destroy: RemovalPolicy.DESTROY,
  snapshot: RemovalPolicy.SNAPSHOT,
} as const;

/** One Tributary deployment. */
export class TributaryStack extends Stack {
  readonly service: TributaryService;

  constructor(scope: Construct, id: string, props: TributaryStackProps) {
    super(scope, id, props);
    const s = props.settings;
    if (s.kafkaBootstrapServers === undefined) {
      Annotations.of(this).addWarningV2(
        'tributary:placeholderBootstrapServers',
        `No tributary:kafkaBootstrapServers in context: runners will try ${PLACEHOLDER_BOOTSTRAP_SERVERS}. See docs/deploy.md.`,
      );
    }

    this.service = new TributaryService(this, 'Service', {
      ...props.service,
      kafka: { bootstrapServers: s.kafkaBootstrapServers ?? PLACEHOLDER_BOOTSTRAP_SERVERS, auth: this.kafkaAuth(s) },
      ...this.network(s),
      removalPolicy: REMOVAL_POLICIES[s.removalPolicy],
      deletionProtection: s.deletionProtection,
      tableEncryptionKey: s.tableKmsKeyArn ? kms.Key.fromKeyArn(this, 'TableKey', s.tableKmsKeyArn) : undefined,
      logLevel: s.logLevel,
      api: {
        ...props.service?.api,
        cloudWatchRole: s.apiGatewayCloudWatchRole,
        throttlingRateLimit: s.apiThrottleRateLimit,
        throttlingBurstLimit: s.apiThrottleBurstLimit,
        webAclArn: s.webAclArn,
      },
      lifecycle: {
        ...props.service?.lifecycle,
        runnerMemorySize: s.runnerMemoryMb,
        runnerTimeout: s.runnerTimeoutSeconds === undefined ? undefined : Duration.seconds(s.runnerTimeoutSeconds),
      },
    });

    new CfnOutput(this, 'ApiUrl', { value: this.service.apiUrl, description: 'Kafka Connect REST API (SigV4, service execute-api)' });
    new CfnOutput(this, 'TableName', { value: this.service.table.tableName });
    new CfnOutput(this, 'StateMachineArn', { value: this.service.stateMachineArn });
    new CfnOutput(this, 'DashboardName', { value: this.service.dashboard.dashboardName });
  }

  private kafkaAuth(s: AppContext): KafkaAuth {
    switch (s.kafkaAuth) {
      case 'plaintext':
      case 'tls':
        return { mode: s.kafkaAuth };
      case 'sasl-scram-256':
      case 'sasl-scram-512':
        return {
          mode: s.kafkaAuth,
          // readAppContext guarantees the ARN for SASL modes
          secret: secretsmanager.Secret.fromSecretAttributes(this, 'KafkaSaslSecret', {
            secretCompleteArn: s.kafkaSaslSecretArn ?? '',
            encryptionKey: s.kafkaSaslSecretKmsKeyArn ? kms.Key.fromKeyArn(this, 'KafkaSaslSecretKey', s.kafkaSaslSecretKmsKeyArn) : undefined,
          }),
        };
      case 'msk-iam':
        return { mode: 'msk-iam', clusterArn: s.mskClusterArn ?? '', topics: s.mskTopics };
    }
  }

  /** An existing VPC by id (no lookup, so synth stays offline), or nothing: the service then creates a demo VPC. */
  private network(s: AppContext): Pick<TributaryServiceProps, 'vpc' | 'vpcSubnets' | 'securityGroups'> {
    if (s.vpcId === undefined || s.subnetIds === undefined) return {};
    const vpc = ec2.Vpc.fromVpcAttributes(this, 'Vpc', {
      vpcId: s.vpcId,
      availabilityZones: s.availabilityZones ?? this.availabilityZones,
    });
    const subnets = s.subnetIds.map((subnetId, i) => {
      const subnet = ec2.Subnet.fromSubnetAttributes(this, `Subnet${i}`, { subnetId, availabilityZone: s.availabilityZones?.[i] });
      Validations.of(subnet).acknowledge({
        id: 'Annotation::@aws-cdk/aws-ec2:noSubnetRouteTableId',
        reason: 'Tributary only places ENIs in these subnets and never reads or changes their route tables.',
      });
      return subnet;
    });
    const securityGroups = s.securityGroupIds?.map((id, i) =>
      // immutable: rules of a shared group are managed by its owner, not by this stack
      ec2.SecurityGroup.fromSecurityGroupId(this, `SecurityGroup${i}`, id, { mutable: false }),
    );
    return { vpc, vpcSubnets: { subnets }, securityGroups };
  }
}
