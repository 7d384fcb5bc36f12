/** Schedule expressions as Glue triggers and EventBridge Scheduler read them (lib/schedule.ts). */
import { ScheduleService, scheduleProblems } from "../../lib/schedule";

const GLUE: ScheduleService = "glue-trigger";
const SCHEDULER: ScheduleService = "eventbridge-scheduler";

describe("accepted", () => {
  it.each([
    // From the AWS Glue and EventBridge documentation's examples.
    ["cron(15 12 * * ? *)", GLUE],
    ["cron(0 18 ? * MON-FRI *)", GLUE],
    ["cron(0 10 * * ? *)", SCHEDULER],
    ["cron(0/15 * * * ? *)", GLUE],
    ["cron(0/5 8-17 ? * MON-FRI *)", GLUE],
    ["cron(0 9 ? * 2#1 *)", SCHEDULER],
    ["cron(0 8 1 * ? *)", SCHEDULER],
    ["cron(0 0 L * ? *)", GLUE],
    ["cron(0 0 15W * ? *)", GLUE],
    ["cron(0 0 ? * 6L *)", GLUE],
    ["cron(0 12 ? JAN,JUL SUN 2027-2030)", GLUE],
    ["cron(0 0 29 FEB ? *)", GLUE],
    ["cron(0 0 ? * 1/2 *)", GLUE],
    ["cron(0/1 * * * ? *)", SCHEDULER],
    ["rate(1 minute)", SCHEDULER],
    ["rate(5 minutes)", SCHEDULER],
    ["rate(1 day)", SCHEDULER],
    // Once an hour, every hour: 60 minutes apart.
    ["cron(58 * * * ? *)", GLUE],
  ] as const)("%s for %s", (expression, service) => {
    expect(scheduleProblems(expression, service)).toEqual([]);
  });
});

describe("refused", () => {
  it.each([
    ["rate(1 hour)", GLUE, /Glue triggers take cron expressions only/],
    ["rate(5 hour)", SCHEDULER, /plural unit: rate\(5 hours\)/],
    ["rate(1 minutes)", SCHEDULER, /singular unit: rate\(1 minute\)/],
    ["rate(0 minutes)", SCHEDULER, /positive whole number/],
    ["rate(2 weeks)", SCHEDULER, /minute\|minutes\|hour\|hours\|day\|days/],
    ["at(2027-01-01T00:00:00)", SCHEDULER, /runs once/],
    ["0 6 * * ? *", GLUE, /e\.g\. cron\(0 6 \* \* \? \*\)/],
    ["cron(0 6 * * ?)", GLUE, /has 5 cron field\(s\)/],
    ["cron(0 6 * * ? * *)", GLUE, /has 7 cron field\(s\)/],
    ["cron( 0 6 * * ? *)", GLUE, /single spaces/],
    ["cron(60 6 * * ? *)", GLUE, /minutes "60": "60" is not within 0-59/],
    ["cron(0 24 * * ? *)", GLUE, /hours "24"/],
    ["cron(0 6 32 * ? *)", GLUE, /day-of-month "32"/],
    ["cron(0 6 * 13 ? *)", GLUE, /month "13"/],
    ["cron(0 6 ? * 8 *)", GLUE, /day-of-week "8"/],
    ["cron(0 6 * * ? 1969)", GLUE, /year "1969"/],
    ["cron(0 6 ? * FUN *)", GLUE, /"FUN" is not within 1-7 or SUN-SAT/],
    ["cron(0 6 * * * *)", GLUE, /exactly one of day-of-month \(\*\) and day-of-week \(\*\)/],
    ["cron(0 6 ? * ? *)", GLUE, /exactly one of/],
    ["cron(0 6 1 * MON *)", SCHEDULER, /exactly one of/],
    ["cron(? 6 * * ? *)", GLUE, /"\?" is allowed only in day-of-month and day-of-week/],
    ["cron(0 6 ? * 2#1 *)", GLUE, /Glue triggers do not take "#"/],
    ["cron(0 6 ? * 2#6 *)", SCHEDULER, /the week after # must be 1-5/],
    ["cron(0 6 ? * 1/2 *)", SCHEDULER, /EventBridge does not take "\/" in day-of-week/],
    ["cron(0 6 32W * ? *)", GLUE, /the day before W must be 1-31/],
    ["cron(0/x * * * ? *)", GLUE, /increment after "\/" must be a whole number/],
    ["cron(0/0 * * * ? *)", GLUE, /at least 1/],
    ["cron(30-10 * * * ? *)", GLUE, /goes downward/],
    ["cron(0 0 30 FEB ? *)", SCHEDULER, /never fires: day-of-month 30 does not occur in FEB/],
    ["cron(0 0 31 APR,JUN ? *)", SCHEDULER, /never fires: day-of-month 31 does not occur in APR,JUN/],
    ["cron(* * * * ? *)", GLUE, /fires every minute; Glue triggers run at most every 5 minutes/],
    ["cron(0,4 * * * ? *)", GLUE, /4 minutes apart/],
  ] as const)("%s for %s", (expression, service, says) => {
    expect(scheduleProblems(expression, service).join("\n")).toMatch(says);
  });

  it("counts the step from one hour's last minute to the next hour's first", () => {
    expect(scheduleProblems("cron(0,58 * * * ? *)", GLUE).join()).toMatch(/2 minutes apart/);
    expect(scheduleProblems("cron(0,58 6,12 * * ? *)", GLUE)).toEqual([]);
  });
});
