import type { SecretReaderKeyGrant } from "./key-policy";

export interface PlatformKeyProps {
  /** Alias without the `alias/` prefix, e.g. `dp-prod-platform`. Required. */
  readonly aliasName: string;
  /** Account that owns the key. Required. */
  readonly accountId: string;
  /** Region of the key; log-group grants are regional. Required. */
  readonly region: string;
  /** Days a scheduled deletion waits (7-30). @default 30 */
  readonly deletionWindowDays?: number;
  /** Roles the platform does not own that may decrypt one secret through Secrets Manager. @default none */
  readonly secretReaders?: readonly SecretReaderKeyGrant[];
  /** Terraform `prevent_destroy` on the key. @default true */
  readonly preventDestroy?: boolean;
}
