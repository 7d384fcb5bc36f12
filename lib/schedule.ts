/**
 * Schedule expressions read the way the AWS service that runs them reads them, field by field, so
 * that a schedule AWS would refuse (or one that never fires) fails before synthesis:
 *  - Glue triggers (`aws_glue_trigger.schedule`): cron only; day-of-week takes `/` but not `#`;
 *    nothing more frequent than every 5 minutes (AWS Glue, "Time-based schedules for jobs and
 *    crawlers").
 *  - EventBridge Scheduler (`aws_scheduler_schedule.schedule_expression`): cron, rate or at;
 *    day-of-week takes `#` but not `/` (EventBridge, "cron expressions reference";
 *    `rate(1 hour)` singular, `rate(5 hours)` plural).
 * Both: six fields `minutes hours day-of-month month day-of-week year`, and exactly one of
 * day-of-month and day-of-week is `?`.
 */

export type ScheduleService = "glue-trigger" | "eventbridge-scheduler";

interface CronField {
  readonly name: string;
  readonly min: number;
  readonly max: number;
  /** Names for values min, min+1, … (JAN, SUN, …). */
  readonly names?: readonly string[];
}

const FIELDS: readonly CronField[] = [
  { name: "minutes", min: 0, max: 59 },
  { name: "hours", min: 0, max: 23 },
  { name: "day-of-month", min: 1, max: 31 },
  { name: "month", min: 1, max: 12, names: ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"] },
  { name: "day-of-week", min: 1, max: 7, names: ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"] },
  { name: "year", min: 1970, max: 2199 },
];
const [MINUTES, HOURS, DAY_OF_MONTH, MONTH, DAY_OF_WEEK] = [0, 1, 2, 3, 4];

/** Days in each month, February in a leap year: the most a day-of-month can reach. */
const MONTH_DAYS = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
const GLUE_MIN_INTERVAL_MINUTES = 5;
const RATE = /^rate\((\d+) (minute|minutes|hour|hours|day|days)\)$/;
const AT = /^at\(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\)$/;

const SERVICE_NAMES: Record<ScheduleService, string> = { "glue-trigger": "Glue triggers", "eventbridge-scheduler": "EventBridge Scheduler" };
const EXAMPLES: Record<ScheduleService, string> = {
  "glue-trigger": "cron(0 6 * * ? *)",
  "eventbridge-scheduler": "cron(30 2 * * ? *) or rate(1 day)",
};

/** What is wrong with a recurring schedule for `service`; empty when the service would accept it. */
export function scheduleProblems(expression: string, service: ScheduleService): string[] {
  const rate = RATE.exec(expression);
  if (rate && service === "eventbridge-scheduler") return rateProblems(Number(rate[1]), rate[2]);
  if (rate || expression.startsWith("rate(")) {
    return service === "glue-trigger"
      ? [`Glue triggers take cron expressions only, e.g. ${EXAMPLES[service]}`]
      : ["must be rate(<positive whole number> minute|minutes|hour|hours|day|days), e.g. rate(1 day)"];
  }
  if (AT.test(expression)) return [`at(...) runs once; this schedule must recur: use ${EXAMPLES[service]}`];
  const cron = /^cron\((.*)\)$/.exec(expression);
  if (!cron) return [`must be a schedule expression ${SERVICE_NAMES[service]} accept, e.g. ${EXAMPLES[service]}`];
  if (cron[1] !== cron[1].trim() || /\s\s/.test(cron[1])) return [`must separate its fields by single spaces, with none just inside the parentheses, e.g. ${EXAMPLES[service]}`];
  const fields = cron[1].split(" ");
  if (fields.length !== 6) return [`has ${fields.length} cron field(s); ${SERVICE_NAMES[service]} need 6: minutes hours day-of-month month day-of-week year, e.g. ${EXAMPLES[service]}`];
  return cronProblems(fields, service);
}

function rateProblems(value: number, unit: string): string[] {
  if (value < 1) return [`rate value must be a positive whole number, not ${value}`];
  const singular = !unit.endsWith("s");
  if (value === 1 && !singular) return [`rate(1 ${unit}) must use the singular unit: rate(1 ${unit.slice(0, -1)})`];
  if (value > 1 && singular) return [`rate(${value} ${unit}) must use the plural unit: rate(${value} ${unit}s)`];
  return [];
}

/** The values one field selects; `any` for `?`; `null` where L/W/# make them depend on the calendar. */
type Selection = { readonly kind: "values"; readonly values: ReadonlySet<number> } | { readonly kind: "any" } | { readonly kind: "calendar" };

function cronProblems(fields: readonly string[], service: ScheduleService): string[] {
  const problems: string[] = [];
  const selections = fields.map((text, i) => {
    const result = parseField(text, FIELDS[i], i, service);
    if (typeof result === "string") problems.push(`${FIELDS[i].name} ${JSON.stringify(text)}: ${result}`);
    return typeof result === "string" ? undefined : result;
  });
  const [dom, dow] = [fields[DAY_OF_MONTH], fields[DAY_OF_WEEK]];
  if ((dom === "?") === (dow === "?")) {
    problems.push(`exactly one of day-of-month (${dom}) and day-of-week (${dow}) must be "?": AWS cannot combine them, e.g. "* * ?" for every day`);
  }
  if (problems.length > 0) return problems;
  const never = neverFires(selections[DAY_OF_MONTH]!, selections[MONTH]!);
  if (never) problems.push(never);
  if (service === "glue-trigger") {
    const interval = shortestInterval(selections[MINUTES]!, selections[HOURS]!);
    if (interval < GLUE_MIN_INTERVAL_MINUTES) problems.push(`fires ${interval === 1 ? "every minute" : `${interval} minutes apart`}; Glue triggers run at most every ${GLUE_MIN_INTERVAL_MINUTES} minutes`);
  }
  return problems;
}

function parseField(text: string, field: CronField, index: number, service: ScheduleService): Selection | string {
  if (text === "?") return index === DAY_OF_MONTH || index === DAY_OF_WEEK ? { kind: "any" } : `"?" is allowed only in day-of-month and day-of-week`;
  const values = new Set<number>();
  let calendar = false;
  for (const part of text.split(",")) {
    const special = calendarPart(part, index, service);
    if (special === true) {
      calendar = true;
      continue;
    }
    if (typeof special === "string") return special;
    const range = parseRange(part, field, index, service);
    if (typeof range === "string") return range;
    range.forEach((v) => values.add(v));
  }
  return calendar ? { kind: "calendar" } : { kind: "values", values };
}

/** `L`, `nW` (day-of-month), `nL`, `n#k` (day-of-week): true when valid, a message when not, false when not such a part. */
function calendarPart(part: string, index: number, service: ScheduleService): boolean | string {
  if (index === DAY_OF_MONTH) {
    if (part === "L") return true;
    const weekday = /^(\d+)W$/.exec(part);
    if (weekday) return inRange(Number(weekday[1]), 1, 31) ? true : `${part}: the day before W must be 1-31`;
  }
  if (index === DAY_OF_WEEK) {
    if (part === "L") return true;
    const last = /^([1-7]|[A-Za-z]{3})L$/.exec(part);
    if (last) return dayOfWeek(last[1]) !== undefined ? true : `${part}: "${last[1]}" is not a day of the week (1-7 or SUN-SAT)`;
    const nth = /^([1-7]|[A-Za-z]{3})#(\d+)$/.exec(part);
    if (nth) {
      if (service === "glue-trigger") return `Glue triggers do not take "#" in day-of-week`;
      if (dayOfWeek(nth[1]) === undefined) return `${part}: "${nth[1]}" is not a day of the week (1-7 or SUN-SAT)`;
      return inRange(Number(nth[2]), 1, 5) ? true : `${part}: the week after # must be 1-5`;
    }
  }
  return false;
}

/** `*`, `v`, `a-b`, each optionally `/step`. */
function parseRange(part: string, field: CronField, index: number, service: ScheduleService): number[] | string {
  const [base, step, ...rest] = part.split("/");
  if (rest.length > 0) return `"${part}" has more than one "/"`;
  if (step !== undefined && index === DAY_OF_WEEK && service === "eventbridge-scheduler") return `EventBridge does not take "/" in day-of-week`;
  if (step !== undefined && !/^\d+$/.test(step)) return `the increment after "/" must be a whole number, not "${step}"`;
  const increment = step === undefined ? 1 : Number(step);
  if (increment < 1) return `the increment after "/" must be at least 1`;
  let from: number;
  let to: number;
  if (base === "*") [from, to] = [field.min, field.max];
  else {
    const bounds = base.split("-");
    if (bounds.length > 2 || bounds.some((b) => b === "")) return `"${base}" is not a value, a range a-b or *`;
    const parsed = bounds.map((b) => valueOf(b, field));
    const bad = bounds.find((_, i) => parsed[i] === undefined);
    if (bad !== undefined) return `"${bad}" is not within ${field.min}-${field.max}${field.names ? ` or ${field.names[0]}-${field.names[field.names.length - 1]}` : ""}${SPECIAL[index] ?? ""}`;
    from = parsed[0]!;
    // `a/n` runs from a to the end of the field, as in `0/15`.
    to = parsed.length === 2 ? parsed[1]! : step !== undefined ? field.max : from;
    if (from > to) return `the range ${base} goes downward; write it from the smaller value`;
  }
  const values: number[] = [];
  for (let v = from; v <= to; v += increment) values.push(v);
  return values;
}

function valueOf(text: string, field: CronField): number | undefined {
  if (/^\d+$/.test(text)) return inRange(Number(text), field.min, field.max) ? Number(text) : undefined;
  const index = field.names?.indexOf(text.toUpperCase()) ?? -1;
  return index >= 0 ? field.min + index : undefined;
}

/** What else a field takes, for the message when a part is neither a value nor a range. */
const SPECIAL: Partial<Record<number, string>> = {
  [DAY_OF_MONTH]: ', "L" or "nW"',
  [DAY_OF_WEEK]: ', "L", "nL" or (EventBridge only) "n#k"',
};

const dayOfWeek = (text: string): number | undefined => valueOf(text, FIELDS[DAY_OF_WEEK]);
const inRange = (value: number, min: number, max: number): boolean => Number.isInteger(value) && value >= min && value <= max;

/** A message when no selected day-of-month exists in any selected month (30 FEB, 31 APR, …). */
function neverFires(days: Selection, months: Selection): string | undefined {
  if (days.kind !== "values" || months.kind !== "values") return undefined;
  const monthList = [...months.values];
  if ([...days.values].some((day) => monthList.some((month) => day <= MONTH_DAYS[month - 1]))) return undefined;
  const monthNames = monthList.map((m) => FIELDS[MONTH].names![m - 1]).join(",");
  return `never fires: day-of-month ${[...days.values].join(",")} does not occur in ${monthNames}`;
}

/** The fewest minutes between two firings, from the minutes and hours fields. */
function shortestInterval(minutes: Selection, hours: Selection): number {
  if (minutes.kind !== "values" || hours.kind !== "values") return Number.POSITIVE_INFINITY;
  const sorted = [...minutes.values].sort((a, b) => a - b);
  const gaps = sorted.slice(1).map((m, i) => m - sorted[i]);
  // The step from the last minute of one hour to the first of the next, when both hours fire.
  const hourList = [...hours.values];
  if (hourList.some((h) => hours.values.has((h + 1) % 24))) gaps.push(60 - sorted[sorted.length - 1] + sorted[0]);
  return gaps.length > 0 ? Math.min(...gaps) : Number.POSITIVE_INFINITY;
}
