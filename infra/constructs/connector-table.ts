/**
 * The store: one DynamoDB table holding connector configs, task configs, statuses and
 * leases (`pk`/`sk` string keys), on demand, with point-in-time recovery and encryption.
 */
import { RemovalPolicy } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';

export interface ConnectorTableProps {
  /** Default: RETAIN. DESTROY drops the table (and its data) with the stack. */
  readonly removalPolicy?: RemovalPolicy;
  /** Default: on unless removalPolicy is DESTROY, which protection would block. */
  readonly deletionProtection?: boolean;
  /** Customer managed key; default: the AWS managed key (aws/dynamodb). */
  readonly encryptionKey?: kms.IKey;
}

/**
 * Item-level actions a Tributary function needs. Transactions are authorized through the
 * actions they contain (PutItem, UpdateItem, DeleteItem, ConditionCheckItem). No Scan:
 * the store lists connectors with a Query on its index partition.
 */
const DATA_ACTIONS = [
  'dynamodb:GetItem',
  'dynamodb:BatchGetItem',
  'dynamodb:Query',
  'dynamodb:ConditionCheckItem',
  'dynamodb:PutItem',
  'dynamodb:UpdateItem',
  'dynamodb:DeleteItem',
  'dynamodb:BatchWriteItem',
  'dynamodb:DescribeTable',
];

/** Key actions DynamoDB needs on the caller's behalf when the table uses a customer key. */
const KEY_ACTIONS = ['kms:Decrypt', 'kms:DescribeKey', 'kms:Encrypt', 'kms:GenerateDataKey'];

/** The single table of a Tributary service. */
export class ConnectorTable extends Construct {
  readonly table: dynamodb.Table;

  constructor(scope: Construct, id: string, props: ConnectorTableProps = {}) {
    super(scope, id);
    const removalPolicy = props.removalPolicy ?? RemovalPolicy.RETAIN;
    this.table = new dynamodb.Table(this, 'Table', {
      partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING },
      sortKey: { name: 'sk', type: dynamodb.AttributeType.STRING },
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      ...(props.encryptionKey
        ? { encryption: dynamodb.TableEncryption.CUSTOMER_MANAGED, encryptionKey: props.encryptionKey }
        : { encryption: dynamodb.TableEncryption.AWS_MANAGED }),
      deletionProtection: props.deletionProtection ?? removalPolicy !== RemovalPolicy.DESTROY,
      removalPolicy,
    });
  }

  /** Lets a function read and write items (never manage the table). */
  grantReadWriteData(grantee: iam.IGrantable): void {
    this.table.grant(grantee, ...DATA_ACTIONS);
    this.table.encryptionKey?.grant(grantee, ...KEY_ACTIONS);
  }
}
