import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { SETTLED_EVENT } from '../functions/adapters/eventbridge/event-names';
import { type PaymentsConfigInput, resolveConfig } from './config';
import { monitoringNameOf } from './payments-alarms';
import { dashboardUrlOf } from './payments-dashboard';
import { PortOnePayments } from './portone-payments';

export interface PaymentsStackProps extends StackProps, PaymentsConfigInput {}

/**
 * This repository's stack: one PortOnePayments, as a merchant would add it to
 * an app of their own, and its outputs (README, Deploying to AWS, step 2).
 */
export class PaymentsStack extends Stack {
  readonly payments: PortOnePayments;

  constructor(scope: Construct, id: string, props: PaymentsStackProps = {}) {
    // Checked before anything is created, so that a bad value names its context key.
    const config = resolveConfig(props);
    super(scope, id, {
      description: `PortOne payments (${config.stage}): HTTP API, Lambda, DynamoDB`,
      ...props,
    });
    // 'Default' rather than a name: CDK leaves that id out of logical IDs, so
    // every resource keeps the logical ID it had when the stack created it
    // directly; a new one would replace it (a new, empty orders table, a new
    // API URL). A new app can use any id, e.g. 'Payments' (README).
    const payments = new PortOnePayments(this, 'Default', config);
    this.payments = payments;

    const output = (id: string, value: string, description: string) =>
      new CfnOutput(this, id, { value, description });
    output('ApiUrl', payments.apiUrl, 'HTTP API base URL');
    output(
      'WebhookUrl',
      payments.webhookUrl,
      'PortOne console: paste as the webhook (notification) URL',
    );
    output(
      'RedirectUrl',
      payments.redirectUrl,
      'Pass as m_redirect_url in IMP.request_pay (mobile redirect flow)',
    );
    output(
      'CompleteUrl',
      payments.completeUrl,
      'Checkout page: POST {imp_uid, merchant_uid} here from the IMP.request_pay callback',
    );
    output('OrdersUrl', payments.ordersUrl, 'Merchant backend: register orders here (SigV4)');
    // Only with V2 on (context portoneV2=true): off, these routes answer 503 not_configured.
    if (payments.v2WebhookUrl && payments.v2RedirectUrl && payments.v2CompleteUrl) {
      output(
        'V2WebhookUrl',
        payments.v2WebhookUrl,
        'PortOne V2 console: paste as the webhook URL (webhook version 2024-04-25)',
      );
      output(
        'V2RedirectUrl',
        payments.v2RedirectUrl,
        'Pass as redirectUrl in PortOne.requestPayment (V2 mobile redirect flow)',
      );
      output(
        'V2CompleteUrl',
        payments.v2CompleteUrl,
        'Checkout page: POST the V2 paymentId here after PortOne.requestPayment',
      );
    }
    output(
      'WebhookLogGroup',
      payments.functions.webhook.logGroup.logGroupName,
      'aws logs tail this to watch webhook deliveries, e.g. the PortOne console test call',
    );
    output('TableName', payments.table.tableName, 'DynamoDB table of orders (retained on delete)');
    output(
      'SecretArn',
      payments.secret.secretArn,
      config.portoneV2 === null
        ? 'Store the PortOne key pair here: aws secretsmanager put-secret-value'
        : 'Store the PortOne key pair and the V2 secrets (v2ApiSecret, v2WebhookSecret) here: aws secretsmanager put-secret-value',
    );
    output('AlarmTopicArn', payments.alarmTopic.topicArn, 'SNS topic the alarms notify');
    if (payments.dashboard !== undefined) {
      output(
        'DashboardUrl',
        dashboardUrlOf(payments.dashboard.dashboardName),
        'CloudWatch dashboard of the payment functions (-c dashboard=true)',
      );
    }
    output(
      'SupportQueriesFolder',
      monitoringNameOf(config.stage),
      'CloudWatch Logs Insights folder of the saved support queries',
    );
    output(
      'EventBusName',
      payments.eventBus.eventBusName,
      `Add rules for source "${SETTLED_EVENT.source}", detail-type "${SETTLED_EVENT.detailType}"`,
    );
    output(
      'ResultPageUrl',
      config.resultPageUrl,
      'Where the redirect sends the browser (context resultPageUrl)',
    );
    output(
      'AllowedOrigins',
      config.allowedOrigins.length > 0 ? config.allowedOrigins.join(',') : 'none',
      'Origins whose pages may call CompleteUrl (context allowedOrigins, comma-separated), or "none": CORS off',
    );
  }
}
