/**
 * The keys every connector accepts, as Connect's ConnectorConfig, SourceConnectorConfig and
 * SinkConnectorConfig define them, plus Tributary's own `tributary.*` keys (runner choice,
 * restart policy, slice tuning).
 */
import { ConfigDef, ConfigError, Validators, type Validator } from './config-def.ts';

const COMMON = 'Common';
const TRANSFORMS = 'Transforms';
const PREDICATES = 'Predicates';
const ERRORS = 'Error Handling';
const TRIBUTARY = 'Tributary';

const nonNegative: Validator = (name, v) => {
  if (typeof v === 'number' && v < 0) throw new ConfigError(`Invalid value ${v} for configuration ${name}: Value must be at least 0`, name);
};
const retryTimeout: Validator = (name, v) => {
  if (typeof v === 'number' && v < -1) throw new ConfigError(`Invalid value ${v} for configuration ${name}: Value must be at least -1`, name);
};
const uniqueAliases: Validator = (name, v) => {
  if (Array.isArray(v) && new Set(v).size !== v.length) throw new ConfigError(`Invalid value ${v.join(',')} for configuration ${name}: Duplicate alias provided.`, name);
};

function common(): ConfigDef {
  let order = 0;
  const g = (group: string) => ({ group, orderInGroup: ++order });
  return new ConfigDef()
    .define({ name: 'name', type: 'STRING', importance: 'HIGH', documentation: 'Globally unique name to use for this connector.', validator: Validators.nonEmptyString(), displayName: 'Connector name', width: 'MEDIUM', ...g(COMMON) })
    .define({ name: 'connector.class', type: 'STRING', importance: 'HIGH', documentation: 'Name or alias of the class for this connector. Must be a subclass of org.apache.kafka.connect.connector.Connector.', displayName: 'Connector class', width: 'LONG', ...g(COMMON) })
    .define({ name: 'tasks.max', type: 'INT', defaultValue: 1, importance: 'HIGH', documentation: 'Maximum number of tasks to use for this connector.', validator: Validators.atLeast(1), displayName: 'Tasks max', width: 'SHORT', ...g(COMMON) })
    .define({ name: 'tasks.max.enforce', type: 'BOOLEAN', defaultValue: true, importance: 'LOW', documentation: '(Deprecated) Whether to enforce that the tasks.max property is respected by the connector.', ...g(COMMON) })
    .define({ name: 'key.converter', type: 'CLASS', defaultValue: null, importance: 'LOW', documentation: 'Converter class used to convert between Kafka Connect format and the serialized form that is written to Kafka. Defaults to JsonConverter.', displayName: 'Key converter class', ...g(COMMON) })
    .define({ name: 'value.converter', type: 'CLASS', defaultValue: null, importance: 'LOW', documentation: 'Converter class used to convert between Kafka Connect format and the serialized form that is written to Kafka. Defaults to JsonConverter.', displayName: 'Value converter class', ...g(COMMON) })
    .define({ name: 'header.converter', type: 'CLASS', defaultValue: null, importance: 'LOW', documentation: 'HeaderConverter class used to convert between Kafka Connect format and the serialized form that is written to Kafka. Defaults to SimpleHeaderConverter.', displayName: 'Header converter class', ...g(COMMON) })
    .define({ name: 'config.action.reload', type: 'STRING', defaultValue: 'restart', importance: 'LOW', documentation: 'The action that Connect should take on the connector when changes in external configuration providers result in a change in the connector\'s configuration properties.', validator: Validators.in('none', 'restart'), ...g(COMMON) })
    .define({ name: 'transforms', type: 'LIST', defaultValue: [], importance: 'LOW', documentation: 'Aliases for the transformations to be applied to records.', validator: uniqueAliases, displayName: 'Transforms', ...g(TRANSFORMS) })
    .define({ name: 'predicates', type: 'LIST', defaultValue: [], importance: 'LOW', documentation: 'Aliases for the predicates used by transformations.', validator: uniqueAliases, displayName: 'Predicates', ...g(PREDICATES) })
    .define({ name: 'errors.retry.timeout', type: 'LONG', defaultValue: 0, importance: 'MEDIUM', documentation: 'The maximum duration in milliseconds that a failed operation will be reattempted. The default is 0, which means no retries will be attempted. Use -1 for infinite retries.', validator: retryTimeout, ...g(ERRORS) })
    .define({ name: 'errors.retry.delay.max.ms', type: 'LONG', defaultValue: 60000, importance: 'MEDIUM', documentation: 'The maximum duration in milliseconds between consecutive retry attempts.', validator: nonNegative, ...g(ERRORS) })
    .define({ name: 'errors.tolerance', type: 'STRING', defaultValue: 'none', importance: 'MEDIUM', documentation: "Behavior for tolerating errors during connector operation. 'none' is the default value and signals that any error will result in an immediate connector task failure; 'all' changes the behavior to skip over problematic records.", validator: Validators.in('none', 'all'), ...g(ERRORS) })
    .define({ name: 'errors.log.enable', type: 'BOOLEAN', defaultValue: false, importance: 'MEDIUM', documentation: 'If true, write each error and the details of the failed operation and problematic record to the log.', ...g(ERRORS) })
    .define({ name: 'errors.log.include.messages', type: 'BOOLEAN', defaultValue: false, importance: 'MEDIUM', documentation: 'Whether to include in the log the Connect record that resulted in a failure.', ...g(ERRORS) })
    .define({ name: 'tributary.runner', type: 'STRING', defaultValue: 'lambda', importance: 'MEDIUM', documentation: 'Where tasks run: `lambda` (bounded slices, scale to zero when idle) or `fargate` (long-running, for heavy steady streams).', validator: Validators.in('lambda', 'fargate'), ...g(TRIBUTARY) })
    .define({ name: 'tributary.fargate.cpu', type: 'INT', defaultValue: 512, importance: 'LOW', documentation: 'CPU units of a Fargate runner (256, 512, 1024, 2048, 4096).', validator: Validators.in('256', '512', '1024', '2048', '4096'), ...g(TRIBUTARY) })
    .define({ name: 'tributary.fargate.memory', type: 'INT', defaultValue: 1024, importance: 'LOW', documentation: 'Memory of a Fargate runner in MiB.', validator: Validators.atLeast(512), ...g(TRIBUTARY) })
    .define({ name: 'tributary.restart.policy', type: 'STRING', defaultValue: 'on-failure', importance: 'MEDIUM', documentation: 'Whether failed tasks are restarted automatically: `on-failure` or `never`.', validator: Validators.in('on-failure', 'never'), ...g(TRIBUTARY) })
    .define({ name: 'tributary.restart.max.per.hour', type: 'INT', defaultValue: 10, importance: 'MEDIUM', documentation: 'Restart budget: at most this many automatic restarts per task in any hour after the task itself failed; after that the task stays FAILED.', validator: Validators.atLeast(0), ...g(TRIBUTARY) })
    .define({ name: 'tributary.restart.infrastructure.max.per.hour', type: 'INT', defaultValue: 60, importance: 'LOW', documentation: 'A runner lost to the infrastructure (process killed, Lambda timeout or out of memory, Fargate task stopped) is re-run at once, at most this many times per task in any hour; further losses count as task failures, under the restart budget and backoff.', validator: Validators.atLeast(0), ...g(TRIBUTARY) })
    .define({ name: 'tributary.restart.backoff.initial.ms', type: 'LONG', defaultValue: 1000, importance: 'LOW', documentation: 'Wait before the first automatic restart; doubles with each further restart, until the task has run healthily for tributary.restart.backoff.reset.ms.', validator: Validators.atLeast(0), ...g(TRIBUTARY) })
    .define({ name: 'tributary.restart.backoff.max.ms', type: 'LONG', defaultValue: 60000, importance: 'LOW', documentation: 'Upper bound of the wait between automatic restarts.', validator: Validators.atLeast(0), ...g(TRIBUTARY) })
    .define({ name: 'tributary.restart.backoff.reset.ms', type: 'LONG', defaultValue: 300000, importance: 'LOW', documentation: 'After a task has run this long without failing, the restart backoff starts over from its initial wait.', validator: Validators.atLeast(0), ...g(TRIBUTARY) })
    .define({ name: 'tributary.idle.backoff.max.ms', type: 'LONG', defaultValue: 30000, importance: 'LOW', documentation: 'Upper bound of the sleep between slices of an idle task; a task wakes within this bound when data arrives.', validator: Validators.atLeast(1000), ...g(TRIBUTARY) })
    .define({ name: 'offset.flush.interval.ms', type: 'LONG', defaultValue: 5000, importance: 'LOW', documentation: 'Interval at which tasks commit offsets (a worker setting in Connect, per connector here). Tasks also commit whenever they catch up (end of file, end of topic, idle).', validator: Validators.atLeast(100), ...g(TRIBUTARY) })
    .define({ name: 'tributary.offset.flush.max.records', type: 'INT', defaultValue: 60000, importance: 'LOW', documentation: 'Tasks also commit as records flow: a commit begins every third of this many records, with at most two under way, so a lost runner replays at most this many records (at least once).', validator: Validators.atLeast(1), ...g(TRIBUTARY) });
}

/** Keys of every source connector. */
export function sourceConnectorConfigDef(): ConfigDef {
  return common()
    .define({ name: 'exactly.once.support', type: 'STRING', defaultValue: 'requested', importance: 'MEDIUM', documentation: 'Permitted values are requested, required. If set to "required", forces a preflight check for the connector to ensure that it can provide exactly-once semantics with the given configuration.', validator: Validators.in('requested', 'required'), group: 'Exactly Once Support' })
    .define({ name: 'transaction.boundary', type: 'STRING', defaultValue: 'poll', importance: 'MEDIUM', documentation: 'Permitted values are: poll, interval, connector. If set to poll, a new producer transaction will be started and committed for every batch of records that each task from this connector provides to Connect.', validator: Validators.in('poll', 'interval', 'connector'), group: 'Exactly Once Support' })
    .define({ name: 'transaction.boundary.interval.ms', type: 'LONG', defaultValue: null, importance: 'LOW', documentation: 'If transaction.boundary is set to interval, determines the interval for producer transaction commits by connector tasks.', validator: nonNegative, group: 'Exactly Once Support' })
    .define({ name: 'offsets.storage.topic', type: 'STRING', defaultValue: null, importance: 'LOW', documentation: 'The name of a separate offsets topic to use for this connector. If empty or not specified, the global offsets topic connect-offsets is used.', group: 'Offsets Topic' })
    .define({ name: 'topic.creation.groups', type: 'LIST', defaultValue: [], importance: 'LOW', documentation: 'Groups of configurations for topics created by source connectors', group: 'Topic Creation' });
}

/** Keys of every sink connector. */
export function sinkConnectorConfigDef(): ConfigDef {
  return common()
    .define({ name: 'topics', type: 'LIST', defaultValue: [], importance: 'HIGH', documentation: 'List of topics to consume, separated by commas', group: COMMON, displayName: 'Topics' })
    .define({ name: 'topics.regex', type: 'STRING', defaultValue: '', importance: 'HIGH', documentation: 'Regular expression giving topics to consume. Under the hood, the regex is compiled to a java.util.regex.Pattern. Only one of topics or topics.regex should be specified.', validator: Validators.regex(), group: COMMON, displayName: 'Topics regex' })
    .define({ name: 'errors.deadletterqueue.topic.name', type: 'STRING', defaultValue: '', importance: 'MEDIUM', documentation: 'The name of the topic to be used as the dead letter queue (DLQ) for messages that result in an error when processed by this sink connector, or its transformations or converters. The topic name is blank by default, which means that no messages are to be recorded in the DLQ.', group: ERRORS })
    .define({ name: 'errors.deadletterqueue.topic.replication.factor', type: 'SHORT', defaultValue: 3, importance: 'MEDIUM', documentation: 'Replication factor used to create the dead letter queue topic when it doesn\'t already exist.', group: ERRORS })
    .define({ name: 'errors.deadletterqueue.context.headers.enable', type: 'BOOLEAN', defaultValue: false, importance: 'MEDIUM', documentation: 'If true, add headers containing error context to the messages written to the dead letter queue. To avoid clashing with headers from the original record, all error context header keys, all error context header keys will start with __connect.errors.', group: ERRORS });
}
