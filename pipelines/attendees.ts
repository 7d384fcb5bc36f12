import { definePipeline } from "./types";

/**
 * The seed example: conference registrations streamed in, joined with the country reference,
 * e-mails hashed in the warehouse, and attendees by country shown in QuickSight.
 */
export const attendees = definePipeline({
  name: "attendees",
  owner: "events-team",
  description: "Conference registrations",
  schema: {
    fields: [
      { name: "attendee_id", type: "string", required: true, maxLength: 64, description: "Registration id issued by the ticketing system" },
      { name: "email", type: "string", required: true, maxLength: 254, description: "Attendee e-mail address" },
      { name: "full_name", type: "string", required: true, maxLength: 200, description: "Attendee name as registered" },
      { name: "phone", type: "string", maxLength: 32, description: "Attendee phone number" },
      { name: "company", type: "string", maxLength: 200, description: "Employer as registered" },
      { name: "job_title", type: "string", maxLength: 200, description: "Job title as registered" },
      { name: "country_code", type: "string", required: true, maxLength: 2, description: "ISO 3166-1 alpha-2 country of residence" },
      { name: "registered_at", type: "timestamp", required: true, description: "When the registration was made (UTC)" },
      { name: "ticket_type", type: "string", required: true, maxLength: 32, description: "Ticket purchased: standard, student, speaker, sponsor" },
      { name: "notes", type: "string", maxLength: 2000, description: "Free-text notes from the registration form" },
    ],
    eventId: "attendee_id",
    eventTime: "registered_at",
  },
  sensitive: {
    email: { classification: "email", lake: "keep", warehouse: "hash" },
    full_name: { classification: "person_name", lake: "keep", warehouse: "partial" },
    phone: { classification: "phone", lake: "mask", warehouse: "partial" },
    notes: { classification: "free_text", lake: "mask", warehouse: "redact" },
  },
  references: [
    {
      name: "countries",
      source: { kind: "file", file: "countries.csv", format: "csv" },
      joinKey: { event: "country_code", reference: "code" },
      columns: [
        { name: "name", as: "country_name", description: "Country name (English short name)" },
        { name: "region", as: "country_region", description: "Continent-level region" },
      ],
    },
  ],
  warehouse: {
    table: "attendees",
    sortKey: ["registered_at"],
    distStyle: "key",
    distKey: "attendee_id",
    materializedViews: [
      {
        name: "attendees_by_country",
        description: "Registered attendees per country and ticket type",
        groupBy: ["country_code", "country_name", "country_region", "ticket_type"],
        measures: [{ name: "attendee_count", aggregate: "count_distinct", column: "attendee_id", description: "Distinct registered attendees" }],
      },
    ],
  },
  bi: {
    publish: true,
    source: "attendees_by_country",
    friendlyName: "Attendees by country",
    geographic: [{ column: "country_name", role: "COUNTRY" }],
    synonyms: { attendee_count: ["attendees", "registrations", "headcount"], country_name: ["country", "nation"], ticket_type: ["ticket", "pass"] },
  },
  environments: {
    prod: { shards: 2, maxWorkers: 6 },
  },
});
