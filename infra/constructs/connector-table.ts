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
 * What each kind of principal does with the table, as the assembly test measures it
 * (test/assembly: every call recorded and checked against these grants). Transactions are
 * authorized through the actions they contain. Never granted: Scan (connectors are listed
 * with a Query on the index partition), BatchWriteItem (the store never issues one) and
 * DescribeTable (only `ensureTable`, which runs against DynamoDB Local, calls it).
 */
export type StoreAccess = 'control' | 'lifecycle' | 'runner' | 'restarter';

const DATA_ACTIONS: Readonly<Record<StoreAccess, readonly string[]>> = {
  // The REST API: configs by key, creates, updates, deletes; ConditionCheckItem guards
  // versioned status writes and transactions split past 100 items (connectors with many tasks).
  control: ['dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:ConditionCheckItem'],
  // Lease renewals, slice outcomes and failure records: state reads and item updates only.
  lifecycle: ['dynamodb:Query', 'dynamodb:UpdateItem'],
  // Runners: one BatchGetItem per slice for config and lease, fenced status writes
  // (ConditionCheckItem on the lease epoch), offset snapshots and topic lists.
  runner: ['dynamodb:BatchGetItem', 'dynamodb:Query', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:ConditionCheckItem'],
  // Restarts (lease claims) and the monitor's re-planning, whose config update deletes the
  // statuses of tasks a connector no longer has.
  restarter: ['dynamodb:Query', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:ConditionCheckItem'],
};

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

  /** Lets a principal read and write items as its kind needs (never manage the table). */
  grantData(grantee: iam.IGrantable, access: StoreAccess): void {
    this.table.grant(grantee, ...DATA_ACTIONS[access]);
    this.table.encryptionKey?.grant(grantee, ...KEY_ACTIONS);
  }
}
