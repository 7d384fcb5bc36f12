import { BadCase, stackOf } from "./builders";

/** For each first-apply rule (order, state secrets, documented combinations): a stack it must reject. */
export const firstApplyBadCases: Record<string, BadCase> = {
  // A trigger naming its job by a literal string: nothing orders the job first.
  ORDER: {
    stack: stackOf({
      aws_glue_job: { j: { name: "dp-dev-orders-batch" } },
      aws_glue_trigger: { t: { name: "dp-dev-orders-batch-schedule", type: "SCHEDULED", schedule: "cron(0 6 * * ? *)", actions: [{ job_name: "dp-dev-orders-batch" }] } },
    }),
    address: "test-stack",
  },
  "STATE-SECRETS": {
    stack: stackOf({ aws_secretsmanager_secret_version: { v: { secret_id: "${aws_secretsmanager_secret.s.id}", secret_string: "${random_password.p.result}" } } }),
    address: "test-stack",
  },
};
