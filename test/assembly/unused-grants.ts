/**
 * Permissions the template grants that the assembly run never uses, each with the reason it
 * stays. The assembly test fails on any unused grant missing here, so a new permission is
 * either exercised by the run or justified in this list (and at its grant in infra/).
 * Keys are `<principal> <action>`; principals are named as in AssemblyHost.principals.
 */
const LAMBDA_SERVICE = {
  'logs:CreateLogStream': 'The Lambda service writes the function\'s output to its own log group with the execution role; nothing runs that locally.',
  'logs:PutLogEvents': 'As logs:CreateLogStream: used by the Lambda service, on the function\'s own log group only.',
  'xray:PutTelemetryRecords': 'Active tracing: the runtime\'s X-Ray daemon sends segments; X-Ray takes no resource-level permission.',
  'xray:PutTraceSegments': 'As xray:PutTelemetryRecords.',
};
const VPC_ENI = {
  'ec2:CreateNetworkInterface': 'A VPC function: the Lambda service manages its network interfaces with the execution role (what AWSLambdaVPCAccessExecutionRole grants).',
  'ec2:DescribeNetworkInterfaces': 'As ec2:CreateNetworkInterface.',
  'ec2:DescribeSubnets': 'As ec2:CreateNetworkInterface.',
  'ec2:DeleteNetworkInterface': 'As ec2:CreateNetworkInterface.',
  'ec2:AssignPrivateIpAddresses': 'As ec2:CreateNetworkInterface.',
  'ec2:UnassignPrivateIpAddresses': 'As ec2:CreateNetworkInterface.',
};
const prefixed = (principal: string, grants: Record<string, string>) => Object.fromEntries(Object.entries(grants).map(([action, why]) => [`${principal} ${action}`, why]));

/** What aws-cdk-lib's custom resource provider framework grants its own onEvent function. */
const PROVIDER_FRAMEWORK = {
  'logs:CreateLogGroup': 'AWSLambdaBasicExecutionRole, the managed policy aws-cdk-lib attaches to its provider framework function: the Lambda service writes that function\'s logs with it.',
  'logs:CreateLogStream': 'As logs:CreateLogGroup.',
  'logs:PutLogEvents': 'As logs:CreateLogGroup.',
  'lambda:GetFunction': 'The framework waits for the handler function to become Active (waitUntilFunctionActiveV2) only when an invoke of it fails; every invoke of the run succeeds.',
  'lambda:InvokeFunction': 'Granted on the handler function and on its versions (`:*`); the framework invokes the unqualified function, so the versions grant is unused.',
};

const STATE_MACHINE_LOGS = 'Step Functions delivers the execution log (level ALL) to the vended log group through a log delivery it manages with these actions; they take no resource-level permission.';
const STATE_MACHINE_XRAY = 'tracingEnabled: Step Functions sends X-Ray segments itself.';

export const UNUSED_GRANTS_JUSTIFIED: Readonly<Record<string, string>> = {
  ...prefixed('api', { ...LAMBDA_SERVICE, ...VPC_ENI }),
  ...prefixed('runner', { ...LAMBDA_SERVICE, ...VPC_ENI }),
  ...prefixed('lifecycle', LAMBDA_SERVICE),
  ...prefixed('restarter', LAMBDA_SERVICE),
  ...prefixed('connectorResource', LAMBDA_SERVICE),
  ...prefixed('connectorProvider', PROVIDER_FRAMEWORK),
  'api dynamodb:ConditionCheckItem': 'Status writes with an expected version, and config changes of connectors with so many tasks that one transaction (100 items) is not enough, check the config version; the run\'s connectors have one task.',
  'api cloudwatch:GetMetricData': 'The metrics route (/tributary/metrics/connectors/{name}) reads the runners\' metrics from CloudWatch, which the run has no stand-in for; the request and the mapping of its answer are unit-tested with a mocked client.',
  'restarter dynamodb:DeleteItem': 'The connector monitor re-plans connectors whose task split changes at run time; fewer tasks delete the surplus task statuses. FileStream connectors never re-plan.',
  'lifecycle states:StartExecution': 'ContinueAsNew starts the next execution after 500 slices (SLICES_PER_EXECUTION); the run is shorter.',
  'stateMachine logs:CreateLogDelivery': STATE_MACHINE_LOGS,
  'stateMachine logs:DeleteLogDelivery': STATE_MACHINE_LOGS,
  'stateMachine logs:DescribeLogGroups': STATE_MACHINE_LOGS,
  'stateMachine logs:DescribeResourcePolicies': STATE_MACHINE_LOGS,
  'stateMachine logs:GetLogDelivery': STATE_MACHINE_LOGS,
  'stateMachine logs:ListLogDeliveries': STATE_MACHINE_LOGS,
  'stateMachine logs:PutResourcePolicy': STATE_MACHINE_LOGS,
  'stateMachine logs:UpdateLogDelivery': STATE_MACHINE_LOGS,
  'stateMachine xray:GetSamplingRules': STATE_MACHINE_XRAY,
  'stateMachine xray:GetSamplingTargets': STATE_MACHINE_XRAY,
  'stateMachine xray:PutTelemetryRecords': STATE_MACHINE_XRAY,
  'stateMachine xray:PutTraceSegments': STATE_MACHINE_XRAY,
  'stateMachine ecs:DescribeTasks': 'runTask.sync: Step Functions describes the task while it waits for it to stop; limited to this cluster by a condition.',
  'stateMachine ecs:StopTask': 'Stopping (or timing out) an execution whose RunFargateTask is in progress makes Step Functions stop that task; limited to this cluster by a condition.',
  'stateMachine events:DescribeRule': 'runTask.sync learns that the task stopped through the managed rule StepFunctionsGetEventsForECSTaskRule, which Step Functions creates and targets itself.',
  'stateMachine events:PutRule': 'As events:DescribeRule.',
  'stateMachine events:PutTargets': 'As events:DescribeRule.',
};
