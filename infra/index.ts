/**
 * Tributary's CDK constructs for use in your own app: `TributaryService` is the whole
 * service; the smaller constructs are exported for those who compose their own.
 */
export { TributaryService, type TributaryServiceProps } from './constructs/tributary-service.ts';
export { TributaryConnector, ConnectorSecret, type TributaryConnectorProps, type ConnectorTargetState } from './constructs/tributary-connector.ts';
export { TributaryStack, type TributaryStackProps } from './tributary-stack.ts';
export { readAppContext, appContextSchema, type AppContext } from './app-context.ts';
export { ConnectRestApi, type ConnectRestApiOptions, type ConnectRestApiProps } from './constructs/connect-rest-api.ts';
export { connectorStatements, queueArnOf, type ConnectorStatements } from './constructs/connector-grants.ts';
export { ConnectorTable, type ConnectorTableProps } from './constructs/connector-table.ts';
export { FargateRunner, RUNNER_CONTAINER_NAME, type FargateRunnerOptions, type FargateRunnerProps } from './constructs/fargate-runner.ts';
export { KafkaAccess, mskResourceArn, type KafkaAuth, type KafkaAuthMode, type KafkaConnectionProps, type MskIamAuth } from './constructs/kafka-access.ts';
export { ServiceDashboard, type ServiceDashboardProps } from './constructs/service-dashboard.ts';
export { TaskLifecycle, ASL_PATH, type TaskLifecycleOptions, type TaskLifecycleProps } from './constructs/task-lifecycle.ts';
export { TaskRestarter, type TaskRestarterOptions, type TaskRestarterProps } from './constructs/task-restarter.ts';
export { METRICS_NAMESPACE, tributaryMetric, type TributaryMetricName } from './constructs/tributary-metrics.ts';
export { TributaryFunction, FUNCTION_RUNTIME, type TributaryFunctionProps, type LogLevel } from './constructs/tributary-function.ts';
export { InfraConfigError, TributaryInfraError } from './errors.ts';
