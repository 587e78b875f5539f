/**
 * cdk-nag v3 acknowledgments. v3 matches a finding by its exact id, `Rule[Finding]`, with
 * no patterns, so a wildcard resource that contains tokens (account, region, logical ids)
 * is acknowledged by computing the very string cdk-nag will report for it.
 */
import { Stack, Validations } from 'aws-cdk-lib';
// cdk-nag's own flattening of CloudFormation references into finding ids (not re-exported).
import { flattenCfnReference } from 'cdk-nag/lib/utils/flatten-cfn-reference.js';
import type { IConstruct } from 'constructs';

/** Acknowledges one cdk-nag rule (or one finding of it) on a construct and everything below it. */
export function acknowledgeRule(scope: IConstruct, id: string, reason: string): void {
  Validations.of(scope).acknowledge({ id, reason });
}

/** The finding id AwsSolutions-IAM5 reports for a wildcard resource ARN. */
export function wildcardResourceFinding(scope: IConstruct, resourceArn: string): string {
  return `AwsSolutions-IAM5[Resource::${flattenCfnReference(Stack.of(scope).resolve(resourceArn))}]`;
}

/** Acknowledges AwsSolutions-IAM5 for exactly these wildcard resources of a role or policy. */
export function acknowledgeWildcardResources(scope: IConstruct, resourceArns: readonly string[], reason: string): void {
  for (const arn of new Set(resourceArns)) acknowledgeRule(scope, wildcardResourceFinding(scope, arn), reason);
}
