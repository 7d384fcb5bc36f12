import { SnsTopic } from "@cdktf/provider-aws/lib/sns-topic";
import { SnsTopicPolicy } from "@cdktf/provider-aws/lib/sns-topic-policy";
import { SnsTopicSubscription } from "@cdktf/provider-aws/lib/sns-topic-subscription";
import { Construct } from "constructs";
import { policyJson } from "../../lib/iam";
import { ObservabilityProps } from "./observability-props";
import { alarmTopicPolicy } from "./topic-policy";

/** The platform's alarm topic: every failure path of every module publishes here. */
export class Observability extends Construct {
  readonly alarmTopic: SnsTopic;
  /** Reference to the topic's ARN: every target and alarm that publishes to it is created after it. */
  readonly alarmTopicArn: string;
  readonly alarmTopicName: string;

  constructor(scope: Construct, id: string, props: ObservabilityProps) {
    super(scope, id);
    if (props.alarmEmails.length === 0) {
      throw new Error(`Observability: alarmEmails is []: give at least one address, or nobody hears an alarm`);
    }
    this.alarmTopicName = props.alarmTopicName;
    this.alarmTopic = new SnsTopic(this, "alarm-topic", { name: props.alarmTopicName, kmsMasterKeyId: props.kmsKeyArn });
    this.alarmTopicArn = this.alarmTopic.arn;
    new SnsTopicPolicy(this, "alarm-topic-policy", {
      arn: this.alarmTopic.arn,
      policy: policyJson(alarmTopicPolicy(this.alarmTopicArn, props.accountId, props.publishingServices, props.publishingEventRuleArns)),
    });
    props.alarmEmails.forEach((email, index) => {
      new SnsTopicSubscription(this, `alarm-email-${index}`, { topicArn: this.alarmTopic.arn, protocol: "email", endpoint: email });
    });
  }
}
