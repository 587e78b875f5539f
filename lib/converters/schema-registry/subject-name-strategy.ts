/**
 * Confluent's subject name strategies: under which subject a key or value schema is
 * registered and looked up.
 */
export type SubjectNameStrategy = 'TopicNameStrategy' | 'RecordNameStrategy' | 'TopicRecordNameStrategy';

const PACKAGE = 'io.confluent.kafka.serializers.subject.';
const STRATEGIES: readonly SubjectNameStrategy[] = ['TopicNameStrategy', 'RecordNameStrategy', 'TopicRecordNameStrategy'];

/** Accepts Confluent's class names and their simple names; throws on anything else. */
export function parseStrategy(name: string): SubjectNameStrategy {
  const simple = name.trim().startsWith(PACKAGE) ? name.trim().slice(PACKAGE.length) : name.trim();
  const found = STRATEGIES.find((s) => s === simple);
  if (!found) throw new Error(`Unknown subject name strategy; use one of ${STRATEGIES.map((s) => PACKAGE + s).join(', ')}`);
  return found;
}

/** The subject for a schema whose record (full) name is `recordName`. */
export function subjectName(strategy: SubjectNameStrategy, topic: string, isKey: boolean, recordName: string): string {
  switch (strategy) {
    case 'TopicNameStrategy':
      return `${topic}-${isKey ? 'key' : 'value'}`;
    case 'RecordNameStrategy':
      return recordName;
    case 'TopicRecordNameStrategy':
      return `${topic}-${recordName}`;
  }
}
