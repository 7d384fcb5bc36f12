export * from "./named-queries";
export * from "./query";
export * from "./query-props";
