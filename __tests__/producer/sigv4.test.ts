/**
 * SigV4 against AWS's published test suite (the `aws-sig-v4-test-suite` shipped with
 * aws-c-auth and documented at docs.aws.amazon.com/general/latest/gr/signature-v4-test-suite.html):
 * credentials AKIDEXAMPLE, region us-east-1, service `service`, 2015-08-30T12:36:00Z. The expected
 * values below are AWS's, not this implementation's output.
 */
import { amzDate, canonicalPath, canonicalQuery, sha256Hex, signRequest, uriEncode } from "../../tools/producer/sigv4";

const SUITE = {
  region: "us-east-1",
  service: "service",
  credentials: { accessKeyId: "AKIDEXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY" },
  now: new Date("2015-08-30T12:36:00Z"),
};
const CREDENTIAL = "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date, Signature=";
const EMPTY_SHA256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

describe("signRequest on the AWS SigV4 test suite", () => {
  it("get-vanilla: canonical request, string to sign and signature", () => {
    const signed = signRequest({ method: "GET", url: new URL("https://example.amazonaws.com/"), headers: {}, body: "" }, SUITE);
    expect(signed.canonicalRequest).toBe(["GET", "/", "", "host:example.amazonaws.com", "x-amz-date:20150830T123600Z", "", "host;x-amz-date", EMPTY_SHA256].join("\n"));
    expect(signed.stringToSign).toBe(
      ["AWS4-HMAC-SHA256", "20150830T123600Z", "20150830/us-east-1/service/aws4_request", "bb579772317eb040ac9ed261061d46c1f17a8133879d6129b6e1c25292927e63"].join("\n"),
    );
    expect(signed.headers.authorization).toBe(`${CREDENTIAL}5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31`);
  });

  it("get-vanilla-query-order-key-case: parameters sorted before signing", () => {
    const signed = signRequest({ method: "GET", url: new URL("https://example.amazonaws.com/?Param2=value2&Param1=value1"), headers: {}, body: "" }, SUITE);
    expect(signed.signature).toBe("b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500");
  });

  it("post-vanilla: an empty POST body hashes as the empty string", () => {
    const signed = signRequest({ method: "POST", url: new URL("https://example.amazonaws.com/"), headers: {}, body: "" }, SUITE);
    expect(signed.signature).toBe("5da7c1a2acd57cee7505fc6676e4e544621c30862966e37dddb68e92efbe5d6b");
  });

  it("signs the body, the target header and a session token: changing any changes the signature", () => {
    const base = { method: "POST", url: new URL("http://127.0.0.1:4567/"), headers: { "X-Amz-Target": "Kinesis_20131202.PutRecords" }, body: "{}" };
    const signature = signRequest(base, SUITE).signature;
    expect(signRequest({ ...base, body: "{ }" }, SUITE).signature).not.toBe(signature);
    expect(signRequest({ ...base, headers: { "X-Amz-Target": "Kinesis_20131202.DeleteStream" } }, SUITE).signature).not.toBe(signature);
    const withToken = signRequest(base, { ...SUITE, credentials: { ...SUITE.credentials, sessionToken: "token" } });
    expect(withToken.headers["x-amz-security-token"]).toBe("token");
    expect(withToken.headers.authorization).toContain("SignedHeaders=host;x-amz-date;x-amz-security-token;x-amz-target,");
    // The port is part of the host that is signed.
    expect(signRequest(base, SUITE).headers.host).toBe("127.0.0.1:4567");
  });
});

describe("SigV4 building blocks", () => {
  it("formats the date in basic ISO-8601", () => {
    expect(amzDate(new Date("2026-03-07T05:04:03.999Z"))).toBe("20260307T050403Z");
  });

  it("encodes the RFC 3986 way (which encodeURIComponent alone does not)", () => {
    expect(uriEncode("a b*!'()~-_.")).toBe("a%20b%2A%21%27%28%29~-_.");
    expect(canonicalPath("")).toBe("/");
    expect(canonicalQuery(new URLSearchParams("b=2&a=%20&a=1"))).toBe("a=%20&a=1&b=2");
  });

  it("hashes with SHA-256", () => {
    expect(sha256Hex("")).toBe(EMPTY_SHA256);
  });
});
