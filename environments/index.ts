import { dev } from "./dev";
import { prod } from "./prod";
import { stage } from "./stage";
import { Environment, validateEnvironments } from "./validate";

export type { EnvironmentConfig } from "./schema";
export type { Environment } from "./validate";
export { validateEnvironments } from "./validate";

/** Every environment this program deploys, in promotion order. Add a new one here. */
export const ENVIRONMENT_CONFIGS = [dev, stage, prod] as const;

/** The validated environments; throws {@link ConfigValidationError} listing every problem. */
export function loadEnvironments(): Environment[] {
  return validateEnvironments(ENVIRONMENT_CONFIGS);
}
