import { definePipeline } from "./types";

/** Badge scans at session doors, joined with the session list: who attended which talk. */
export const sessionCheckins = definePipeline({
  name: "session_checkins",
  owner: "events-team",
  description: "Session check-ins from badge scanners",
  schema: {
    fields: [
      { name: "checkin_id", type: "string", required: true, maxLength: 64, description: "Scan id issued by the scanner" },
      { name: "attendee_id", type: "string", required: true, maxLength: 64, description: "Registration id on the scanned badge" },
      { name: "session_id", type: "string", required: true, maxLength: 16, description: "Session the door belongs to" },
      { name: "scanner_ip", type: "string", maxLength: 45, description: "Network address of the scanner" },
      { name: "scanned_at", type: "timestamp", required: true, description: "When the badge was scanned (UTC)" },
    ],
    eventId: "checkin_id",
    eventTime: "scanned_at",
  },
  sensitive: {
    scanner_ip: { classification: "ip_address", lake: "mask", warehouse: "drop" },
  },
  references: [
    {
      name: "sessions",
      source: { kind: "file", file: "sessions.jsonl", format: "json" },
      joinKey: { event: "session_id", reference: "session_id" },
      columns: [
        { name: "title", as: "session_title", description: "Session title" },
        { name: "track", as: "session_track", description: "Conference track" },
        { name: "room", as: "session_room", description: "Room of the session" },
      ],
    },
  ],
  transform: {
    sql: "SELECT events.*, hour(events.scanned_at) AS scan_hour FROM events",
    columns: [{ name: "scan_hour", type: "int", description: "Hour of day of the scan (UTC)" }],
  },
  warehouse: {
    table: "session_checkins",
    sortKey: ["scanned_at"],
    distStyle: "even",
    materializedViews: [
      {
        name: "checkins_by_session",
        description: "Check-ins and distinct attendees per session",
        groupBy: ["session_id", "session_title", "session_track"],
        measures: [
          { name: "checkin_count", aggregate: "count", description: "Badge scans" },
          { name: "unique_attendees", aggregate: "count_distinct", column: "attendee_id", description: "Distinct attendees scanned" },
        ],
      },
    ],
  },
  bi: {
    publish: true,
    source: "checkins_by_session",
    friendlyName: "Check-ins by session",
    synonyms: { checkin_count: ["scans", "check-ins"], session_title: ["talk", "session"] },
  },
});
