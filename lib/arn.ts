/**
 * ARNs computed from deterministic names. Policies that name resources this way stay literal in
 * the synthesized JSON, which is what lets the tests simulate them without AWS.
 */
export class Arns {
  constructor(
    readonly accountId: string,
    readonly region: string,
    readonly partition = "aws",
  ) {}

  private regional(service: string, resource: string): string {
    return `arn:${this.partition}:${service}:${this.region}:${this.accountId}:${resource}`;
  }

  s3Bucket(bucket: string): string {
    return `arn:${this.partition}:s3:::${bucket}`;
  }
  s3Objects(bucket: string, prefix = ""): string {
    return `arn:${this.partition}:s3:::${bucket}/${prefix}*`;
  }
  iamRole(name: string): string {
    return `arn:${this.partition}:iam::${this.accountId}:role/${name}`;
  }
  iamPolicy(name: string): string {
    return `arn:${this.partition}:iam::${this.accountId}:policy/${name}`;
  }
  accountRoot(): string {
    return `arn:${this.partition}:iam::${this.accountId}:root`;
  }
  kinesisStream(name: string): string {
    return this.regional("kinesis", `stream/${name}`);
  }
  logGroup(name: string): string {
    return this.regional("logs", `log-group:${name}`);
  }
  logStreams(name: string): string {
    return this.regional("logs", `log-group:${name}:log-stream:*`);
  }
  glue(resource: string): string {
    return this.regional("glue", resource);
  }
  secret(namePrefix: string): string {
    // Secrets Manager appends a random 6-character suffix to every secret ARN.
    return this.regional("secretsmanager", `secret:${namePrefix}-??????`);
  }
  stateMachine(name: string): string {
    return this.regional("states", `stateMachine:${name}`);
  }
  execution(stateMachineName: string): string {
    return this.regional("states", `execution:${stateMachineName}:*`);
  }
  snsTopic(name: string): string {
    return this.regional("sns", name);
  }
  sqsQueue(name: string): string {
    return this.regional("sqs", name);
  }
  eventRule(name: string): string {
    return this.regional("events", `rule/${name}`);
  }
  redshiftServerless(resource: string): string {
    return this.regional("redshift-serverless", resource);
  }
  athenaWorkgroup(name: string): string {
    return this.regional("athena", `workgroup/${name}`);
  }
}
