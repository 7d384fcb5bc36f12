/** The whole summarizer as one pure function: plan JSON text in, report and exit code out. */
import { buildDocument } from "./document";
import { parsePlan, PlanInputError } from "./parse";
import { capLength, render, type OutputFormat } from "./render";
import { stackPlanResult, summarizePlan } from "./summarize";

export interface SummaryRequest {
  readonly env: string;
  /** The stack the plan is for. @default none: the environment's one plan */
  readonly stack?: string;
  readonly format: OutputFormat;
  readonly allowDestroy: boolean;
  readonly maxChars: number;
}

export interface SummaryResult {
  readonly output: string;
  readonly exitCode: number;
}

/** Throws PlanInputError when the text is not JSON or not a plan. */
export function summarizePlanText(jsonText: string, request: SummaryRequest): SummaryResult {
  let document: unknown;
  try {
    document = JSON.parse(jsonText);
  } catch (error) {
    throw new PlanInputError(`invalid JSON: ${(error as Error).message}`);
  }
  const summary = summarizePlan(parsePlan(document), request);
  if (request.format === "json") return { output: `${JSON.stringify(stackPlanResult(summary), null, 2)}\n`, exitCode: summary.exitCode };
  const output = capLength(render(buildDocument(summary), request.format), request.maxChars, request.format);
  return { output, exitCode: summary.exitCode };
}
