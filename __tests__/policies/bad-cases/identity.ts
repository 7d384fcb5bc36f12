import { BadCase, stackOf } from "./builders";

const trust = (principal: unknown, condition?: unknown) =>
  JSON.stringify({ Version: "2012-10-17", Statement: [{ Sid: "T", Effect: "Allow", Principal: principal, Action: "sts:AssumeRole", ...(condition ? { Condition: condition } : {}) }] });
const glueTrust = trust({ Service: "glue.amazonaws.com" });
const identity = (statement: Record<string, unknown>) => JSON.stringify({ Version: "2012-10-17", Statement: [{ Sid: "S", Effect: "Allow", ...statement }] });
const rolePolicy = (policy: string) => stackOf({ aws_iam_role_policy: { p: { role: "${aws_iam_role.r.id}", policy } } });

/** For each Identity rule: a policy it must reject. */
export const identityBadCases: Record<string, BadCase> = {
  "IAM-NOADMIN": { stack: rolePolicy(identity({ Action: "*", Resource: "arn:aws:s3:::b" })), address: "aws_iam_role_policy.p" },
  "IAM-NOMANAGED": {
    stack: stackOf({ aws_iam_role_policy_attachment: { a: { role: "r", policy_arn: "arn:aws:iam::aws:policy/service-role/AWSGlueServiceRole" } } }),
    address: "aws_iam_role_policy_attachment.a",
  },
  "IAM-SCOPE": { stack: rolePolicy(identity({ Action: ["kinesis:GetRecords"], Resource: "*" })), address: "aws_iam_role_policy.p" },
  "IAM-REAL": { stack: rolePolicy(identity({ Action: ["kinesis:GetRecordz"], Resource: "arn:aws:kinesis:eu-west-1:111122223333:stream/s" })), address: "aws_iam_role_policy.p" },
  "IAM-TRUST": {
    stack: stackOf({
      aws_iam_role: {
        r: {
          name: "dp-dev-r",
          assume_role_policy: JSON.stringify({
            Version: "2012-10-17",
            Statement: [
              {
                Sid: "GitHub",
                Effect: "Allow",
                Principal: { Federated: "arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com" },
                Action: "sts:AssumeRoleWithWebIdentity",
                Condition: { StringLike: { "token.actions.githubusercontent.com:sub": "repo:acme-data/*" }, StringEquals: { "token.actions.githubusercontent.com:aud": "sts.amazonaws.com" } },
              },
            ],
          }),
        },
      },
    }),
    address: "aws_iam_role.r",
  },
};

const SSO = "arn:aws:iam::111122223333:role/aws-reserved/sso.amazonaws.com/*/AWSReservedSSO_DataPlatformOperator_*";
const people = (principal: string, condition: Record<string, unknown>) =>
  JSON.stringify({ Statement: [{ Sid: "QuarantineOperators", Effect: "Allow", Principal: { AWS: principal }, Action: "sts:AssumeRole", Condition: condition }] });

/** Trust policies the IAM-TRUST rule must also refuse (tested one by one). */
export const badTrustPolicies: Record<string, string> = {
  "anyone": trust("*"),
  "an AWS account": trust({ AWS: "arn:aws:iam::999999999999:root" }),
  "two unrelated services": trust({ Service: ["glue.amazonaws.com", "lambda.amazonaws.com"] }),
  "people: the whole account": people("arn:aws:iam::111122223333:root", { Bool: { "aws:MultiFactorAuthPresent": "true" } }),
  "people: every role of the account": people("arn:aws:iam::111122223333:root", { ArnLike: { "aws:PrincipalArn": "arn:aws:iam::111122223333:role/*" }, Bool: { "aws:MultiFactorAuthPresent": "true" } }),
  "people: another account's principals": people("arn:aws:iam::111122223333:root", { ArnLike: { "aws:PrincipalArn": "arn:aws:iam::999999999999:role/operator" }, Bool: { "aws:MultiFactorAuthPresent": "true" } }),
  "people: an IAM role without MFA": people("arn:aws:iam::111122223333:root", { ArnLike: { "aws:PrincipalArn": "arn:aws:iam::111122223333:role/operator" } }),
  "people: a role ARN as principal": people("arn:aws:iam::111122223333:role/operator", { Bool: { "aws:MultiFactorAuthPresent": "true" } }),
  "GitHub without audience": JSON.stringify({
    Statement: [{ Effect: "Allow", Principal: { Federated: "arn:aws:iam::1:oidc-provider/token.actions.githubusercontent.com" }, Action: "sts:AssumeRoleWithWebIdentity", Condition: { StringEquals: { "token.actions.githubusercontent.com:sub": "repo:a/b:environment:dev" } } }],
  }),
};

export const goodTrustPolicies: Record<string, string> = {
  "one service": glueTrust,
  "Redshift Serverless's two principals": trust({ Service: ["redshift.amazonaws.com", "redshift-serverless.amazonaws.com"] }),
  "people: named roles with MFA": people("arn:aws:iam::111122223333:root", { ArnLike: { "aws:PrincipalArn": ["arn:aws:iam::111122223333:role/operator"] }, Bool: { "aws:MultiFactorAuthPresent": "true" } }),
  "people: Identity Center roles (MFA at sign-in)": people("arn:aws:iam::111122223333:root", { ArnLike: { "aws:PrincipalArn": [SSO] } }),
};
