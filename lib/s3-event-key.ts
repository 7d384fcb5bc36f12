/**
 * How S3 writes an object key into its event notifications: URL-encoded, as HTML forms encode
 * (Amazon S3 user guide, "Event message structure": "The s3 key provides information about the
 * bucket and object involved in the event. The object key name value is URL encoded. For example,
 * "red flower.jpg" becomes "red+flower.jpg""). A Hive partition folder `year=2026` arrives as
 * `year%3D2026`. The EventBridge page of the guide does not say otherwise, and AWS's own Lambda
 * Powertools URL-decodes `detail.object.key` of S3 events delivered through EventBridge too
 * (`S3EventBridgeNotificationObject.key`), so rules and workflows accept both forms.
 *
 * Kept as they are: letters, digits, `-`, `_`, `.`, `*` (form encoding leaves them) and `/`
 * (keys keep their folder separators); a space becomes `+`; everything else `%XX` of its UTF-8.
 */
export function s3EventKey(key: string): string {
  return [...Buffer.from(key, "utf8")]
    .map((byte) => {
      const char = String.fromCharCode(byte);
      if (/[A-Za-z0-9\-_.*/]/.test(char)) return char;
      if (char === " ") return "+";
      return `%${byte.toString(16).toUpperCase().padStart(2, "0")}`;
    })
    .join("");
}

/** The key an event names, back in the form S3's API takes (the inverse of {@link s3EventKey}). */
export function decodeS3EventKey(eventKey: string): string {
  return decodeURIComponent(eventKey.replace(/\+/g, " "));
}
