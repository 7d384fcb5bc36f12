export * from "./pipeline-assets";
export * from "./pipeline-assets-props";
