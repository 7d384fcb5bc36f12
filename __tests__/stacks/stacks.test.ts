import { REQUIRED_TAG_KEYS } from "../../lib/tags";
import { resourcesOf, synthAll } from "../helpers/synth";

describe("one stack per environment", () => {
  const all = synthAll();

  it("synthesizes dev, stage and prod, each with a platform and a bootstrap stack", () => {
    expect(all.map((s) => s.environment.name)).toEqual(["dev", "stage", "prod"]);
    for (const s of all) {
      expect(Object.keys(s.platform.resource ?? {}).length).toBeGreaterThan(5);
      expect(Object.keys(s.bootstrap.resource ?? {}).length).toBeGreaterThan(3);
    }
  });

  it("gives each environment its own encrypted, locked S3 backend", () => {
    const backends = all.map((s) => (s.platform.terraform as any).backend.s3);
    for (const [i, backend] of backends.entries()) {
      expect(backend).toMatchObject({ encrypt: true, use_lockfile: true, bucket: all[i].environment.state.bucket, key: all[i].environment.state.key });
    }
    expect(new Set(backends.map((b) => `${b.bucket}/${b.key}`)).size).toBe(all.length);
  });

  it("keeps the bootstrap state apart from the platform state", () => {
    for (const s of all) {
      const backend = (s.bootstrap.terraform as any).backend;
      const location = backend.s3 ? `${backend.s3.bucket}/${backend.s3.key}` : backend.local.path;
      expect(location).not.toBe(`${s.environment.state.bucket}/${s.environment.state.key}`);
    }
  });

  it("guards every AWS provider with the environment's account id and default tags", () => {
    for (const s of all) {
      for (const json of [s.platform, s.bootstrap]) {
        const [aws] = (json.provider as any).aws;
        expect(aws.allowed_account_ids).toEqual([s.environment.account.id]);
        expect(aws.region).toBe(s.environment.account.region);
        const tags = aws.default_tags[0].tags;
        expect(Object.keys(tags)).toEqual(expect.arrayContaining([...REQUIRED_TAG_KEYS]));
        expect(tags.environment).toBe(s.environment.name);
        expect(tags["cost-center"]).toBe(s.environment.tags.costCenter);
      }
    }
  });

  it("assumes no role: Terraform runs with the CI role's own credentials", () => {
    for (const s of all) {
      for (const json of [s.platform, s.bootstrap]) expect((json.provider as any).aws[0].assume_role).toBeUndefined();
    }
  });

  it("declares the archive provider (scripts are zipped at plan time)", () => {
    for (const s of all) expect((s.platform.terraform as any).required_providers.archive).toBeDefined();
  });

  it("creates the state bucket in bootstrap, protected even in dev", () => {
    for (const s of all) {
      const buckets = resourcesOf(s.bootstrap, "aws_s3_bucket").map(([, b]) => b);
      const state = buckets.find((b) => b.bucket === s.environment.state.bucket);
      expect(state).toBeDefined();
      expect(state!.lifecycle.prevent_destroy).toBe(true);
      expect(state!.force_destroy).toBe(false);
    }
  });
});
