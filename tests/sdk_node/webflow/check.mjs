// One JSON request on stdin, one JSON answer on stdout, using webflow-api's own verifySignature.
//   {"op": "verify", "secret", "body", "headers"} -> {"ok": true|false}
// The SDK has no public signer; the tests give it signatures made by hooksig or recomputed.
import webflow from 'webflow-api';

const chunks = [];
for await (const chunk of process.stdin) chunks.push(chunk);
const request = JSON.parse(Buffer.concat(chunks).toString('utf8'));

if (request.op !== 'verify') throw new Error(`unknown op ${request.op}`);
const client = new webflow.WebflowClient({ accessToken: 'unused-no-request-is-made' });
const ok = await client.webhooks.verifySignature({
  headers: request.headers,
  body: request.body,
  secret: request.secret,
});
process.stdout.write(JSON.stringify({ ok }));
