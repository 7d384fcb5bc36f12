import { ENVIRONMENT_CONFIGS, loadEnvironments } from "../../environments";
import { isIpv4Cidr } from "../../environments/schema";

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
    expect(d.bi.enabled).toBe(false);
    expect(p.bi.enabled).toBe(true);
  });

  it("use distinct state locations and distinct accounts", () => {
    const locations = ENVIRONMENT_CONFIGS.map((e) => `${e.state.bucket}/${e.state.key}`);
    expect(new Set(locations).size).toBe(ENVIRONMENT_CONFIGS.length);
    expect(new Set(ENVIRONMENT_CONFIGS.map((e) => e.account.id)).size).toBe(ENVIRONMENT_CONFIGS.length);
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
