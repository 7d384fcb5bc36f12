export * from "./lake";
export * from "./lake-props";
export * from "./platform-key";
export * from "./platform-key-props";
export * from "./secure-bucket";
export * from "./secure-bucket-props";
export * from "./key-policy";
export * from "./bucket-policy";
