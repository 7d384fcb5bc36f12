export * from "./streaming";
export * from "./streaming-props";
export * from "./pipeline-stream";
export * from "./pipeline-stream-props";
export * from "./glue-scripts";
export * from "./glue-scripts-props";
export * from "./job-arguments";
export * from "./job-policies";
