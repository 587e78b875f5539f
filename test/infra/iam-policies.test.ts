import type { IConstruct } from 'constructs';
import { describe, expect, it } from 'vitest';
import { buildStack, logicalIdOf, resourcesOf, type BuiltStack } from './infra-fixture.ts';

interface Statement {
  Effect: string;
  Action: string | string[];
  Resource: unknown;
  Condition?: Record<string, unknown>;
}

const asArray = <T>(v: T | T[]): T[] => (Array.isArray(v) ? v : [v]);

/** Every Allow statement attached to a role, through its inline policies or AWS::IAM::Policy resources. */
function statementsOfRole(built: BuiltStack, role: IConstruct): Statement[] {
  const roleId = logicalIdOf(role);
  const out: Statement[] = [];
  for (const [, policy] of resourcesOf(built.template, 'AWS::IAM::Policy')) {
    const p = policy.Properties as { Roles: { Ref: string }[]; PolicyDocument: { Statement: Statement[] } };
    if (p.Roles.some((r) => r.Ref === roleId)) out.push(...p.PolicyDocument.Statement);
  }
  const inline = (built.template.findResources('AWS::IAM::Role')[roleId]?.Properties?.Policies ?? []) as { PolicyDocument: { Statement: Statement[] } }[];
  for (const p of inline) out.push(...p.PolicyDocument.Statement);
  return out;
}

function allStatements(built: BuiltStack): Statement[] {
  const out: Statement[] = [];
  for (const [, policy] of resourcesOf(built.template, 'AWS::IAM::Policy')) out.push(...policy.Properties.PolicyDocument.Statement);
  for (const [, role] of resourcesOf(built.template, 'AWS::IAM::Role')) {
    for (const p of (role.Properties.Policies ?? []) as { PolicyDocument: { Statement: Statement[] } }[]) out.push(...p.PolicyDocument.Statement);
  }
  return out;
}

const actionsOf = (statements: Statement[]) => statements.flatMap((s) => asArray(s.Action));
const withAction = (statements: Statement[], action: string) => statements.filter((s) => asArray(s.Action).includes(action));

/** Actions AWS does not let a policy scope to a resource; only these may use `Resource: '*'`. */
const UNSCOPABLE_ACTIONS = new Set([
  'xray:PutTraceSegments',
  'xray:PutTelemetryRecords',
  'xray:GetSamplingRules',
  'xray:GetSamplingTargets',
  'ec2:CreateNetworkInterface',
  'ec2:DescribeNetworkInterfaces',
  'ec2:DescribeSubnets',
  'ec2:DeleteNetworkInterface',
  'ec2:AssignPrivateIpAddresses',
  'ec2:UnassignPrivateIpAddresses',
  'ecr:GetAuthorizationToken',
  'logs:CreateLogDelivery',
  'logs:GetLogDelivery',
  'logs:UpdateLogDelivery',
  'logs:DeleteLogDelivery',
  'logs:ListLogDeliveries',
  'logs:PutResourcePolicy',
  'logs:DescribeResourcePolicies',
  'logs:DescribeLogGroups',
  'cloudwatch:GetMetricData',
]);
/** Scoped to one cluster by an `ecs:cluster` condition instead of a resource. */
const CLUSTER_CONDITIONED_ACTIONS = new Set(['ecs:StopTask', 'ecs:DescribeTasks']);

const MSK_CLUSTER = 'arn:aws:kafka:eu-west-1:123456789012:cluster/demo/abcd-1234-5678';
const SASL_SECRET = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:AmazonMSK_tributary-AbCdEf';
const SASL_KEY = 'arn:aws:kms:eu-west-1:123456789012:key/1111-2222-3333';

const configurations: [string, Parameters<typeof buildStack>[0]][] = [
  ['plaintext', {}],
  ['msk-iam', { kafkaAuth: 'msk-iam', mskClusterArn: MSK_CLUSTER }],
  ['sasl-scram-512', { kafkaAuth: 'sasl-scram-512', kafkaSaslSecretArn: SASL_SECRET, kafkaSaslSecretKmsKeyArn: SASL_KEY }],
  ['customer key table', { tableKmsKeyArn: SASL_KEY }],
];

describe.each(configurations)('IAM with %s', (_name, settings) => {
  const built = buildStack(settings);
  const statements = allStatements(built);

  it('grants no wildcard action at all', () => {
    for (const action of actionsOf(statements)) {
      expect(action).not.toBe('*');
      expect(action, `${action} is a wildcard action`).not.toContain('*');
    }
  });

  it("uses Resource '*' only for actions that cannot name a resource", () => {
    for (const s of statements.filter((st) => asArray(st.Resource).includes('*'))) {
      for (const action of asArray(s.Action)) {
        if (CLUSTER_CONDITIONED_ACTIONS.has(action)) {
          expect(s.Condition, action).toMatchObject({ ArnEquals: { 'ecs:cluster': expect.anything() } });
        } else {
          expect(UNSCOPABLE_ACTIONS.has(action), `${action} on Resource '*'`).toBe(true);
        }
      }
    }
  });
});

describe('least privilege per principal', () => {
  const built = buildStack();
  const { service } = built.stack;
  const api = statementsOfRole(built, service.apiFunction.role!);
  const runner = statementsOfRole(built, service.runnerFunction.role!);
  const lifecycle = statementsOfRole(built, service.lifecycleFunction.role!);
  const restarter = statementsOfRole(built, service.restarterFunction.role!);
  const taskRole = statementsOfRole(built, service.runnerTaskDefinition.taskRole);
  const stateMachine = statementsOfRole(built, service.stateMachine.role);
  const tableArn = { 'Fn::GetAtt': [logicalIdOf(service.table), 'Arn'] };
  const smArn = JSON.stringify(built.stack.resolve(service.stateMachineArn));

  it('lets the API, runners, lifecycle and restarter read and write items, never manage the table', () => {
    for (const statements of [api, runner, lifecycle, restarter, taskRole]) {
      const dynamo = statements.filter((s) => actionsOf([s]).some((a) => a.startsWith('dynamodb:')));
      expect(dynamo.length).toBeGreaterThan(0);
      for (const s of dynamo) {
        expect(asArray(s.Resource)).toEqual([tableArn]);
        expect(actionsOf([s])).toEqual(expect.arrayContaining(['dynamodb:UpdateItem', 'dynamodb:Query']));
        for (const never of ['dynamodb:DeleteTable', 'dynamodb:Scan', 'dynamodb:BatchWriteItem', 'dynamodb:DescribeTable']) expect(actionsOf([s])).not.toContain(never);
      }
    }
  });

  it('gives each principal only the item actions its code issues (measured by the assembly test)', () => {
    const dynamo = (statements: typeof api) => actionsOf(statements).filter((a) => a.startsWith('dynamodb:')).sort();
    expect(dynamo(api)).toEqual(['dynamodb:ConditionCheckItem', 'dynamodb:DeleteItem', 'dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:Query', 'dynamodb:UpdateItem']);
    expect(dynamo(lifecycle)).toEqual(['dynamodb:Query', 'dynamodb:UpdateItem']);
    for (const r of [runner, taskRole]) expect(dynamo(r)).toEqual(['dynamodb:BatchGetItem', 'dynamodb:ConditionCheckItem', 'dynamodb:PutItem', 'dynamodb:Query', 'dynamodb:UpdateItem']);
    expect(dynamo(restarter)).toEqual(['dynamodb:ConditionCheckItem', 'dynamodb:DeleteItem', 'dynamodb:PutItem', 'dynamodb:Query', 'dynamodb:UpdateItem']);
  });

  it('lets the API and the restarter start executions of this state machine, and nothing else in Step Functions', () => {
    for (const statements of [api, restarter]) {
      const start = withAction(statements, 'states:StartExecution');
      expect(start).toHaveLength(1);
      expect(JSON.stringify(start[0]!.Resource)).toBe(smArn);
      expect(actionsOf(statements).filter((a) => a.startsWith('states:'))).toEqual(['states:StartExecution']);
    }
  });

  it('lets only the API read metrics (the metrics route), with GetMetricData and no other CloudWatch action', () => {
    const read = withAction(api, 'cloudwatch:GetMetricData');
    expect(read).toHaveLength(1);
    expect(read[0]!.Resource).toBe('*');
    expect(actionsOf(api).filter((a) => a.startsWith('cloudwatch:'))).toEqual(['cloudwatch:GetMetricData']);
    for (const statements of [runner, lifecycle, restarter, taskRole, stateMachine]) expect(actionsOf(statements).filter((a) => a.startsWith('cloudwatch:'))).toEqual([]);
  });

  it('lets the lifecycle function start (continue-as-new) its own state machine and nothing more', () => {
    const states = lifecycle.filter((s) => actionsOf([s]).some((a) => a.startsWith('states:')));
    expect(states).toHaveLength(1);
    expect(asArray(states[0]!.Action)).toEqual(['states:StartExecution']);
    expect(JSON.stringify(states[0]!.Resource)).toBe(smArn);
  });

  it('gives runners no Step Functions or Lambda permissions', () => {
    for (const statements of [runner, taskRole]) {
      expect(actionsOf(statements).filter((a) => a.startsWith('states:') || a.startsWith('lambda:'))).toEqual([]);
    }
  });

  it('lets the state machine invoke exactly the lifecycle and runner functions and run the one task definition', () => {
    const invoke = withAction(stateMachine, 'lambda:InvokeFunction');
    expect(invoke).toHaveLength(1);
    expect(asArray(invoke[0]!.Resource)).toEqual([
      { 'Fn::GetAtt': [logicalIdOf(service.lifecycleFunction), 'Arn'] },
      { 'Fn::GetAtt': [logicalIdOf(service.runnerFunction), 'Arn'] },
    ]);
    const runTask = withAction(stateMachine, 'ecs:RunTask');
    expect(runTask).toEqual([
      expect.objectContaining({
        Resource: { Ref: logicalIdOf(service.runnerTaskDefinition) },
        Condition: { ArnEquals: { 'ecs:cluster': { 'Fn::GetAtt': [logicalIdOf(service.cluster), 'Arn'] } } },
      }),
    ]);
    const passRole = withAction(stateMachine, 'iam:PassRole');
    expect(passRole).toHaveLength(1);
    expect(passRole[0]!.Condition).toEqual({ StringEquals: { 'iam:PassedToService': 'ecs-tasks.amazonaws.com' } });
  });

  it('needs no Kafka or Secrets Manager permissions for PLAINTEXT', () => {
    const all = allStatements(built);
    expect(actionsOf(all).filter((a) => a.startsWith('kafka-cluster:') || a.startsWith('secretsmanager:'))).toEqual([]);
  });
});

describe('Kafka auth grants', { timeout: 60_000 }, () => {
  it('MSK IAM: scopes kafka-cluster actions to the cluster, its topics, connect-* groups and transactional ids', () => {
    const built = buildStack({ kafkaAuth: 'msk-iam', mskClusterArn: MSK_CLUSTER });
    const { service } = built.stack;
    const kafkaStatements = (role: IConstruct) =>
      statementsOfRole(built, role).filter((s) => actionsOf([s]).some((a) => a.startsWith('kafka-cluster:')));
    for (const role of [service.apiFunction.role!, service.runnerFunction.role!, service.runnerTaskDefinition.taskRole]) {
      const statements = kafkaStatements(role);
      expect(statements.length).toBeGreaterThanOrEqual(3);
      for (const s of statements) {
        for (const r of asArray(s.Resource)) {
          expect(r).toMatch(/^arn:aws:kafka:eu-west-1:123456789012:(cluster|topic|group|transactional-id)\/demo\/abcd-1234-5678(\/.*)?$/);
        }
      }
      expect(withAction(statements, 'kafka-cluster:Connect')[0]!.Resource).toBe(MSK_CLUSTER);
      expect(withAction(statements, 'kafka-cluster:AlterGroup')[0]!.Resource).toBe(
        'arn:aws:kafka:eu-west-1:123456789012:group/demo/abcd-1234-5678/connect-*',
      );
    }
    // only runners write transactionally; the control plane may delete sink offsets
    expect(actionsOf(kafkaStatements(service.runnerFunction.role!))).toContain('kafka-cluster:AlterTransactionalId');
    expect(actionsOf(kafkaStatements(service.apiFunction.role!))).not.toContain('kafka-cluster:AlterTransactionalId');
    expect(actionsOf(kafkaStatements(service.apiFunction.role!))).toContain('kafka-cluster:DeleteGroup');
    for (const role of [service.lifecycleFunction.role!, service.restarterFunction.role!]) expect(kafkaStatements(role)).toEqual([]);
  });

  it('SASL/SCRAM: reads the one secret, decrypting only through Secrets Manager', () => {
    const built = buildStack({ kafkaAuth: 'sasl-scram-256', kafkaSaslSecretArn: SASL_SECRET, kafkaSaslSecretKmsKeyArn: SASL_KEY });
    const { service } = built.stack;
    for (const role of [service.apiFunction.role!, service.runnerFunction.role!, service.runnerTaskDefinition.taskRole]) {
      const statements = statementsOfRole(built, role);
      expect(withAction(statements, 'secretsmanager:GetSecretValue')).toEqual([expect.objectContaining({ Action: 'secretsmanager:GetSecretValue', Resource: SASL_SECRET })]);
      expect(withAction(statements, 'kms:Decrypt')).toEqual([
        expect.objectContaining({
          Resource: SASL_KEY,
          Condition: { StringEquals: { 'kms:ViaService': { 'Fn::Join': ['', ['secretsmanager.', { Ref: 'AWS::Region' }, '.amazonaws.com']] } } },
        }),
      ]);
    }
    for (const role of [service.lifecycleFunction.role!, service.restarterFunction.role!]) {
      expect(withAction(statementsOfRole(built, role), 'secretsmanager:GetSecretValue')).toEqual([]);
    }
    built.template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: { KAFKA_AUTH: 'sasl-scram-256', KAFKA_SASL_SECRET_ARN: SASL_SECRET } },
    });
  });
});
