import { Stack } from 'aws-cdk-lib';
import { PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import type { Construct } from 'constructs';

export interface AlarmTopicProps {
  readonly stage: string;
  /** Subscribed when given. */
  readonly alarmEmail: string | undefined;
}

/**
 * Where the alarms go. Always created, so that other endpoints (chat, paging)
 * can subscribe without a redeploy; the e-mail subscription only with
 * `alarmEmail`. Publishing requires TLS. Not KMS-encrypted: it carries only
 * alarm state changes (alarm name, metric, threshold), never payment or
 * personal data, and CloudWatch alarms cannot publish to a topic under the
 * AWS-managed SNS key, so encryption would need a customer-managed key
 * ($1/month and a key policy) to protect nothing sensitive.
 */
export class AlarmTopic extends Topic {
  constructor(scope: Construct, id: string, { stage, alarmEmail }: AlarmTopicProps) {
    super(scope, id, { displayName: `PortOne payments alarms (${stage})`, enforceSSL: true });
    const { account, partition, region } = Stack.of(this);
    this.addToResourcePolicy(
      new PolicyStatement({
        sid: 'AllowCloudWatchAlarmsOfThisAccount',
        principals: [new ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['sns:Publish'],
        resources: [this.topicArn],
        conditions: {
          StringEquals: { 'aws:SourceAccount': account },
          ArnLike: { 'aws:SourceArn': `arn:${partition}:cloudwatch:${region}:${account}:alarm:*` },
        },
      }),
    );
    if (alarmEmail) this.addSubscription(new EmailSubscription(alarmEmail));
  }
}
