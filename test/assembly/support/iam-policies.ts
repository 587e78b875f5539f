/**
 * The IAM policies of the synthesized template, evaluated against the calls the assembly
 * recorded: whether each call is allowed by its principal's identity policies (inline, attached,
 * or the few AWS managed policies whose statements are written out below) (Allow
 * statements whose Action and Resource match, with IAM's `*` and `?` wildcards; no Deny is
 * used in the template), and which granted action/resource pairs no call ever used.
 * Conditions are not evaluated: a call counts as allowed by a statement with a condition,
 * and such statements are listed so their conditions can be read.
 */
import type { RecordedCall } from './aws-endpoint.ts';
import type { Cfn, TemplateResolver } from './cfn-template.ts';

export interface Statement {
  readonly effect: 'Allow' | 'Deny';
  readonly actions: string[];
  readonly resources: string[];
  readonly condition?: Record<string, unknown>;
}

export interface Grant {
  readonly principal: string;
  readonly action: string;
  readonly resource: string;
}

/**
 * AWS managed policies the template attaches (only aws-cdk-lib's own constructs do), by the
 * path of their ARN, with their statements as AWS publishes them.
 */
const MANAGED_POLICIES: Record<string, Statement[]> = {
  'service-role/AWSLambdaBasicExecutionRole': [{ effect: 'Allow', actions: ['logs:CreateLogGroup', 'logs:CreateLogStream', 'logs:PutLogEvents'], resources: ['*'] }],
};

function managedStatements(roleLogicalId: string, arn: string): Statement[] {
  const path = /^arn:[\w-]+:iam::aws:policy\/(.+)$/.exec(arn)?.[1] ?? '';
  const statements = MANAGED_POLICIES[path];
  if (!statements) throw new Error(`${roleLogicalId} has the managed policy ${arn}, which the assembly test cannot read`);
  return statements;
}

const list = (v: Cfn): string[] => (v === undefined ? [] : Array.isArray(v) ? v.map(String) : [String(v)]);

/** Every identity-policy statement attached to a role, inline or through AWS::IAM::Policy. */
export function statementsOf(resolver: TemplateResolver, roleLogicalId: string): Statement[] {
  const docs: Cfn[] = [];
  const role = resolver.resource(roleLogicalId).Properties ?? {};
  const managed = (resolver.resolve(role.ManagedPolicyArns ?? []) as string[]).flatMap((arn) => managedStatements(roleLogicalId, arn));
  for (const p of role.Policies ?? []) docs.push(p.PolicyDocument);
  for (const id of resolver.ofType('AWS::IAM::Policy')) {
    const p = resolver.resource(id).Properties;
    if ((p.Roles ?? []).some((r: Cfn) => r?.Ref === roleLogicalId)) docs.push(p.PolicyDocument);
  }
  return [
    ...managed,
    ...docs.flatMap((doc) =>
      (resolver.resolve(doc).Statement as Cfn[]).map((s) => {
        if (s.NotAction || s.NotResource) throw new Error(`NotAction/NotResource in ${roleLogicalId}'s policies is not evaluated by the assembly test`);
        return { effect: s.Effect, actions: list(s.Action), resources: list(s.Resource), condition: s.Condition };
      }),
    ),
  ];
}

/** IAM's wildcard match: `*` any run of characters, `?` one; actions compare case-insensitively. */
export function wildcard(pattern: string, value: string, ignoreCase = false): boolean {
  const re = new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`, ignoreCase ? 'i' : '');
  return re.test(value);
}

export function allows(statements: Statement[], action: string, resource: string): boolean {
  const matching = (s: Statement) => s.actions.some((a) => wildcard(a, action, true)) && s.resources.some((r) => wildcard(r, resource));
  return statements.some((s) => s.effect === 'Allow' && matching(s)) && !statements.some((s) => s.effect === 'Deny' && matching(s));
}

/** Calls that no policy of their principal allows. */
export function deniedCalls(resolver: TemplateResolver, calls: readonly RecordedCall[]): RecordedCall[] {
  const cache = new Map<string, Statement[]>();
  const of = (p: string) => cache.get(p) ?? cache.set(p, statementsOf(resolver, p)).get(p) ?? [];
  return calls.filter((c) => !allows(of(c.principal), c.action, c.resource));
}

/** Granted (action, resource) pairs of a principal that no recorded call of it used. */
export function unusedGrants(resolver: TemplateResolver, principal: string, calls: readonly RecordedCall[]): Grant[] {
  const mine = calls.filter((c) => c.principal === principal);
  const out: Grant[] = [];
  for (const s of statementsOf(resolver, principal)) {
    if (s.effect !== 'Allow') continue;
    for (const action of s.actions)
      for (const resource of s.resources)
        if (!mine.some((c) => wildcard(action, c.action, true) && wildcard(resource, c.resource))) out.push({ principal, action, resource });
  }
  return out;
}
