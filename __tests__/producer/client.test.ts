/**
 * How errors the AWS SDK throws become the producer's: what send.ts retries, what run.ts turns
 * into exit codes. The SDK's own shapes are exercised for real by the kinesalite and CLI tests;
 * here each kind is given directly, including those a loopback server cannot provoke.
 */
import { CREDENTIAL_SOURCES, CredentialsUnavailableError, KinesisApiError, producerError } from "../../tools/producer/client";

const serviceError = (name: string, httpStatusCode: number) => Object.assign(new Error(`${name} from the service`), { name, $metadata: { httpStatusCode, attempts: 1 } });

describe("producerError", () => {
  it("keeps a service answer's status and code; retries throttling and server errors only", () => {
    const cases = [
      ["ResourceNotFoundException", 400, false],
      ["AccessDeniedException", 400, false],
      ["ValidationException", 400, false],
      ["ProvisionedThroughputExceededException", 400, true],
      ["KMSThrottlingException", 400, true],
      ["TooManyRequests", 429, true],
      ["InternalFailure", 500, true],
      ["UnknownError", 502, true],
    ] as const;
    for (const [name, status, retryable] of cases) {
      const error = producerError("PutRecords", serviceError(name, status));
      expect(error).toBeInstanceOf(KinesisApiError);
      expect({ name, status: (error as KinesisApiError).status, type: (error as KinesisApiError).type, retryable: (error as KinesisApiError).retryable }).toEqual({ name, status, type: name, retryable });
      expect(error.message).toBe(`PutRecords failed: ${name} (HTTP ${status}): ${name} from the service`);
    }
  });

  it("makes a call that got no answer a retryable NetworkError", () => {
    for (const error of [
      Object.assign(new Error("socket hang up"), { code: "ECONNRESET" }),
      Object.assign(new Error("getaddrinfo ENOTFOUND kinesis.example"), { code: "ENOTFOUND" }),
      Object.assign(new Error("Request timed out"), { name: "TimeoutError" }),
    ]) {
      const translated = producerError("PutRecords", error) as KinesisApiError;
      expect([translated.type, translated.status, translated.retryable, translated.cause]).toEqual(["NetworkError", 0, true, error]);
    }
  });

  it("makes credentials that cannot be refreshed mid-run a credentials error that names the sources", () => {
    for (const name of ["CredentialsProviderError", "TokenProviderError"]) {
      const translated = producerError("PutRecords", Object.assign(new Error("The SSO session has expired"), { name }));
      expect(translated).toBeInstanceOf(CredentialsUnavailableError);
      expect(translated.message).toContain("no usable AWS credentials: The SSO session has expired");
      for (const source of CREDENTIAL_SOURCES) expect(translated.message).toContain(source);
    }
  });

  it("passes a defect through as it is, to be seen with its stack", () => {
    const defect = new TypeError("Cannot read properties of undefined");
    expect(producerError("PutRecords", defect)).toBe(defect);
  });
});
