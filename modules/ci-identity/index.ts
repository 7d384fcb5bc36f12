export { CI_ROLE_PURPOSES, CiIdentity, DEFAULT_NAME_PREFIX, validateProps } from "./ci-identity";
export type { CiIdentityProps } from "./ci-identity-props";
export * from "./platform-scope";
export * from "./policies";
