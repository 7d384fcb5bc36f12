export * from "./observability";
export * from "./observability-props";
export * from "./topic-policy";
export * from "./alarm-definitions";
export * from "./alarms";
export * from "./alarms-props";
export * from "./glue-job-events";
