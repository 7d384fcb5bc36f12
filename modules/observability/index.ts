export * from "./observability";
export * from "./observability-props";
export * from "./topic-policy";
