export * from "./warehouse";
export * from "./warehouse-props";
export * from "./database-user";
export * from "./database-user-props";
export * from "./ddl";
export * from "./redshift-role-policy";
