export * from "./arns";
export * from "./bi";
export * from "./bi-props";
export * from "./data-set-model";
export * from "./policies";
export * from "./q-topic";
export * from "./quicksight-actions";
export * from "./sample-dashboard";
