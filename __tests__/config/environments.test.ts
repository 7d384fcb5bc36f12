import { ENVIRONMENT_CONFIGS, EnvironmentConfig, loadEnvironments, validateEnvironments } from "../../environments";
import { dev } from "../../environments/dev";
import { prod } from "../../environments/prod";
import { stage } from "../../environments/stage";
import { isIpv4Cidr } from "../../environments/schema";
import { ConfigValidationError } from "../../lib/validation";

type Mutable<T> = { -readonly [K in keyof T]: T[K] extends object ? Mutable<T[K]> : T[K] };

/** A deep copy of an environment that a test may break. */
function copy(config: EnvironmentConfig): Mutable<EnvironmentConfig> {
  return structuredClone(config) as Mutable<EnvironmentConfig>;
}

function problemsOf(configs: unknown[]): ConfigValidationError {
  try {
    validateEnvironments(configs);
  } catch (error) {
    if (error instanceof ConfigValidationError) return error;
    throw error;
  }
  throw new Error("expected the configuration to be rejected");
}

describe("the shipped environments", () => {
  it("all validate", () => {
    expect(loadEnvironments().map((e) => e.name)).toEqual(["dev", "stage", "prod"]);
  });

  it("differ the way a cost-aware team sets them: dev disposable, prod protected and durable", () => {
    const [d, , p] = loadEnvironments();
    expect(d.protection.forceDestroy).toBe(true);
    expect(d.protection.preventDestroy).toBe(false);
    expect(p.protection.forceDestroy).toBe(false);
    expect(p.protection.preventDestroy).toBe(true);
    expect(p.retention.streamHours).toBeGreaterThan(d.retention.streamHours);
    expect(p.retention.logDays).toBeGreaterThan(d.retention.logDays);
    expect(p.warehouse.maxCapacityRpu).toBeGreaterThan(d.warehouse.maxCapacityRpu);
    expect(d.streaming.workerType).toBe("G.025X");
    // G.025X is for streaming jobs only: the batch jobs run on G.1X everywhere.
    for (const env of [d, p]) expect(env.streaming.batchWorkerType).toBe("G.1X");
    expect(d.bi.enabled).toBe(false);
    expect(p.bi.enabled).toBe(true);
  });

  it("use distinct state locations and distinct accounts", () => {
    const locations = ENVIRONMENT_CONFIGS.map((e) => `${e.state.bucket}/${e.state.key}`);
    expect(new Set(locations).size).toBe(ENVIRONMENT_CONFIGS.length);
    expect(new Set(ENVIRONMENT_CONFIGS.map((e) => e.account.id)).size).toBe(ENVIRONMENT_CONFIGS.length);
  });
});

/** Each case breaks one thing and names the path and words the message must contain. */
const invalidCases: { title: string; configs: () => unknown[]; path: string; says: RegExp }[] = [
  { title: "11-digit account id", configs: () => { const p = copy(prod); p.account.id = "77778888999"; return [dev, stage, p]; }, path: "prod.account.id", says: /12-digit/ },
  { title: "account id with letters", configs: () => { const d = copy(dev); d.account.id = "11112222333x"; return [d]; }, path: "dev.account.id", says: /12-digit/ },
  { title: "unknown region", configs: () => { const d = copy(dev); (d.account as { region: string }).region = "eu-westeros-1"; return [d]; }, path: "dev.account.region", says: /must be one of .*"eu-west-1"/ },
  { title: "CIDR that does not parse", configs: () => { const d = copy(dev); d.network.cidr = "10.300.0.0/16"; return [d]; }, path: "dev.network.cidr", says: /IPv4 CIDR/ },
  { title: "CIDR with host bits set", configs: () => { const d = copy(dev); d.network.cidr = "10.10.1.0/16"; return [d]; }, path: "dev.network.cidr", says: /no host bits/ },
  { title: "two environments share a state bucket and key", configs: () => { const s = copy(stage); s.state.bucket = dev.state.bucket; s.state.key = dev.state.key; return [dev, s]; }, path: "stage.state", says: /also the state of "dev"/ },
  { title: "prod without prevent_destroy", configs: () => { const p = copy(prod); p.protection.preventDestroy = false; return [p]; }, path: "prod.protection.preventDestroy", says: /must be true in a production/ },
  { title: "prod with force_destroy", configs: () => { const p = copy(prod); p.protection.forceDestroy = true; return [p]; }, path: "prod.protection.forceDestroy", says: /must be false in a production/ },
  { title: "prod stream retention under a week", configs: () => { const p = copy(prod); p.retention.streamHours = 48; return [p]; }, path: "prod.retention.streamHours", says: /at least 168/ },
  { title: "log retention CloudWatch does not offer", configs: () => { const d = copy(dev); (d.retention as { logDays: number }).logDays = 10; return [d]; }, path: "dev.retention.logDays", says: /CloudWatch Logs retention/ },
  { title: "max workers below workers", configs: () => { const d = copy(dev); d.streaming.maxWorkers = 2; d.streaming.workers = 4; return [d]; }, path: "dev.streaming.maxWorkers", says: />= streaming.workers/ },
  { title: "RPU not a multiple of 8", configs: () => { const d = copy(dev); d.warehouse.baseCapacityRpu = 12; return [d]; }, path: "dev.warehouse.baseCapacityRpu", says: /multiple of 8/ },
  { title: "RPU above 512 not in units of 32", configs: () => { const d = copy(dev); d.warehouse.baseCapacityRpu = 520; d.warehouse.maxCapacityRpu = 520; return [d]; }, path: "dev.warehouse.baseCapacityRpu", says: /520 RPUs: .*units of 32 in eu-west-1/ },
  { title: "no usage limit", configs: () => { const d = copy(dev); d.warehouse.usageLimits = []; return [d]; }, path: "dev.warehouse.usageLimits", says: /cost brake/ },
  { title: "a deploy role (CI roles apply directly)", configs: () => { const s = copy(stage) as any; s.account.deployRoleArn = "arn:aws:iam::444455556666:role/dp-stage-deployer"; return [s]; }, path: "stage.account", says: /unknown key.*"deployRoleArn"/ },
  { title: "alarm address that is not an e-mail", configs: () => { const d = copy(dev); d.alarms.emails = ["ops-at-example"]; return [d]; }, path: "dev.alarms.emails[0]", says: /e-mail/ },
  { title: "misspelt key", configs: () => { const d = copy(dev) as Record<string, unknown>; d.retenton = {}; return [d]; }, path: "dev", says: /unknown key.*"retenton"/ },
  { title: "missing section", configs: () => { const d = copy(dev) as Record<string, unknown>; delete d.athena; return [d]; }, path: "dev.athena", says: /is required/ },
  { title: "duplicate environment names", configs: () => { const s = copy(stage); s.name = "dev"; s.state.key = "x/other.tfstate"; return [dev, s]; }, path: "dev.name", says: /unique/ },
  { title: "QuickSight subscription without BI", configs: () => { const d = copy(dev); d.bi.createAccountSubscription = true; return [d]; }, path: "dev.bi.createAccountSubscription", says: /bi.enabled/ },
  { title: "batch worker type G.025X (streaming jobs only)", configs: () => { const d = copy(dev) as { streaming: Record<string, unknown> }; d.streaming.batchWorkerType = "G.025X"; return [d]; }, path: "dev.streaming.batchWorkerType", says: /must be one of .*"G.1X"/ },
  { title: "batch schedule as a rate (Glue triggers take cron only)", configs: () => { const d = copy(dev); d.streaming.batchSchedule = "rate(1 hour)"; return [d]; }, path: "dev.streaming.batchSchedule", says: /Glue triggers take no rate/ },
  { title: "a deactivating usage limit with always-on streaming jobs", configs: () => { const s = copy(stage); s.warehouse.usageLimits[1].breachAction = "deactivate"; return [s]; }, path: "stage.warehouse.usageLimits[1].breachAction", says: /fail in a loop/ },
  { title: "streaming jobs mode that does not exist", configs: () => { const d = copy(dev); (d.streaming as { jobs: string }).jobs = "sometimes"; return [d]; }, path: "dev.streaming.jobs", says: /"always-on".*"on-demand".*"off"/ },
  { title: "a budget of nothing", configs: () => { const d = copy(dev); d.budget.monthlyUsd = 0; return [d]; }, path: "dev.budget.monthlyUsd", says: /> 0/ },
  { title: "streaming jobs running more hours than a month has", configs: () => { const d = copy(dev); d.usage.streamingJobHoursPerMonth = 800; return [d]; }, path: "dev.usage.streamingJobHoursPerMonth", says: /730/ },
  { title: "usage profile without its warehouse part", configs: () => { const d = copy(dev) as any; delete d.usage.warehouse; return [d]; }, path: "dev.usage.warehouse", says: /is required/ },
  { title: "schedule that is not cron or rate", configs: () => { const d = copy(dev); d.catalog.catchUpSchedule = "nightly"; return [d]; }, path: "dev.catalog.catchUpSchedule", says: /cron/ },
];

describe("invalid environments", () => {
  it.each(invalidCases)("rejects $title, naming $path", ({ configs, path, says }) => {
    const error = problemsOf(configs());
    const problem = error.problems.find((p) => p.path === path);
    expect(problem).toBeDefined();
    expect(problem!.message).toMatch(says);
    expect(error.message).toContain(`${path}:`);
  });

  it("reports every problem at once, with the value given", () => {
    const p = copy(prod);
    p.account.id = "123";
    p.network.cidr = "nope";
    p.protection.forceDestroy = true;
    const d = copy(dev);
    (d.account as { region: string }).region = "mars-1";
    const error = problemsOf([d, p]);
    const paths = error.problems.map((x) => x.path);
    expect(paths).toEqual(expect.arrayContaining(["dev.account.region", "prod.account.id", "prod.network.cidr"]));
    expect(error.message).toContain('"123"');
    expect(error.message).toContain('"mars-1"');
  });
});

describe("isIpv4Cidr", () => {
  it.each([
    ["10.0.0.0/16", true],
    ["172.16.4.0/22", true],
    ["10.0.0.0/8", false],
    ["10.0.0.1/24", false],
    ["256.0.0.0/16", false],
    ["10.0.0.0", false],
  ])("%s -> %s", (cidr, valid) => expect(isIpv4Cidr(cidr)).toBe(valid));
});
