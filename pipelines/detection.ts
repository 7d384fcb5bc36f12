import { enrichedColumns } from "./columns";
import { DETECTED_ENTITIES, DetectedEntity, DetectionLakeAction, DetectionWarehouseAction, PipelineDefinition } from "./types";

/**
 * Detection in content as a pipeline resolves it: every default applied, so the contract (and the
 * jobs) never decide a default themselves. See docs/contract.md, "Detection in content".
 */
export const DEFAULT_DETECTION_WAREHOUSE_ACTION: DetectionWarehouseAction = "redact";

export interface ResolvedEntityActions {
  readonly entity: DetectedEntity;
  readonly lake: DetectionLakeAction;
  readonly warehouse: DetectionWarehouseAction;
}

/** Each entity's action per sink, in detection order. */
export function entityActions(def: PipelineDefinition): ResolvedEntityActions[] {
  const detection = def.detection ?? {};
  return DETECTED_ENTITIES.map((entity) => {
    const own = detection.entities?.[entity] ?? {};
    const warehouse = own.warehouse ?? detection.warehouse ?? DEFAULT_DETECTION_WAREHOUSE_ACTION;
    return { entity, warehouse, lake: own.lake ?? detection.lake ?? warehouse };
  });
}

/** The string columns the jobs scan: every string column not declared sensitive (free text aside) and not exempt. */
export function scannedColumns(def: PipelineDefinition): string[] {
  const exempt = new Set(Object.keys(def.detection?.exempt ?? {}));
  return enrichedColumns(def)
    .filter((c) => c.type === "string" && !exempt.has(c.name))
    .filter((c) => (def.sensitive?.[c.name]?.classification ?? "free_text") === "free_text")
    .map((c) => c.name);
}
