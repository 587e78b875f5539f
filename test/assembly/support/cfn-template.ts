/**
 * The synthesized template as the assembly test reads it: resources by logical id, and
 * CloudFormation's intrinsic functions resolved the way a deployment in one account and
 * region would resolve them, with stable made-up physical names and ARNs.
 */

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- CloudFormation JSON is untyped
export type Cfn = any;

export interface CfnResource {
  readonly Type: string;
  readonly Properties?: Cfn;
  readonly Metadata?: Record<string, unknown>;
}

export interface CfnTemplate {
  readonly Resources: Record<string, CfnResource>;
}

export const ACCOUNT = '000000000000';
export const REGION = 'us-east-1';
export const PARTITION = 'aws';

const PSEUDO: Record<string, string> = {
  'AWS::AccountId': ACCOUNT,
  'AWS::Region': REGION,
  'AWS::Partition': PARTITION,
  'AWS::URLSuffix': 'amazonaws.com',
  'AWS::StackName': 'Tributary',
  'AWS::NoValue': '',
};

export class TemplateResolver {
  /** Physical names chosen for this run (the table gets a unique one per run). */
  constructor(
    readonly template: CfnTemplate,
    private readonly names: Record<string, string> = {},
  ) {}

  resource(logicalId: string): CfnResource {
    const r = this.template.Resources[logicalId];
    if (!r) throw new Error(`No resource ${logicalId} in the template`);
    return r;
  }

  /** Logical ids of every resource of a type. */
  ofType(type: string): string[] {
    return Object.entries(this.template.Resources)
      .filter(([, r]) => r.Type === type)
      .map(([id]) => id);
  }

  /** The physical name CloudFormation would generate (or the one the template fixes). */
  physicalName(logicalId: string): string {
    const fixed = this.names[logicalId];
    if (fixed) return fixed;
    const r = this.resource(logicalId);
    const p = r.Properties ?? {};
    const explicit = p.StateMachineName ?? p.FunctionName ?? p.TableName ?? p.RoleName ?? p.ClusterName ?? p.Family ?? p.LogGroupName ?? p.AlarmName;
    return typeof explicit === 'string' ? explicit : logicalId;
  }

  private arn(logicalId: string): string {
    const r = this.resource(logicalId);
    const name = this.physicalName(logicalId);
    const at = (service: string, resource: string, region = REGION) => `arn:${PARTITION}:${service}:${region}:${ACCOUNT}:${resource}`;
    switch (r.Type) {
      case 'AWS::Lambda::Function':
        return at('lambda', `function:${name}`);
      case 'AWS::DynamoDB::Table':
        return at('dynamodb', `table/${name}`);
      case 'AWS::IAM::Role':
        return `arn:${PARTITION}:iam::${ACCOUNT}:role/${name}`;
      case 'AWS::StepFunctions::StateMachine':
        return at('states', `stateMachine:${name}`);
      case 'AWS::ECS::Cluster':
        return at('ecs', `cluster/${name}`);
      case 'AWS::ECS::TaskDefinition':
        return at('ecs', `task-definition/${name}:1`);
      case 'AWS::CloudWatch::Alarm':
        return at('cloudwatch', `alarm:${name}`);
      case 'AWS::Logs::LogGroup':
        return at('logs', `log-group:${name}:*`);
      case 'AWS::Events::Rule':
        return at('events', `rule/${name}`);
      default:
        return at(r.Type.split('::')[1]?.toLowerCase() ?? 'unknown', name);
    }
  }

  /** `Ref` as CloudFormation answers it for each resource type. */
  private ref(logicalId: string): string {
    const pseudo = PSEUDO[logicalId];
    if (pseudo !== undefined) return pseudo;
    const r = this.resource(logicalId);
    switch (r.Type) {
      case 'AWS::StepFunctions::StateMachine':
      case 'AWS::ECS::TaskDefinition':
        return this.arn(logicalId);
      case 'AWS::EC2::Subnet':
        return `subnet-${hex(logicalId)}`;
      case 'AWS::EC2::SecurityGroup':
        return `sg-${hex(logicalId)}`;
      default:
        return this.physicalName(logicalId);
    }
  }

  private getAtt(logicalId: string, attribute: string): string {
    if (attribute === 'Arn') return this.arn(logicalId);
    if (attribute === 'GroupId') return `sg-${hex(logicalId)}`;
    if (attribute === 'Name') return this.physicalName(logicalId);
    throw new Error(`Fn::GetAtt ${logicalId}.${attribute} is not resolved by the assembly test`);
  }

  /** Resolves every intrinsic function in a value. */
  resolve(value: Cfn): Cfn {
    if (Array.isArray(value)) return value.map((v) => this.resolve(v));
    if (value === null || typeof value !== 'object') return value;
    const keys = Object.keys(value);
    if (keys.length === 1) {
      const [fn] = keys as [string];
      const arg = value[fn];
      switch (fn) {
        case 'Ref':
          return this.ref(arg as string);
        case 'Fn::GetAtt': {
          const [id, attr] = Array.isArray(arg) ? arg : String(arg).split('.');
          return this.getAtt(id as string, attr as string);
        }
        case 'Fn::Join': {
          const [sep, parts] = arg as [string, Cfn[]];
          return (this.resolve(parts) as unknown[]).join(sep);
        }
        case 'Fn::Sub': {
          const [text, vars] = Array.isArray(arg) ? (arg as [string, Record<string, Cfn>]) : [arg as string, {}];
          const resolvedVars = this.resolve(vars) as Record<string, string>;
          return text.replace(/\$\{([^}]+)\}/g, (_m, name: string) => {
            if (name in resolvedVars) return String(resolvedVars[name]);
            const [id, attr] = name.split('.');
            return attr ? this.getAtt(id as string, attr) : this.ref(name);
          });
        }
        case 'Fn::Select': {
          const [index, list] = arg as [number, Cfn];
          return (this.resolve(list) as unknown[])[Number(index)];
        }
        case 'Fn::Split': {
          const [sep, text] = arg as [string, Cfn];
          return String(this.resolve(text)).split(sep);
        }
        default:
          if (fn.startsWith('Fn::')) throw new Error(`${fn} is not resolved by the assembly test`);
      }
    }
    return Object.fromEntries(keys.map((k) => [k, this.resolve(value[k])]));
  }
}

function hex(text: string): string {
  let h = 0;
  for (const c of text) h = (h * 31 + c.charCodeAt(0)) >>> 0;
  return h.toString(16).padStart(8, '0');
}
