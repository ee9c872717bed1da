// One JSON request on stdin, one JSON answer on stdout, using @shopify/shopify-api's own webhook code.
//   {"op": "verify", "secret", "body", "headers"} -> {"ok": true|false, "result"}
//   {"op": "sign", "secret", "body"}              -> {"hmac": "<base64>"}
// "verify" sends a Fetch Request through shopify.webhooks.validate() (web-api adapter).
// The SDK has no public webhook signer: "sign" calls the createSHA256HMAC that
// validate() itself uses (exported from @shopify/shopify-api/runtime).
import '@shopify/shopify-api/adapters/web-api';
import { ApiVersion, LogSeverity, shopifyApi } from '@shopify/shopify-api';
import { createSHA256HMAC, HashFormat } from '@shopify/shopify-api/runtime';

const chunks = [];
for await (const chunk of process.stdin) chunks.push(chunk);
const request = JSON.parse(Buffer.concat(chunks).toString('utf8'));

let answer;
if (request.op === 'verify') {
  const shopify = shopifyApi({
    apiKey: 'unused',
    apiSecretKey: request.secret,
    apiVersion: ApiVersion.January25,
    hostName: 'example.test',
    isEmbeddedApp: false,
    logger: { level: LogSeverity.Error, log: async () => {} },
  });
  const rawRequest = new Request('https://example.test/webhooks', {
    method: 'POST',
    headers: request.headers,
    body: request.body,
  });
  const result = await shopify.webhooks.validate({ rawBody: request.body, rawRequest });
  answer = { ok: result.valid === true, result };
} else if (request.op === 'sign') {
  answer = { hmac: await createSHA256HMAC(request.secret, request.body, HashFormat.Base64) };
} else {
  throw new Error(`unknown op ${request.op}`);
}
process.stdout.write(JSON.stringify(answer));
