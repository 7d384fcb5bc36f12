import { EVENT_WINDOW_DAYS, applicableDefects, generateEvents } from "../../tools/producer/generate";
import { checkValue, decimalDigits, validateRecord } from "../../tools/producer/validate-record";
import { deriveRandom, mulberry32 } from "../../tools/producer/prng";
import { columnValues, parseCsvLine } from "../../tools/producer/reference-values";
import { ANCHOR, inputsFor, pipelineNamed, pipelines, scaffoldedContract, unfamiliarContract } from "./helpers";

const attendees = pipelineNamed("attendees");
const checkins = pipelineNamed("session_checkins");
const records = (events: Iterable<{ data: string }>) => [...events].map((e) => JSON.parse(e.data) as Record<string, unknown>);

describe("mulberry32", () => {
  it("repeats for a seed, differs between seeds, and stays in [0, 1)", () => {
    const draws = (seed: number) => Array.from({ length: 1000 }, mulberry32(seed));
    expect(draws(7)).toEqual(draws(7));
    expect(draws(7)).not.toEqual(draws(8));
    expect(draws(7).every((x) => x >= 0 && x < 1)).toBe(true);
    const mean = draws(7).reduce((a, b) => a + b, 0) / 1000;
    expect(Math.abs(mean - 0.5)).toBeLessThan(0.05);
  });

  it("derives independent streams per label", () => {
    expect(deriveRandom(1, "a")()).not.toBe(deriveRandom(1, "b")());
    expect(deriveRandom(1, "a")()).toBe(deriveRandom(1, "a")());
  });
});

describe("generateEvents", () => {
  it("is reproducible: same seed and anchor, same events; another seed, other events", () => {
    const run = (seed: number) => [...generateEvents(inputsFor(attendees, { seed }), 300)];
    expect(run(42)).toEqual(run(42));
    const other = run(43);
    expect(other.map((e) => e.data)).not.toEqual(run(42).map((e) => e.data));
  });

  it.each(pipelines.map((p) => [p.name, p] as const))("makes %s events that all pass the contract", (_name, pipeline) => {
    const events = [...generateEvents(inputsFor(pipeline), 2000)];
    const rejected = events.map((e) => ({ data: e.data, verdict: validateRecord(pipeline.contract, e.data) })).filter((r) => !r.verdict.ok);
    expect(rejected).toEqual([]);
    expect(events.every((e) => e.defect === null)).toBe(true);
  });

  it("makes valid events for a pipeline it has no field rules for", () => {
    const events = [...generateEvents({ ...inputsFor(attendees), contract: unfamiliarContract }, 2000)];
    expect(events.filter((e) => !validateRecord(unfamiliarContract, e.data).ok)).toEqual([]);
    const typesSeen = records(events).flatMap((r) => Object.entries(r).filter(([, v]) => v !== null).map(([k, v]) => `${k}:${typeof v}`));
    expect(new Set(typesSeen)).toEqual(
      new Set(["reading_no:number", "device:string", "celsius:number", "humidity_ppm:number", "price:string", "calibrated:boolean", "service_day:string", "taken_at:string"]),
    );
  });

  it("makes valid events for the pipeline `npm run new-pipeline` scaffolds", () => {
    const contract = scaffoldedContract();
    const events = [...generateEvents({ ...inputsFor(attendees), contract }, 1000)];
    expect(events.filter((e) => !validateRecord(contract, e.data).ok)).toEqual([]);
    expect(new Set(records(events).map((r) => r.event_id)).size).toBe(1000);
  });

  it("gives every event a unique id, used as its partition key", () => {
    for (const pipeline of pipelines) {
      const events = [...generateEvents(inputsFor(pipeline), 5000)];
      expect(new Set(events.map((e) => e.eventId)).size).toBe(5000);
      for (const event of events.slice(0, 50)) expect(JSON.parse(event.data)[pipeline.contract.event_id_field]).toBe(event.eventId);
    }
  });

  it("places event times in the 30 days before the anchor, in UTC with Z", () => {
    const times = records(generateEvents(inputsFor(attendees), 1000)).map((r) => r.registered_at as string);
    expect(times.every((t) => /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/.test(t))).toBe(true);
    const ages = times.map((t) => ANCHOR.getTime() - Date.parse(t));
    expect(Math.min(...ages)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...ages)).toBeLessThanOrEqual(EVENT_WINDOW_DAYS * 86_400_000);
    // Spread over the window, not bunched at one end.
    expect(Math.max(...ages) - Math.min(...ages)).toBeGreaterThan(25 * 86_400_000);
  });

  it("draws join keys from the bundled reference files, so every event joins", () => {
    const codes = new Set(columnValues(require("node:fs").readFileSync(attendees.referenceFiles[0]!.path, "utf8"), "csv", "code"));
    const attendeeCountries = records(generateEvents(inputsFor(attendees), 1000)).map((r) => r.country_code as string);
    expect(attendeeCountries.every((c) => codes.has(c))).toBe(true);
    expect(new Set(attendeeCountries).size).toBeGreaterThan(50);
    const sessionIds = records(generateEvents(inputsFor(checkins), 500)).map((r) => r.session_id).filter((s) => s !== null);
    expect(new Set(sessionIds)).toEqual(new Set(["KEY-01", "STR-01", "STR-02", "STR-03", "LAK-01", "LAK-02", "LAK-03", "GOV-01", "GOV-02", "BI-01", "BI-02", "KEY-02"]));
  });

  it("looks like registrations: names, matching e-mails, phones, ticket types, and notes that sometimes carry contact data", () => {
    const rows = records(generateEvents(inputsFor(attendees), 1000));
    const emails = rows.map((r) => r.email as string);
    expect(emails.every((e) => /^[a-z0-9.]+@[a-z0-9]+\.example\.com$/.test(e))).toBe(true);
    // The e-mail's domain is the attendee's company.
    const withCompany = rows.filter((r) => r.company !== null);
    expect(withCompany.every((r) => (r.email as string).endsWith(`@${(r.company as string).toLowerCase().replace(/[^a-z0-9]/g, "")}.example.com`))).toBe(true);
    expect(rows.every((r) => /^\S+ \S+/.test(r.full_name as string))).toBe(true);
    expect(rows.filter((r) => r.phone !== null).every((r) => /^\+\d{1,3} [\d ()-]+$/.test(r.phone as string))).toBe(true);
    expect(new Set(rows.map((r) => r.ticket_type))).toEqual(new Set(["standard", "student", "speaker", "sponsor"]));
    const notes = rows.map((r) => r.notes).filter((n): n is string => typeof n === "string");
    const withEmail = notes.filter((n) => /@/.test(n)).length;
    const withPhone = notes.filter((n) => /\+\d/.test(n)).length;
    expect(withEmail).toBeGreaterThan(50);
    expect(withPhone).toBeGreaterThan(50);
    expect(notes.length - withEmail - withPhone).toBeGreaterThan(300);
  });

  it("leaves optional fields null now and then, never required ones", () => {
    const rows = records(generateEvents(inputsFor(attendees), 1000));
    expect(rows.filter((r) => r.phone === null).length).toBeGreaterThan(50);
    for (const field of attendees.contract.fields.filter((f) => f.required)) expect(rows.every((r) => r[field.name] !== null)).toBe(true);
  });

  it("gives scanner IPs from private and documentation ranges", () => {
    const ips = records(generateEvents(inputsFor(checkins), 1000)).map((r) => r.scanner_ip).filter((ip): ip is string => typeof ip === "string");
    expect(ips.every((ip) => /^(10\.20\.\d{1,3}\.\d{1,3}|192\.0\.2\.\d{1,3}|fd00:dc:[0-9a-f]{4}::[0-9a-f]{4})$/.test(ip))).toBe(true);
  });
});

describe("bad records (--bad-ratio)", () => {
  it("mixes in about the requested share, each rejected for the reason it was broken for", () => {
    const events = [...generateEvents(inputsFor(attendees, { badRatio: 0.05 }), 4000)];
    const bad = events.filter((e) => e.defect !== null);
    expect(bad.length).toBeGreaterThan(140);
    expect(bad.length).toBeLessThan(260);
    for (const event of bad) {
      const verdict = validateRecord(attendees.contract, event.data);
      expect({ id: event.eventId, reason: verdict.ok ? "accepted" : verdict.reason }).toEqual({ id: event.eventId, reason: event.defect });
    }
    expect(new Set(bad.map((e) => e.defect))).toEqual(new Set(applicableDefects(attendees.contract)));
    for (const event of events.filter((e) => e.defect === null)) expect(validateRecord(attendees.contract, event.data)).toEqual({ ok: true });
  });

  it("does not change the good events: with and without bad ones, the valid events are the same", () => {
    const clean = [...generateEvents(inputsFor(checkins), 500)];
    const mixed = [...generateEvents(inputsFor(checkins, { badRatio: 0.3 }), 500)];
    mixed.forEach((event, i) => {
      if (event.defect === null) expect(event.data).toBe(clean[i]!.data);
      else expect(event.data).not.toBe(clean[i]!.data);
    });
  });

  it("never offers an unknown-field defect where unknown fields are allowed", () => {
    expect(applicableDefects(unfamiliarContract)).not.toContain("unknown_field");
    expect(applicableDefects(attendees.contract)).toContain("unknown_field");
  });

  it("refuses a bad ratio outside [0, 1] and a negative count", () => {
    expect(() => [...generateEvents(inputsFor(attendees, { badRatio: 1.5 }), 1)]).toThrow(/badRatio must be between 0 and 1, not 1.5/);
    expect(() => [...generateEvents(inputsFor(attendees), -1)]).toThrow(/count must be a non-negative integer, not -1/);
  });
});

describe("validateRecord (the job's rules, in TypeScript)", () => {
  const contract = attendees.contract;
  const good = JSON.parse([...generateEvents(inputsFor(attendees), 1)][0]!.data) as Record<string, unknown>;
  const verdict = (change: Record<string, unknown>) => validateRecord(contract, JSON.stringify({ ...good, ...change }));

  it.each([
    [{ registered_at: "2026-03-07T05:00:00" }, "timestamp_without_offset"],
    [{ registered_at: "2026-02-30T05:00:00Z" }, "invalid_timestamp"],
    [{ registered_at: 1_772_859_600_000 }, null],
    [{ registered_at: "2026-03-07T05:00:00+01:00" }, null],
    [{ country_code: "GBR" }, "string_too_long"],
    [{ email: null }, "null_required_field"],
    [{ phone: null }, null],
    [{ email: 5 }, "wrong_type"],
    [{ extra: 1 }, "unknown_field"],
  ])("%j → %s", (change, reason) => {
    const result = verdict(change);
    expect(result.ok ? null : result.reason).toBe(reason);
  });

  it("rejects payloads that are not JSON objects", () => {
    expect(validateRecord(contract, "[1]")).toMatchObject({ reason: "not_an_object" });
    expect(validateRecord(contract, "{")).toMatchObject({ reason: "invalid_json" });
    expect(validateRecord(contract, Buffer.from([0xff, 0xfe]))).toMatchObject({ reason: "not_utf8" });
    expect(validateRecord(contract, "x".repeat(contract.max_record_bytes + 1))).toMatchObject({ reason: "record_too_large" });
  });

  it("coerces numbers the way the contract says", () => {
    const field = (type: string) => ({ name: "f", type, required: true, description: "", max_length: null });
    const reason = (type: string, value: unknown) => {
      try {
        checkValue(field(type), value);
        return null;
      } catch (error) {
        return (error as { reason: string }).reason;
      }
    };
    expect(reason("int", "2147483647")).toBeNull();
    expect(reason("int", 2147483648)).toBe("out_of_range");
    expect(reason("long", "9223372036854775808")).toBe("out_of_range");
    expect(reason("int", 1.5)).toBe("wrong_type");
    expect(reason("decimal(5,2)", "123.45")).toBeNull();
    expect(reason("decimal(5,2)", "1234.5")).toBe("decimal_out_of_precision");
    expect(reason("decimal(5,2)", "1.505")).toBe("decimal_out_of_precision");
    expect(reason("boolean", "true")).toBeNull();
    expect(reason("date", "2026-02-29")).toBe("invalid_date");
    expect(reason("double", "NaN")).toBe("wrong_type");
  });

  it("counts decimal digits by value, not spelling", () => {
    expect(decimalDigits("1.50")).toEqual([1, 1]);
    expect(decimalDigits("0.05")).toEqual([0, 2]);
    expect(decimalDigits("100")).toEqual([3, 0]);
    expect(decimalDigits("1.2e3")).toEqual([4, 0]);
    expect(decimalDigits("-0")).toEqual([0, 0]);
  });
});

describe("reference files", () => {
  it("splits quoted CSV cells", () => {
    expect(parseCsvLine('SH,"Saint Helena, Ascension",Africa')).toEqual(["SH", "Saint Helena, Ascension", "Africa"]);
    expect(parseCsvLine('a,"say ""hi""",')).toEqual(["a", 'say "hi"', ""]);
  });

  it("names the missing column and the header", () => {
    expect(() => columnValues("code,name\nAD,Andorra\n", "csv", "iso")).toThrow("reference CSV has no column iso; its header is: code,name");
  });
});
