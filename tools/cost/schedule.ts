/**
 * How often a schedule fires in a month, from the expressions Glue triggers and EventBridge
 * Scheduler take: `cron(minutes hours day-of-month month day-of-week year)` and `rate(n unit)`.
 * A month is 730 hours, as on AWS's pricing pages.
 */

export const HOURS_PER_MONTH = 730;
export const DAYS_PER_MONTH = HOURS_PER_MONTH / 24;
const WEEKS_PER_MONTH = DAYS_PER_MONTH / 7;

const DAY_NAMES = ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"];
const MONTH_NAMES = ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"];

export class ScheduleError extends Error {
  override readonly name = "ScheduleError";
}

/** Runs per month of a `cron(...)` or `rate(...)` expression. */
export function runsPerMonth(expression: string): number {
  const rate = /^rate\((\d+) (minute|minutes|hour|hours|day|days)\)$/.exec(expression);
  if (rate) {
    const minutes = Number(rate[1]) * ({ minute: 1, minutes: 1, hour: 60, hours: 60, day: 1440, days: 1440 } as const)[rate[2] as "minute"];
    return (HOURS_PER_MONTH * 60) / minutes;
  }
  const cron = /^cron\((.+)\)$/.exec(expression);
  const fields = cron?.[1]?.trim().split(/\s+/);
  if (!fields || fields.length !== 6) throw new ScheduleError(`${JSON.stringify(expression)} is neither cron(m h dom mon dow y) nor rate(n unit)`);
  const [minutes, hours, dayOfMonth, month, dayOfWeek] = fields as [string, string, string, string, string];
  const perDay = valuesOf(minutes, 0, 59, "minutes", expression) * valuesOf(hours, 0, 23, "hours", expression);
  const monthShare = isAny(month) ? 1 : valuesOf(month, 1, 12, "month", expression, MONTH_NAMES, 1) / 12;
  let days: number;
  if (!isAny(dayOfMonth)) days = dayOfMonth === "L" || /W$/.test(dayOfMonth) ? 1 : valuesOf(dayOfMonth, 1, 31, "day-of-month", expression);
  else if (!isAny(dayOfWeek)) days = /[#L]/.test(dayOfWeek) ? 1 : valuesOf(dayOfWeek, 1, 7, "day-of-week", expression, DAY_NAMES, 1) * WEEKS_PER_MONTH;
  else days = DAYS_PER_MONTH;
  return perDay * days * monthShare;
}

function isAny(field: string): boolean {
  return field === "*" || field === "?";
}

/** How many values a cron field matches: `*`, `n`, `a-b`, `a/b`, `*\/b`, `a-b/c` and lists of them. */
function valuesOf(field: string, min: number, max: number, name: string, expression: string, names: readonly string[] = [], firstName = 0): number {
  const value = (text: string): number => {
    const index = names.indexOf(text.toUpperCase());
    const n = index >= 0 ? index + firstName : Number(text);
    if (!Number.isInteger(n) || n < min || n > max) throw new ScheduleError(`${expression}: ${name} ${JSON.stringify(text)} is not a value from ${min} to ${max}`);
    return n;
  };
  const matched = new Set<number>();
  for (const part of field.split(",")) {
    const [range, stepText] = part.split("/") as [string, string | undefined];
    const step = stepText === undefined ? 1 : Number(stepText);
    if (!Number.isInteger(step) || step < 1) throw new ScheduleError(`${expression}: ${name} step ${JSON.stringify(stepText)} is not a positive integer`);
    let from: number;
    let to: number;
    if (range === "*") [from, to] = [min, max];
    else if (range.includes("-")) {
      const [a, b] = range.split("-") as [string, string];
      [from, to] = [value(a), value(b)];
    } else [from, to] = [value(range), stepText === undefined ? value(range) : max];
    for (let n = from; n <= to; n += step) matched.add(n);
  }
  return matched.size;
}
