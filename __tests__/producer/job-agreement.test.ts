/**
 * The generator's verdicts checked against the Glue jobs' own validator (glue-jobs/platform_etl/
 * records.py, run with python3): what the producer calls valid is accepted by the job, and each
 * bad record is quarantined for the reason it was broken for.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { contractJson, type Contract } from "../../pipelines/contract";
import { generateEvents } from "../../tools/producer/generate";
import { inputsFor, pipelineNamed, pipelines, scaffoldedContract, unfamiliarContract } from "./helpers";

const GLUE_JOBS = join(__dirname, "..", "..", "glue-jobs");
const VERDICTS = `
import json, sys
from platform_etl.contract import load_contract
from platform_etl.records import Rejection, validate_record
contract = load_contract(open(sys.argv[1], encoding="utf-8").read())
for line in open(sys.argv[2], encoding="utf-8"):
    result = validate_record(json.loads(line).encode("utf-8"), contract)
    print(result.reason if isinstance(result, Rejection) else "ok")
`;

function jobVerdicts(contract: Contract, payloads: readonly string[]): string[] {
  const dir = mkdtempSync(join(tmpdir(), "producer-job-"));
  try {
    writeFileSync(join(dir, "contract.json"), contractJson(contract));
    // Each payload as a JSON string, so that broken JSON survives the line format intact.
    writeFileSync(join(dir, "payloads.jsonl"), payloads.map((p) => JSON.stringify(p)).join("\n") + "\n");
    const run = spawnSync("python3", ["-c", VERDICTS, join(dir, "contract.json"), join(dir, "payloads.jsonl")], { cwd: GLUE_JOBS, encoding: "utf8", timeout: 30_000 });
    if (run.status !== 0) throw new Error(`python3 failed (${run.status}): ${run.stderr}`);
    return run.stdout.trim().split("\n");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const cases: [string, Contract, ReturnType<typeof inputsFor>][] = [
  ...pipelines.map((p) => [p.name, p.contract, inputsFor(p, { badRatio: 0.1 })] as [string, Contract, ReturnType<typeof inputsFor>]),
  ["an unfamiliar pipeline", unfamiliarContract, { ...inputsFor(pipelineNamed("attendees"), { badRatio: 0.1 }), contract: unfamiliarContract }],
  ["a scaffolded pipeline", scaffoldedContract(), { ...inputsFor(pipelineNamed("attendees"), { badRatio: 0.1 }), contract: scaffoldedContract() }],
];

describe.each(cases)("the Glue job's validator on %s events", (_name, contract, inputs) => {
  it("accepts the good ones and quarantines each bad one for its defect", () => {
    const events = [...generateEvents(inputs, 1500)];
    const verdicts = jobVerdicts(contract, events.map((e) => e.data));
    expect(verdicts).toHaveLength(events.length);
    const disagreements = events.map((e, i) => ({ id: e.eventId, expected: e.defect ?? "ok", job: verdicts[i] })).filter((d) => d.expected !== d.job);
    expect(disagreements).toEqual([]);
    expect(events.some((e) => e.defect !== null)).toBe(true);
  });
});
