/**
 * Redshift Serverless base capacity (Redshift Management Guide, "Compute capacity for Amazon
 * Redshift Serverless"): 8 to 512 RPUs in units of 8; up to 1024 in five Regions, in units of 32
 * above 512. One place for the environment schema, the warehouse module and the policy suite.
 */
export const BASE_CAPACITY = {
  regular: { min: 8, max: 512, step: 8 },
  extended: { max: 1024, step: 32, regions: ["us-east-1", "us-east-2", "us-west-2", "eu-west-1", "eu-central-1"] as readonly string[] },
} as const;

/** What is wrong with a base capacity in a Region, or undefined when Redshift accepts it. */
export function baseCapacityProblem(rpu: number, region: string): string | undefined {
  const { regular, extended } = BASE_CAPACITY;
  if (!Number.isInteger(rpu)) return `${rpu} is not a whole number of RPUs`;
  if (rpu >= regular.min && rpu <= regular.max && rpu % regular.step === 0) return undefined;
  const extendedHere = extended.regions.includes(region);
  if (extendedHere && rpu > regular.max && rpu <= extended.max && rpu % extended.step === 0) return undefined;
  return `${rpu} RPUs: Redshift Serverless takes 8-512 in units of 8${extendedHere ? `, or up to 1024 in units of 32 in ${region}` : ` (up to 1024 only in ${extended.regions.join(", ")})`}`;
}
