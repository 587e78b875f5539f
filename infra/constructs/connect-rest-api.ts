/**
 * The Kafka Connect REST API on API Gateway: a REST API whose root and `{proxy+}` resource
 * forward every method to the API Lambda, all behind IAM (SigV4) auth, with stage
 * throttling, access and error logs, and X-Ray tracing.
 */
import { RemovalPolicy } from 'aws-cdk-lib';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as wafv2 from 'aws-cdk-lib/aws-wafv2';
import { Construct } from 'constructs';
import { acknowledgeRule } from './nag-acknowledgments.ts';

export interface ConnectRestApiOptions {
  /** Stage name, the first path segment of every URL. Default `prod`. */
  readonly stageName?: string;
  /** Steady-state requests per second across the stage. Default 50. */
  readonly throttlingRateLimit?: number;
  /** Burst bucket size. Default 100. */
  readonly throttlingBurstLimit?: number;
  /**
   * Create the account-wide role API Gateway uses to write logs (AWS::ApiGateway::Account).
   * Access and execution logs need it once per account and region. Default true; set false
   * when the account already has one.
   */
  readonly cloudWatchRole?: boolean;
  /** A regional WAFv2 web ACL to associate with the stage. */
  readonly webAclArn?: string;
}

export interface ConnectRestApiProps extends ConnectRestApiOptions {
  readonly handler: lambda.IFunction;
  readonly logRetention: logs.RetentionDays;
  readonly logRemovalPolicy: RemovalPolicy;
}

/** API Gateway REST API in front of the API Lambda. */
export class ConnectRestApi extends Construct {
  readonly api: apigateway.RestApi;
  readonly accessLogGroup: logs.LogGroup;

  constructor(scope: Construct, id: string, props: ConnectRestApiProps) {
    super(scope, id);
    this.accessLogGroup = new logs.LogGroup(this, 'AccessLogs', {
      retention: props.logRetention,
      removalPolicy: props.logRemovalPolicy,
    });
    const cloudWatchRole = props.cloudWatchRole ?? true;
    this.api = new apigateway.RestApi(this, 'Api', {
      description: 'Tributary: the Kafka Connect REST API',
      endpointTypes: [apigateway.EndpointType.REGIONAL],
      cloudWatchRole,
      // The account setting outlives this stack: other APIs in the account log through it.
      ...(cloudWatchRole ? { cloudWatchRoleRemovalPolicy: RemovalPolicy.RETAIN } : {}),
      defaultMethodOptions: { authorizationType: apigateway.AuthorizationType.IAM },
      defaultIntegration: new apigateway.LambdaIntegration(props.handler, { proxy: true }),
      deployOptions: {
        stageName: props.stageName ?? 'prod',
        throttlingRateLimit: props.throttlingRateLimit ?? 50,
        throttlingBurstLimit: props.throttlingBurstLimit ?? 100,
        accessLogDestination: new apigateway.LogGroupLogDestination(this.accessLogGroup),
        accessLogFormat: apigateway.AccessLogFormat.jsonWithStandardFields(),
        loggingLevel: apigateway.MethodLoggingLevel.ERROR,
        // request and response bodies carry connector configs, which may hold credentials
        dataTraceEnabled: false,
        metricsEnabled: true,
        tracingEnabled: true,
      },
    });
    this.api.root.addMethod('ANY');
    this.api.root.addProxy({ anyMethod: true });

    if (props.webAclArn) {
      new wafv2.CfnWebACLAssociation(this, 'WebAcl', {
        resourceArn: this.api.deploymentStage.stageArn,
        webAclArn: props.webAclArn,
      });
    } else {
      acknowledgeRule(
        this.api.deploymentStage,
        'AwsSolutions-APIG3',
        'Every method requires SigV4-signed IAM credentials and the stage is throttled; a WAF web ACL is optional (webAclArn) because it adds a fixed monthly cost to an otherwise pay-per-use service.',
      );
    }
    acknowledgeRule(
      this.api,
      'AwsSolutions-APIG2',
      'Requests are validated in the API Lambda against the Kafka Connect request schemas (zod), which return Connect-format error bodies; a proxy resource has no per-route API Gateway models, so a validator here would validate nothing.',
    );
    acknowledgeRule(
      this.api,
      'AwsSolutions-COG4',
      'The API uses IAM (SigV4) authorization on every method, as callers are AWS principals (CLI, awscurl, Terraform); a Cognito user pool would add a second identity system.',
    );
    if (cloudWatchRole) {
      acknowledgeRule(
        this.api,
        'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs]',
        'The account-level API Gateway logging role uses AmazonAPIGatewayPushToCloudWatchLogs, the policy API Gateway documents for it; it must cover every log group of every API in the account.',
      );
    }
  }
}
