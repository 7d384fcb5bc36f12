export * from "./network";
export * from "./network-props";
export * from "./addressing";
export * from "./flow-log-policy";
